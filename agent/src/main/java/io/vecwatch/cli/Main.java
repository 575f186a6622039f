package io.vecwatch.cli;

import io.vecwatch.agent.EarlyStart;
import io.vecwatch.export.JulBridge;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vecwatch} command. With no arguments it runs the embedded demo ({@code run} without a
 * config). User mistakes end with one line on stderr and exit code 2; no stack traces.
 */
@Command(
    name = "vecwatch",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    versionProvider = VersionProvider.class,
    description = "Observability and alerting agent for vector databases.")
public final class Main implements Callable<Integer> {
  /** Exit code for a user mistake (bad flag, bad config, bad input file). */
  public static final int EXIT_USAGE = 2;

  /** The subcommands, in the order {@code --help} lists them. */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  @CommandLine.Mixin ServerFlags flags = new ServerFlags();

  private final EarlyStart early;

  Main() {
    this(null);
  }

  private Main(EarlyStart early) {
    this.early = early;
  }

  @Override
  public Integer call() throws Exception {
    return RunCommand.run(flags, early);
  }

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    m.put("run", RunCommand::new);
    m.put("check-config", CheckConfigCommand::new);
    m.put("groundtruth", GroundTruthCommand::new);
    m.put("rules", RulesCommand::new);
    m.put("bench", BenchCommand::new);
    m.put("capacity", CapacityCommand::new);
    m.put("help", CommandLine.HelpCommand::new);
    return m;
  }

  /** The {@code vecwatch} command line with every subcommand. */
  static CommandLine commandLine() {
    return commandLine(SUBCOMMANDS.keySet(), null);
  }

  /** {@code early}: what the agent takes over when the arguments run it (null: none). */
  private static CommandLine commandLine(Collection<String> names, EarlyStart early) {
    CommandLine cl = new CommandLine(new Main(early));
    for (String name : names) {
      cl.addSubcommand(
          name, name.equals("run") ? new RunCommand(early) : SUBCOMMANDS.get(name).get());
    }
    return cl;
  }

  /**
   * Whether {@code args} run the agent ({@code vecwatch}, {@code vecwatch run ...}) rather than ask
   * for help or the version.
   */
  static boolean runsTheAgent(String... args) {
    if (args.length == 0) {
      return true;
    }
    if (!args[0].equals("run")) {
      return false;
    }
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return false;
      }
    }
    return true;
  }

  /**
   * The subcommands {@code args} can reach: none for no arguments (the demo), only the one named
   * first, or all of them (options first, a mistyped name: help and error messages list them).
   * Picocli reads each registered command's options by reflection, so the agent's start reads only
   * its own.
   */
  static Collection<String> reachable(String... args) {
    if (args.length == 0) {
      return List.of();
    }
    if (SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
      return List.of(args[0]);
    }
    return SUBCOMMANDS.keySet();
  }

  public static void main(String[] args) {
    JulBridge.install();
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
  public static int execute(String... args) {
    return execute(null, null, args);
  }

  /**
   * Runs the CLI writing to {@code out} and {@code err} (null: System.out / System.err) and returns
   * its exit code. Tests use this to capture what a command prints.
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    // Vert.x and the metrics registry need no config: created on another core meanwhile
    try (EarlyStart early = runsTheAgent(args) ? EarlyStart.begin() : null) {
      return execute(commandLine(reachable(args), early), out, err, args);
    }
  }

  private static int execute(CommandLine cl, PrintWriter out, PrintWriter err, String... args) {
    if (out != null) {
      cl.setOut(out);
    }
    if (err != null) {
      cl.setErr(err);
    }
    cl.setExecutionExceptionHandler(new UserErrors());
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine at = ex.getCommandLine();
          PrintWriter w = at.getErr();
          if (ex instanceof CommandLine.UnmatchedArgumentException u
              && at.getParent() == null
              && !u.getUnmatched().isEmpty()
              && !u.getUnmatched().get(0).startsWith("-")) {
            w.println("vecwatch: unknown command \"" + u.getUnmatched().get(0) + "\"");
            w.println("Commands: " + String.join(", ", at.getSubcommands().keySet()));
          } else {
            w.println("vecwatch: " + ex.getMessage());
          }
          w.println("Try '" + at.getCommandSpec().qualifiedName() + " --help'.");
          return EXIT_USAGE;
        });
    return cl.execute(args);
  }
}
