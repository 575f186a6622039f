package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecwatch.deploy.GrafanaDashboards.Dashboard;
import io.vecwatch.deploy.GrafanaDashboards.Kind;
import io.vecwatch.deploy.GrafanaDashboards.Query;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Structural checks of every dashboard under dashboards/, and the metric names its queries use. */
class DashboardsTest {
  /** Built-in Grafana datasources that need no provisioning. */
  private static final Set<String> BUILT_IN_UIDS =
      Set.of("-- Grafana --", "grafana", "-- Mixed --", "-- Dashboard --");

  private static final Pattern VARIABLE_USE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private static List<Dashboard> dashboards;
  private static Map<String, String> datasources;
  private static MetricContract contract;

  @BeforeAll
  static void load() throws Exception {
    dashboards = GrafanaDashboards.load();
    datasources = GrafanaDashboards.provisionedDatasources();
    contract = MetricContract.read(Repo.file("docs/metrics.md"));
  }

  @Test
  void theOverviewDrillDownAndAgentDashboardsExist() {
    assertThat(dashboards)
        .extracting(d -> d.json().path("uid").asText())
        .contains("vecwatch-overview", "vecwatch-target", "vecwatch-agent");
  }

  @Test
  void everyDashboardHasAModernSchemaVersionAUidAndATitle() {
    for (Dashboard d : dashboards) {
      JsonNode j = d.json();
      assertThat(j.path("schemaVersion").isInt()).as("%s schemaVersion", d.name()).isTrue();
      assertThat(j.path("schemaVersion").asInt())
          .as("%s schemaVersion", d.name())
          .isBetween(36, 41);
      assertThat(j.path("uid").asText()).as("%s uid", d.name()).matches("[a-zA-Z0-9_-]{1,40}");
      assertThat(j.path("title").asText()).as("%s title", d.name()).isNotBlank();
      assertThat(j.path("id").isNull() || j.path("id").isMissingNode())
          .as("%s id must be null", d.name())
          .isTrue();
    }
  }

  @Test
  void dashboardUidsAreUniqueAcrossFiles() {
    List<String> uids = dashboards.stream().map(d -> d.json().path("uid").asText()).toList();
    assertThat(uids).doesNotHaveDuplicates();
  }

  @Test
  void panelIdsAreUniqueIncludingPanelsNestedInRows() {
    for (Dashboard d : dashboards) {
      List<Integer> ids =
          GrafanaDashboards.panels(d.json()).stream().map(p -> p.path("id").asInt(-1)).toList();
      assertThat(ids).as("%s panel ids", d.name()).doesNotContain(-1).doesNotHaveDuplicates();
    }
  }

  @Test
  void everyDatasourceIsReferencedByAProvisionedUidOfTheRightType() {
    assertThat(datasources).containsKeys("vecwatch-prometheus", "vecwatch-loki", "vecwatch-traces");
    for (Dashboard d : dashboards) {
      for (String uid : GrafanaDashboards.datasourceUids(d.json())) {
        assertThat(datasources.containsKey(uid) || BUILT_IN_UIDS.contains(uid))
            .as(
                "%s refers to datasource uid \"%s\", provisioned: %s",
                d.name(), uid, datasources.keySet())
            .isTrue();
      }
      checkTypes(d, d.json());
    }
  }

  private static void checkTypes(Dashboard d, JsonNode n) {
    if (n.isObject()) {
      JsonNode ds = n.get("datasource");
      if (ds != null && ds.isObject() && datasources.containsKey(ds.path("uid").asText())) {
        assertThat(ds.path("type").asText())
            .as("%s datasource %s type", d.name(), ds.path("uid").asText())
            .isEqualTo(datasources.get(ds.path("uid").asText()));
      }
      n.fields().forEachRemaining(e -> checkTypes(d, e.getValue()));
    } else if (n.isArray()) {
      n.forEach(c -> checkTypes(d, c));
    }
  }

  @Test
  void panelsFitTheTwentyFourColumnGridWithoutOverlapping() {
    for (Dashboard d : dashboards) {
      List<int[]> boxes = new ArrayList<>();
      for (JsonNode p : d.json().path("panels")) {
        JsonNode g = p.path("gridPos");
        int x = g.path("x").asInt(-1);
        int y = g.path("y").asInt(-1);
        int w = g.path("w").asInt(0);
        int h = g.path("h").asInt(0);
        String what = d.name() + " panel " + p.path("id").asText();
        assertThat(x).as(what + " x").isBetween(0, 23);
        assertThat(y).as(what + " y").isGreaterThanOrEqualTo(0);
        assertThat(w).as(what + " w").isBetween(1, 24 - x);
        assertThat(h).as(what + " h").isPositive();
        for (int[] b : boxes) {
          boolean overlap = x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h;
          assertThat(overlap).as(what + " overlaps panel " + b[4]).isFalse();
        }
        boxes.add(new int[] {x, y, w, h, p.path("id").asInt()});
      }
    }
  }

  @Test
  void everyQueryIsNonEmptyAndEveryVariableItUsesIsDefined() {
    for (Dashboard d : dashboards) {
      Set<String> defined = new HashSet<>();
      d.json().path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
      for (Query q : GrafanaDashboards.queries(d)) {
        assertThat(q.expr()).as(q.where()).isNotBlank();
        Matcher m = VARIABLE_USE.matcher(q.expr());
        while (m.find()) {
          String name = m.group(1) != null ? m.group(1) : m.group(2);
          if (!name.startsWith("__")) {
            assertThat(defined).as("%s uses $%s", q.where(), name).contains(name);
          }
        }
      }
    }
  }

  @Test
  void everyMetricNameInAPrometheusQueryIsOneTheAgentDocumentsOrAKnownExternalSeries() {
    List<String> unknown = new ArrayList<>();
    int checked = 0;
    for (Dashboard d : dashboards) {
      for (Query q : GrafanaDashboards.queries(d)) {
        if (!"prometheus".equals(datasources.get(q.datasourceUid()))) {
          continue;
        }
        Set<String> names =
            q.kind() == Kind.VARIABLE
                ? PromQlNames.ofVariableQuery(q.expr())
                : PromQlNames.of(q.expr());
        assertThat(names).as("%s reads no metric: %s", q.where(), q.expr()).isNotEmpty();
        for (String n : names) {
          checked++;
          if (!contract.contains(n)
              && !KnownSeries.EXTERNAL.contains(n)
              && !KnownSeries.AGREED_NOT_YET_DOCUMENTED.contains(n)) {
            unknown.add(q.where() + ": " + n);
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(unknown).as("series neither in docs/metrics.md nor in KnownSeries").isEmpty();
  }

  @Test
  void lokiQueriesSelectTheAgentsLogStream() {
    int loki = 0;
    for (Dashboard d : dashboards) {
      for (Query q : GrafanaDashboards.queries(d)) {
        if ("loki".equals(datasources.get(q.datasourceUid()))) {
          loki++;
          assertThat(q.expr()).as(q.where()).startsWith("{app=\"vecwatch\"");
        }
      }
    }
    assertThat(loki).as("dashboards with a logs panel").isGreaterThanOrEqualTo(2);
  }

  @Test
  void theLatencyPanelAsksForExemplarsAndTheDatasourceLinksThemToTraces() throws Exception {
    boolean exemplar =
        dashboards.stream()
            .flatMap(d -> GrafanaDashboards.panels(d.json()).stream())
            .flatMap(p -> iterable(p.path("targets")).stream())
            .anyMatch(
                t ->
                    t.path("exemplar").asBoolean(false)
                        && t.path("expr")
                            .asText()
                            .contains("vecwatch_probe_latency_seconds_bucket"));
    assertThat(exemplar).isTrue();
    JsonNode prom =
        GrafanaDashboards.YAML
            .readTree(Repo.file("dashboards/provisioning/datasources/vecwatch.yml").toFile())
            .path("datasources")
            .get(0);
    assertThat(
            prom.path("jsonData")
                .path("exemplarTraceIdDestinations")
                .get(0)
                .path("datasourceUid")
                .asText())
        .isEqualTo("vecwatch-traces");
  }

  private static List<JsonNode> iterable(JsonNode n) {
    List<JsonNode> out = new ArrayList<>();
    n.forEach(out::add);
    return out;
  }
}
