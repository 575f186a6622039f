package io.vecwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Prometheus-format rule files under rules/ (owned by the rules engine), read for their
 * expressions.
 */
final class RuleFiles {
  /** One rule's expression and where it is. */
  record Expr(String where, String expr) {}

  private RuleFiles() {}

  static List<Path> files() throws IOException {
    Path dir = Repo.file("rules");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      // *.test.yml / *_test.yml are promtool unit tests, not rule files
      return s.filter(p -> p.toString().matches(".*\\.ya?ml$"))
          .filter(p -> !p.getFileName().toString().matches(".*[._-]test\\.ya?ml$"))
          .filter(p -> !p.toString().contains("/tests/"))
          .sorted()
          .toList();
    }
  }

  static List<Expr> expressions(Path file) throws IOException {
    List<Expr> out = new ArrayList<>();
    JsonNode root = GrafanaDashboards.YAML.readTree(file.toFile());
    for (JsonNode g : root.path("groups")) {
      for (JsonNode r : g.path("rules")) {
        String name =
            r.has("alert")
                ? "alert " + r.path("alert").asText()
                : "record " + r.path("record").asText();
        out.add(
            new Expr(
                Repo.root().relativize(file) + " group " + g.path("name").asText() + " " + name,
                r.path("expr").asText("")));
      }
    }
    return out;
  }

  /** Names recording rules define: other rules and dashboards may read them. */
  static Set<String> recorded() throws IOException {
    Set<String> out = new LinkedHashSet<>();
    for (Path f : files()) {
      for (JsonNode g : GrafanaDashboards.YAML.readTree(f.toFile()).path("groups")) {
        for (JsonNode r : g.path("rules")) {
          if (r.has("record")) {
            out.add(r.path("record").asText());
          }
        }
      }
    }
    return out;
  }
}
