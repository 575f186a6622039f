package io.vecwatch.cli;

import io.vecwatch.rules.RuleFileParser;
import io.vecwatch.rules.unittest.RuleTestRunner;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vecwatch rules check|test}: validate rule files, run promtool-format rule unit tests. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Check Prometheus rule files and run their unit tests (promtool format).",
    subcommands = {RulesCommand.Check.class, RulesCommand.Test.class})
final class RulesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Main.EXIT_USAGE;
  }

  /** {@code vecwatch rules check FILE...}. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Parse and validate rule files: one line per problem and exit code 2 when any is found.")
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Rule files.")
    List<Path> files;

    @Override
    public Integer call() {
      int problems = 0;
      for (Path f : files) {
        RuleFileParser.Result r = RuleFileParser.parseFiles(List.of(f));
        if (r.ok()) {
          spec.commandLine().getOut().println(f + ": " + r.ruleCount() + " rules found");
        } else {
          r.problems().forEach(spec.commandLine().getErr()::println);
          problems += r.problems().size();
        }
      }
      spec.commandLine().getOut().flush();
      spec.commandLine().getErr().flush();
      return problems == 0 ? 0 : Main.EXIT_USAGE;
    }
  }

  /** {@code vecwatch rules test FILE...}: promtool's unit-test format, output and exit codes. */
  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = "Run rule unit tests in promtool's format; exit code 1 when a test fails.")
  static final class Test implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Unit-test files.")
    List<Path> files;

    @Override
    public Integer call() {
      PrintStream out =
          new PrintStream(
              new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
      PrintStream err =
          new PrintStream(
              new WriterOutputStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
      return new RuleTestRunner(out, err).run(files);
    }
  }

  /**
   * Adapts picocli's writers (so tests can capture them) to the PrintStreams the runner prints to.
   */
  private static final class WriterOutputStream extends OutputStream {
    private final PrintWriter w;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    WriterOutputStream(PrintWriter w) {
      this.w = w;
    }

    @Override
    public void write(int b) {
      buf.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public void flush() {
      w.print(buf.toString(StandardCharsets.UTF_8));
      buf.reset();
      w.flush();
    }
  }
}
