package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.target.registry.TargetKinds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a deployment example's agent config (compose, Kubernetes) through the agent's own loader.
 * Sections that other work adds (rules, alerting, telemetry, the Milvus kind) may not be in this
 * build yet: while the loader does not know one, the problems it causes are tolerated and the check
 * is skipped; once the section is known, every problem fails the test. Files the config names
 * inside the container ({@code /var/lib/vecwatch/...}, {@code /etc/vecwatch/secrets/...}) are
 * created as stand-ins under a temporary folder and the paths rewritten, so the loader's file
 * checks run for real.
 */
final class AgentConfigCheck {
  /** Top-level sections written by other work, each with an empty value the section must accept. */
  private static final Map<String, String> LATER_SECTIONS =
      Map.of(
          "external_labels",
          "{}",
          "rule_files",
          "[]",
          "evaluation_interval",
          "1m",
          "alerting",
          "{}",
          "telemetry",
          "{}");

  private static final Pattern CONTAINER_FILE =
      Pattern.compile("(/var/lib/vecwatch/|/etc/vecwatch/secrets/)[\\w./-]+");

  private AgentConfigCheck() {}

  static VecwatchConfig assertValid(String source, String yaml, Map<String, String> env) {
    return assertValid(source, yaml, env, Path.of("/"));
  }

  /** As above, with relative paths resolved against {@code baseDir} (the config file's folder). */
  static VecwatchConfig assertValid(
      String source, String yaml, Map<String, String> env, Path baseDir) {
    Path root;
    try {
      root = Files.createTempDirectory("vecwatch-config-check");
      Matcher m = CONTAINER_FILE.matcher(yaml);
      StringBuilder rewritten = new StringBuilder();
      while (m.find()) {
        Path standIn = root.resolve(m.group().substring(1));
        Files.createDirectories(standIn.getParent());
        if (!Files.exists(standIn)) {
          Files.writeString(standIn, "stand-in\n");
        }
        m.appendReplacement(rewritten, Matcher.quoteReplacement(standIn.toString()));
      }
      m.appendTail(rewritten);
      yaml = rewritten.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ConfigLoader loader = new ConfigLoader(env, TargetKinds.lookup());
    try {
      return loader.parse(source, yaml, baseDir);
    } catch (ConfigException e) {
      List<String> real = e.problems().stream().filter(p -> !tolerated(p)).toList();
      assertThat(real).as("%s does not pass the agent's config check", source).isEmpty();
      throw new AssertionError(
          source + " uses config sections the agent does not know: " + e.problems());
    } finally {
      deleteRecursively(root);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }

  private static boolean tolerated(String problem) {
    for (String section : LATER_SECTIONS.keySet()) {
      if (problem.endsWith(": " + section + ": unknown key") && !sectionKnown(section)) {
        return true;
      }
    }
    if (TargetKinds.byName("milvus").isEmpty()) {
      return problem.matches(".*targets\\[\\d+]\\.kind: unknown kind \"milvus\".*")
          || problem.matches(".*probes\\[\\d+]\\.dataset: must be set.*");
    }
    return false;
  }

  private static boolean sectionKnown(String section) {
    try {
      new ConfigLoader(Map.of(), TargetKinds.lookup())
          .parse("probe", section + ": " + LATER_SECTIONS.get(section) + "\n", Path.of("/"));
      return true;
    } catch (ConfigException e) {
      return e.problems().stream().noneMatch(p -> p.endsWith(": " + section + ": unknown key"));
    }
  }
}
