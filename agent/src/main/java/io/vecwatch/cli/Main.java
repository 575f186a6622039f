package io.vecwatch.cli;

import io.vecwatch.export.JulBridge;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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
    description = "Observability and alerting agent for vector databases.",
    subcommands = {
      RunCommand.class,
      CheckConfigCommand.class,
      GroundTruthCommand.class,
      RulesCommand.class,
      BenchCommand.class,
      CapacityCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  /** Exit code for a user mistake (bad flag, bad config, bad input file). */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Mixin ServerFlags flags = new ServerFlags();

  @Override
  public Integer call() throws Exception {
    return RunCommand.run(flags);
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
    CommandLine cl = new CommandLine(new Main());
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
