package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes examples under docs/deploy/kubernetes: they parse, the agent containers have
 * probes, resources and a non-root context, every ConfigMap/Secret they mount exists, and the
 * configs inside pass the agent's own config check. (Schema validation: DeploymentToolsIT with
 * kubernetes-validate.)
 */
class KubernetesManifestsTest {
  /**
   * Created from the repository by a documented command rather than kept as a manifest (see
   * configmap.yaml).
   */
  private static final Set<String> GENERATED_CONFIGMAPS = Set.of("vecwatch-rules");

  private static final List<JsonNode> docs = new ArrayList<>();

  static Path dir() {
    return Repo.file("docs/deploy/kubernetes");
  }

  static List<JsonNode> readAll(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (JsonParser p = GrafanaDashboards.YAML.getFactory().createParser(file.toFile())) {
      GrafanaDashboards.YAML
          .readValues(p, JsonNode.class)
          .forEachRemaining(
              n -> {
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                  out.add(n);
                }
              });
    }
    return out;
  }

  @BeforeAll
  static void load() throws IOException {
    try (Stream<Path> s = Files.list(dir())) {
      for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        docs.addAll(readAll(f));
      }
    }
  }

  private static List<JsonNode> ofKind(String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode agentContainer(JsonNode workload) {
    for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
      if (c.path("name").asText().equals("vecwatch")) {
        return c;
      }
    }
    throw new AssertionError(
        "no vecwatch container in " + workload.path("metadata").path("name").asText());
  }

  @Test
  void everyDocumentHasApiVersionKindAndName() {
    assertThat(docs).hasSizeGreaterThanOrEqualTo(7);
    for (JsonNode d : docs) {
      assertThat(d.path("apiVersion").asText()).isNotEmpty();
      assertThat(d.path("kind").asText()).isNotEmpty();
      assertThat(d.path("metadata").path("name").asText()).isNotEmpty();
    }
    assertThat(docs)
        .extracting(d -> d.path("kind").asText())
        .contains("Deployment", "Service", "ConfigMap", "Secret", "ServiceMonitor", "PodMonitor");
  }

  @Test
  void agentContainersHaveResourcesHealthProbesAndRunUnprivileged() {
    List<JsonNode> workloads = ofKind("Deployment");
    assertThat(workloads).hasSize(2); // the stand-alone Deployment and the proxy sidecar patch
    for (JsonNode w : workloads) {
      JsonNode c = agentContainer(w);
      String name = w.path("metadata").path("name").asText();
      for (String r : List.of("requests", "limits")) {
        assertThat(c.path("resources").path(r).path("memory").asText())
            .as("%s %s.memory", name, r)
            .isNotEmpty();
      }
      assertThat(probePath(c.path("livenessProbe"))).as(name).isEqualTo("/-/healthy");
      assertThat(probePath(c.path("startupProbe"))).as(name).isEqualTo("/-/healthy");
      JsonNode sc = c.path("securityContext");
      JsonNode podSc = w.path("spec").path("template").path("spec").path("securityContext");
      assertThat(
              sc.path("runAsNonRoot").asBoolean(false)
                  || podSc.path("runAsNonRoot").asBoolean(false))
          .as("%s runAsNonRoot", name)
          .isTrue();
      assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
      assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(9477);
    }
  }

  /**
   * The path a probe asks for: an {@code httpGet} probe's path, or the path of the URL an {@code
   * exec} probe's curl fetches (the agent's endpoints are behind TLS and basic auth:
   * docs/deployment.md).
   */
  private static String probePath(JsonNode probe) {
    if (probe.has("httpGet")) {
      return probe.path("httpGet").path("path").asText();
    }
    List<String> cmd = new ArrayList<>();
    probe.path("exec").path("command").forEach(a -> cmd.add(a.asText()));
    String last = String.join(" ", cmd).replaceAll(".*https://[^/\\s]+", "");
    assertThat(String.join(" ", cmd)).contains("curl -fsS").contains("-u probe:");
    return last.strip();
  }

  @Test
  void agentContainersRunTheImagesLauncherWithItsJvmSettings() {
    for (JsonNode w : ofKind("Deployment")) {
      JsonNode c = agentContainer(w);
      String name = w.path("metadata").path("name").asText();
      // args only: the image's ENTRYPOINT (bin/vecwatch) stays, and with it the JVM settings it
      // carries
      assertThat(c.has("command")).as("%s overrides the image's launcher", name).isFalse();
      assertThat(c.path("args").get(0).asText()).as(name).isEqualTo("run");
      for (JsonNode e : c.path("env")) {
        assertThat(e.path("name").asText())
            .as("%s sets JVM flags past the launcher", name)
            .isNotIn("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");
      }
    }
  }

  @Test
  void onlyTheStandaloneDeploymentGatesReadinessOnTheAgent() {
    for (JsonNode w : ofKind("Deployment")) {
      JsonNode c = agentContainer(w);
      if (w.path("metadata").path("name").asText().equals("vecwatch")) {
        assertThat(probePath(c.path("readinessProbe"))).isEqualTo("/-/ready");
      } else {
        // a sidecar's readiness would take the Milvus proxy out of its Service while the agent
        // starts
        assertThat(c.has("readinessProbe")).isFalse();
      }
    }
  }

  @Test
  void everyMountedConfigMapAndSecretIsDefinedAndTheTokenIsAFile() {
    Set<String> configMaps = new HashSet<>(GENERATED_CONFIGMAPS);
    ofKind("ConfigMap").forEach(d -> configMaps.add(d.path("metadata").path("name").asText()));
    Set<String> secrets = new HashSet<>();
    ofKind("Secret").forEach(d -> secrets.add(d.path("metadata").path("name").asText()));
    secrets.add(
        "vecwatch-tls"); // issued by cert-manager (or your PKI): deployment.yaml names it, nothing
    // defines it
    for (JsonNode w : ofKind("Deployment")) {
      JsonNode spec = w.path("spec").path("template").path("spec");
      Set<String> volumes = new HashSet<>();
      for (JsonNode v : spec.path("volumes")) {
        volumes.add(v.path("name").asText());
        if (v.has("configMap")) {
          assertThat(configMaps).contains(v.path("configMap").path("name").asText());
        }
        if (v.has("secret")) {
          assertThat(secrets).contains(v.path("secret").path("secretName").asText());
        }
      }
      for (JsonNode m : agentContainer(w).path("volumeMounts")) {
        assertThat(volumes)
            .as("mount %s", m.path("name").asText())
            .contains(m.path("name").asText());
      }
      for (JsonNode e : agentContainer(w).path("env")) {
        assertThat(e.path("name").asText())
            .as("tokens come from token_file, not env")
            .doesNotContainIgnoringCase("token");
      }
    }
  }

  @Test
  void theAgentArgsNameAConfigFileTheConfigMapHolds() {
    JsonNode cm =
        ofKind("ConfigMap").stream()
            .filter(d -> d.path("metadata").path("name").asText().equals("vecwatch-config"))
            .findFirst()
            .orElseThrow();
    for (JsonNode w : ofKind("Deployment")) {
      List<String> args = new ArrayList<>();
      agentContainer(w).path("args").forEach(a -> args.add(a.asText()));
      String config = args.get(args.indexOf("--config.file") + 1);
      assertThat(config).startsWith("/etc/vecwatch/config/");
      assertThat(cm.path("data").has(config.substring("/etc/vecwatch/config/".length())))
          .as(config)
          .isTrue();
    }
  }

  @Test
  void monitorsSelectWhatTheWorkloadsLabelAndExpose() {
    JsonNode sm = ofKind("ServiceMonitor").get(0);
    JsonNode svc = ofKind("Service").get(0);
    assertThat(svc.path("metadata").path("labels").path("app.kubernetes.io/name").asText())
        .isEqualTo(
            sm.path("spec")
                .path("selector")
                .path("matchLabels")
                .path("app.kubernetes.io/name")
                .asText());
    assertThat(svc.path("spec").path("ports").get(0).path("name").asText())
        .isEqualTo(sm.path("spec").path("endpoints").get(0).path("port").asText());
    JsonNode pm = ofKind("PodMonitor").get(0);
    JsonNode sidecar =
        ofKind("Deployment").stream()
            .filter(d -> !d.path("metadata").path("name").asText().equals("vecwatch"))
            .findFirst()
            .orElseThrow();
    assertThat(
            sidecar
                .path("spec")
                .path("template")
                .path("metadata")
                .path("labels")
                .path("vecwatch.io/sidecar")
                .asText())
        .isEqualTo(
            pm.path("spec")
                .path("selector")
                .path("matchLabels")
                .path("vecwatch.io/sidecar")
                .asText());
    assertThat(agentContainer(sidecar).path("ports").get(0).path("name").asText())
        .isEqualTo(pm.path("spec").path("podMetricsEndpoints").get(0).path("port").asText());
  }

  @Test
  void theConfigsInTheConfigMapPassTheAgentsConfigCheck() {
    JsonNode data = ofKind("ConfigMap").get(0).path("data");
    assertThat(data.size()).isEqualTo(2);
    data.fields()
        .forEachRemaining(
            e ->
                AgentConfigCheck.assertValid(
                    "configmap.yaml " + e.getKey(),
                    e.getValue().asText(),
                    Map.of("POD_NAME", "proxy-0", "CLUSTER", "test")));
  }
}
