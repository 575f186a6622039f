package io.vecwatch.cli;

import io.vecwatch.agent.Preflight;
import io.vecwatch.config.ConfigException;
import io.vecwatch.config.VecwatchConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vecwatch check-config FILE...}: validates config files without starting anything. Each
 * problem is one line on stderr ({@code vecwatch.yml: targets[1].kind: must be set}); each valid
 * file gets one line on stdout. Exit 0 when every file is valid, 2 otherwise.
 */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Validate config files without starting anything, loading exactly what run loads: YAML syntax, keys, "
          + "types, ranges, references between sections, environment variables, the files a config names, every "
          + "rule file (expressions and templates), Alertmanager TLS material and the web config file.",
      "Prints each problem as one line on stderr (FILE: path: problem) and FILE: ok on stdout for a valid file."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every file is valid",
      "2:a file is invalid or cannot be read, or a bad option"
    })
final class CheckConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Config files to check.")
  List<Path> files;

  @Option(
      names = "--web.config.file",
      paramLabel = "FILE",
      description =
          "Also check this web configuration file (TLS, basic auth), as run --web.config.file would.")
  Path webConfigFile;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean allValid = true;
    for (Path file : files) {
      try {
        // exactly what run loads before it starts anything
        Preflight.Loaded l = Preflight.load(file, Optional.ofNullable(webConfigFile));
        out.println(file + ": ok (" + summary(l) + ")");
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        allValid = false;
      }
    }
    out.flush();
    err.flush();
    return allValid ? 0 : Main.EXIT_USAGE;
  }

  private String summary(Preflight.Loaded l) {
    VecwatchConfig c = l.config();
    String rules =
        l.ruleGroups() == 0
            ? ""
            : ", " + count(l.ruleGroups(), "rule group") + " with " + count(l.rules(), "rule");
    String web =
        webConfigFile == null
            ? ""
            : ", web config "
                + webConfigFile
                + (l.web().tls().isPresent() ? " (TLS" : " (no TLS")
                + (l.web().users().isEmpty() ? ")" : ", basic auth)");
    if (c.targets().isEmpty()) {
      return "no targets: nothing would be probed" + rules + web;
    }
    return count(c.datasets().size(), "dataset")
        + ", "
        + count(c.targets().size(), "target")
        + ", "
        + count(c.probes().size(), "probe")
        + (c.migrations().isEmpty() ? "" : ", " + count(c.migrations().size(), "migration"))
        + rules
        + web;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
