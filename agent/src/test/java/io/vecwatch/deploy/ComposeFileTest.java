package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecwatch.config.VecwatchConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a compose implementation does not check: pinned images, health checks behind every {@code
 * service_healthy}, mounts that exist and agree with the files that name their container paths.
 * (Schema validity is checked by docker-compose itself in {@link DeploymentToolsIT}.)
 */
class ComposeFileTest {
  private static JsonNode compose;
  private static JsonNode services;

  @BeforeAll
  static void load() throws Exception {
    compose = GrafanaDashboards.YAML.readTree(Repo.file("docker-compose.yml").toFile());
    services = compose.path("services");
  }

  @Test
  void theStackHasEveryPartTheIssueAsksFor() {
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .contains(
            "etcd", "minio", "milvus", "vecwatch", "prometheus", "alertmanager", "grafana", "loki");
  }

  @Test
  void everyImageIsPinnedToAVersion() {
    services
        .fields()
        .forEachRemaining(
            e -> {
              String image = e.getValue().path("image").asText("");
              assertThat(image).as(e.getKey()).isNotEmpty();
              if (e.getValue().has("build")) {
                return; // built here
              }
              int colon = image.lastIndexOf(':');
              assertThat(colon)
                  .as("%s image %s has no tag", e.getKey(), image)
                  .isGreaterThan(image.lastIndexOf('/'));
              String tag = image.substring(colon + 1);
              assertThat(tag)
                  .as("%s image tag", e.getKey())
                  .isNotIn("latest", "main", "master", "nightly")
                  .matches(".*\\d.*");
            });
  }

  @Test
  void everyServiceHealthyDependencyHasAHealthCheck() {
    int conditions = 0;
    for (Map.Entry<String, JsonNode> e : iterable(services)) {
      JsonNode deps = e.getValue().path("depends_on");
      assertThat(deps.isObject() || deps.isMissingNode())
          .as("%s depends_on uses the long form", e.getKey())
          .isTrue();
      for (Map.Entry<String, JsonNode> d : iterable(deps)) {
        assertThat(services.has(d.getKey()))
            .as("%s depends on unknown %s", e.getKey(), d.getKey())
            .isTrue();
        String condition = d.getValue().path("condition").asText();
        assertThat(condition)
            .as("%s -> %s", e.getKey(), d.getKey())
            .isIn("service_healthy", "service_started", "service_completed_successfully");
        if (condition.equals("service_healthy")) {
          conditions++;
          assertThat(services.path(d.getKey()).has("healthcheck"))
              .as("%s waits for %s to be healthy but it has no healthcheck", e.getKey(), d.getKey())
              .isTrue();
        }
      }
    }
    assertThat(conditions).isGreaterThanOrEqualTo(5);
    assertThat(
            services.path("vecwatch").path("depends_on").path("milvus").path("condition").asText())
        .isEqualTo("service_healthy");
  }

  @Test
  void namedVolumesAreDeclaredAndBindMountsExistInTheRepository() {
    Set<String> declared = new HashSet<>();
    compose.path("volumes").fieldNames().forEachRemaining(declared::add);
    int binds = 0;
    for (Map.Entry<String, JsonNode> e : iterable(services)) {
      for (JsonNode v : e.getValue().path("volumes")) {
        String source = v.asText().split(":")[0];
        if (source.startsWith("./")) {
          binds++;
          Path p = Repo.file(source.substring(2));
          if (source.startsWith("./rules") || source.startsWith("./alertmanager")) {
            continue; // owned by the rules engine work; checked by DeploymentToolsIT once present
          }
          assertThat(Files.exists(p))
              .as("%s mounts %s which does not exist", e.getKey(), source)
              .isTrue();
        } else {
          assertThat(declared).as("%s uses volume %s", e.getKey(), source).contains(source);
        }
      }
    }
    assertThat(binds).isGreaterThanOrEqualTo(6);
  }

  @Test
  void publishedPortsBindToLoopbackOnly() {
    for (Map.Entry<String, JsonNode> e : iterable(services)) {
      for (JsonNode p : e.getValue().path("ports")) {
        assertThat(p.asText()).as(e.getKey()).startsWith("127.0.0.1:");
      }
    }
  }

  @Test
  void grafanaMountsTheDashboardsWhereTheProviderLooks() throws Exception {
    JsonNode provider =
        GrafanaDashboards.YAML
            .readTree(Repo.file("dashboards/provisioning/dashboards/vecwatch.yml").toFile())
            .path("providers")
            .get(0);
    String path = provider.path("options").path("path").asText();
    assertThat(mounts("grafana"))
        .contains("./dashboards:" + path, "./dashboards/provisioning:/etc/grafana/provisioning");
    assertThat(
            services
                .path("grafana")
                .path("environment")
                .path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
                .asText())
        .startsWith(path + "/")
        .satisfies(
            home ->
                assertThat(Repo.file("dashboards/" + home.substring(path.length() + 1))).exists());
  }

  @Test
  void prometheusLoadsTheMountedRulesAndScrapesTheAgentAndMilvus() throws Exception {
    JsonNode prom =
        GrafanaDashboards.YAML.readTree(Repo.file("docs/deploy/compose/prometheus.yml").toFile());
    assertThat(mounts("prometheus"))
        .contains(
            "./docs/deploy/compose/prometheus.yml:/etc/prometheus/prometheus.yml",
            "./rules:/etc/prometheus/rules");
    assertThat(prom.path("rule_files").get(0).asText())
        .startsWith("rules/"); // relative to /etc/prometheus
    List<String> targets = new ArrayList<>();
    prom.path("scrape_configs")
        .forEach(
            sc ->
                sc.path("static_configs")
                    .forEach(st -> st.path("targets").forEach(t -> targets.add(t.asText()))));
    assertThat(targets).contains("vecwatch:9477", "milvus:9091");
    assertThat(
            prom.path("alerting")
                .path("alertmanagers")
                .get(0)
                .path("static_configs")
                .get(0)
                .path("targets")
                .get(0)
                .asText())
        .isEqualTo("alertmanager:9093");
  }

  @Test
  void everyRuleFileThePrometheusAndAgentConfigsNameIsMountedBesideThem() throws Exception {
    JsonNode prom =
        GrafanaDashboards.YAML.readTree(Repo.file("docs/deploy/compose/prometheus.yml").toFile());
    JsonNode agent =
        GrafanaDashboards.YAML.readTree(Repo.file("docs/deploy/compose/vecwatch.yml").toFile());
    assertMounted("prometheus", "/etc/prometheus", prom.path("rule_files"));
    assertMounted("vecwatch", "/etc/vecwatch", agent.path("rule_files"));
  }

  private static void assertMounted(String service, String configDir, JsonNode ruleFiles) {
    assertThat(ruleFiles.size()).as("%s rule_files", service).isPositive();
    for (JsonNode pattern : ruleFiles) {
      String inContainer = configDir + "/" + pattern.asText();
      String dir =
          inContainer.contains("*")
              ? inContainer.substring(0, inContainer.lastIndexOf('/'))
              : inContainer;
      List<String> targets =
          mounts(service).stream().map(m -> m.substring(m.indexOf(':') + 1)).toList();
      assertThat(targets)
          .as("%s: nothing mounted at %s for rule_files %s", service, dir, pattern.asText())
          .contains(dir);
      String source = mounts(service).get(targets.indexOf(dir)).split(":")[0];
      if (!source.startsWith("./rules")) {
        assertThat(Repo.file(source.substring(2))).exists();
      }
    }
  }

  @Test
  void theAgentGetsItsConfigAndRulesMounted() {
    List<String> command = new ArrayList<>();
    services.path("vecwatch").path("command").forEach(c -> command.add(c.asText()));
    assertThat(command).containsSubsequence("run", "--config.file", "/etc/vecwatch/vecwatch.yml");
    assertThat(command).containsSubsequence("--web.config.file", "/etc/vecwatch/web.yml");
    assertThat(mounts("vecwatch"))
        .contains(
            "./docs/deploy/compose/vecwatch.yml:/etc/vecwatch/vecwatch.yml",
            "./docs/deploy/compose/web.yml:/etc/vecwatch/web.yml",
            "./rules:/etc/vecwatch/rules");
  }

  @Test
  void theAgentKeepsTheImagesLauncherAndOnlyAddsJvmOptionsThroughIt() {
    JsonNode agent = services.path("vecwatch");
    assertThat(agent.has("entrypoint")).isFalse();
    assertThat(agent.path("environment").has("JDK_JAVA_OPTIONS")).isFalse();
    assertThat(agent.path("environment").path("VECWATCH_JAVA_OPTS").asText())
        .startsWith("-XX:MaxRAMPercentage=");
  }

  @Test
  void theAlertmanagerConfigIsMountedFromTheRepository() {
    // the whole folder: alertmanager.yml names its templates relative to itself
    assertThat(mounts("alertmanager")).contains("./alertmanager:/etc/alertmanager");
    List<String> cmd = new ArrayList<>();
    services.path("alertmanager").path("command").forEach(c -> cmd.add(c.asText()));
    assertThat(cmd).contains("--config.file=/etc/alertmanager/alertmanager.yml");
    assertThat(Repo.file("alertmanager/alertmanager.yml")).exists();
  }

  @Test
  void theAgentConfigOfTheStackPassesTheAgentsOwnValidation() throws Exception {
    VecwatchConfig c =
        AgentConfigCheck.assertValid(
            "docs/deploy/compose/vecwatch.yml",
            Files.readString(Repo.file("docs/deploy/compose/vecwatch.yml")),
            Map.of());
    assertThat(c.web().port())
        .isEqualTo(9477); // what Prometheus scrapes and the health check calls
    assertThat(c.targets()).isNotEmpty();
  }

  @Test
  void theEmbeddedDemoConfigOfGettingStartedPassesTheAgentsOwnValidation() throws Exception {
    VecwatchConfig c =
        AgentConfigCheck.assertValid(
            "docs/deploy/demo.yml",
            Files.readString(Repo.file("docs/deploy/demo.yml")),
            Map.of(),
            Repo.file("docs/deploy"));
    assertThat(c.targets()).extracting(t -> t.kind()).containsExactly("flat", "lucene_hnsw");
  }

  /** "source:target" of each volume of a service, without the :ro suffix. */
  private static List<String> mounts(String service) {
    List<String> out = new ArrayList<>();
    services.path(service).path("volumes").forEach(v -> out.add(v.asText().replaceAll(":ro$", "")));
    return out;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    n.fields().forEachRemaining(out::add);
    return out;
  }
}
