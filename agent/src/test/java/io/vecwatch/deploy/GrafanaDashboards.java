package io.vecwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the repository's Grafana dashboards and provisioning files, and lists every query in them.
 */
final class GrafanaDashboards {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * One query: where it sits (for messages), the datasource uid it runs on, its text, and its role.
   */
  record Query(String where, String datasourceUid, String expr, Kind kind) {}

  enum Kind {
    PANEL,
    ANNOTATION,
    VARIABLE
  }

  /** A loaded dashboard file. */
  record Dashboard(Path file, JsonNode json) {
    String name() {
      return file.getFileName().toString();
    }
  }

  private GrafanaDashboards() {}

  static Path dir() {
    return Repo.file("dashboards");
  }

  static List<Dashboard> load() throws IOException {
    List<Dashboard> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir())) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        out.add(new Dashboard(f, JSON.readTree(f.toFile())));
      }
    }
    return out;
  }

  /** Datasource uid -> type, from every file under dashboards/provisioning/datasources. */
  static Map<String, String> provisionedDatasources() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir().resolve("provisioning/datasources"))) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
              .toList()) {
        for (JsonNode ds : YAML.readTree(f.toFile()).path("datasources")) {
          String uid = ds.path("uid").asText("");
          if (out.putIfAbsent(uid, ds.path("type").asText("")) != null) {
            throw new IllegalStateException(f + ": datasource uid \"" + uid + "\" defined twice");
          }
        }
      }
    }
    return out;
  }

  /** Every panel, nested rows included, depth first. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    collect(dashboard.path("panels"), out);
    return out;
  }

  private static void collect(JsonNode panels, List<JsonNode> out) {
    for (JsonNode p : panels) {
      out.add(p);
      collect(p.path("panels"), out);
    }
  }

  /** Every query: panel targets, annotation queries and template variable queries. */
  static List<Query> queries(Dashboard d) {
    List<Query> out = new ArrayList<>();
    for (JsonNode p : panels(d.json())) {
      String panelDs = p.path("datasource").path("uid").asText("");
      for (JsonNode t : p.path("targets")) {
        String ds = t.path("datasource").path("uid").asText(panelDs);
        String where =
            d.name()
                + " panel "
                + p.path("id").asText()
                + " \""
                + p.path("title").asText()
                + "\" "
                + t.path("refId").asText();
        out.add(new Query(where, ds, t.path("expr").asText(""), Kind.PANEL));
      }
    }
    for (JsonNode a : d.json().path("annotations").path("list")) {
      if (a.has("expr")) {
        out.add(
            new Query(
                d.name() + " annotation \"" + a.path("name").asText() + "\"",
                a.path("datasource").path("uid").asText(""),
                a.path("expr").asText(),
                Kind.ANNOTATION));
      }
    }
    for (JsonNode v : d.json().path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        JsonNode q = v.path("query");
        String text = q.isObject() ? q.path("query").asText("") : q.asText("");
        out.add(
            new Query(
                d.name() + " variable $" + v.path("name").asText(),
                v.path("datasource").path("uid").asText(""),
                text,
                Kind.VARIABLE));
      }
    }
    return out;
  }

  /** Datasource uids a dashboard refers to anywhere (panels, targets, annotations, variables). */
  static List<String> datasourceUids(JsonNode node) {
    List<String> out = new ArrayList<>();
    walk(node, out);
    return out;
  }

  private static void walk(JsonNode n, List<String> out) {
    if (n.isObject()) {
      JsonNode ds = n.get("datasource");
      if (ds != null && ds.isObject() && ds.has("uid")) {
        out.add(ds.get("uid").asText());
      } else if (ds != null && ds.isTextual()) {
        out.add(
            ds.asText()); // legacy form: a datasource name; must not be used, caught by the test
      }
      n.fields().forEachRemaining(e -> walk(e.getValue(), out));
    } else if (n.isArray()) {
      n.forEach(c -> walk(c, out));
    }
  }
}
