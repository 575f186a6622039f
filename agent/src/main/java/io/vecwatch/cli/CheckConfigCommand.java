package io.vecwatch.cli;

import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vecwatch check-config FILE...}: validates config files without starting anything. Each problem is one
 * line on stderr ({@code vecwatch.yml: targets[1].kind: must be set}); each valid file gets one line on stdout.
 * Exit 0 when every file is valid, 2 otherwise.
 */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Validate config files without starting anything: YAML syntax, keys, types, ranges, references "
          + "between sections, environment variables and the files a config names.",
      "Prints each problem as one line on stderr (FILE: path: problem) and FILE: ok on stdout for a valid file."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every file is valid", "2:a file is invalid or cannot be read, or a bad option"})
final class CheckConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Config files to check.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigLoader loader = ConfigLoader.withSystemEnv(TargetKinds.lookup());
    boolean allValid = true;
    for (Path file : files) {
      try {
        VecwatchConfig config = loader.load(file);
        out.println(file + ": ok (" + summary(config) + ")");
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        allValid = false;
      }
    }
    out.flush();
    err.flush();
    return allValid ? 0 : Main.EXIT_USAGE;
  }

  private static String summary(VecwatchConfig c) {
    if (c.targets().isEmpty()) {
      return "no targets: nothing would be probed";
    }
    return count(c.datasets().size(), "dataset") + ", " + count(c.targets().size(), "target") + ", "
        + count(c.probes().size(), "probe");
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
