package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.target.registry.TargetKinds;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing in a dashboard or a rule may read a series the agent does not export. Starts the real
 * agent (the shaded jar, as a user would: {@code run --config F --web.listen-address 127.0.0.1:P})
 * with every feature this build has switched on, scrapes {@code /metrics}, and checks every metric
 * name of every dashboard query and every {@code rules/} expression against the scrape.
 *
 * <p>Features and their peers: in-process flat and HNSW targets (always) and a migration between
 * them; rules with a test alert that fires at once, sending to the real Alertmanager of
 * .ci/peers.sh; a Milvus target against the real Milvus Lite of .ci/peers.sh, its collection
 * created by the compose stack's own loader script; server-side metrics from a stub HTTP server
 * replaying a recorded Milvus 2.3 {@code /metrics} page (Milvus Lite has no :9091 endpoint, so that
 * endpoint truly cannot run here); OTLP and Loki exporters pointed at a closed port (their queue
 * and drop series exist either way). While a feature's code is not in this build its names cannot
 * be exported: then only the names docs/metrics.md documents are required, and the test says which
 * names it could not check.
 */
class MetricNamesExportedIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static boolean sectionKnown(String yaml) {
    try {
      new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("probe", yaml, Path.of("/"));
      return true;
    } catch (ConfigException e) {
      return e.problems().stream().noneMatch(p -> p.contains("unknown key"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5))
                .header("Accept", "text/plain; version=0.0.4")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? r.body() : "";
  }

  /** Sample names in Prometheus text exposition. */
  static Set<String> sampleNames(String exposition) {
    Set<String> out = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      out.add(line.substring(0, end));
    }
    return out;
  }

  /**
   * A recorded Milvus /metrics page on the test classpath (from the telemetry or Milvus work), if
   * any.
   */
  private static byte[] recordedMilvusMetrics() throws IOException {
    for (String r :
        List.of("/io/vecwatch/serverside/milvus-2.3.5-metrics.txt", "/milvus/metrics-2.3.5.txt")) {
      try (InputStream in = MetricNamesExportedIT.class.getResourceAsStream(r)) {
        if (in != null) {
          return in.readAllBytes();
        }
      }
    }
    return null;
  }

  @Test
  void everyNameInTheDashboardsAndRulesIsInARealScrape(@TempDir Path dir) throws Exception {
    Path jar = Repo.file("agent/target/vecwatch.jar");
    assertThat(jar).as("run the integration tests after package").exists();

    boolean rules = sectionKnown("rule_files: []\nalerting: {}\n");
    boolean telemetry = sectionKnown("telemetry: {}\n");
    boolean milvus = TargetKinds.byName("milvus").isPresent();
    List<String> off = new ArrayList<>();
    List<String> datasets =
        new ArrayList<>(
            List.of(
                "  - {name: demo, metric: l2, generate: {count: 2000, dim: 32, queries: 50, clusters: 8, ground_truth_k: 100}}"));
    List<String> targets =
        new ArrayList<>(
            List.of(
                "  - {name: it-flat, kind: flat, dataset: demo, labels: {env: it}}",
                "  - {name: it-hnsw, kind: lucene_hnsw, dataset: demo}"));
    StringBuilder cfg = new StringBuilder();
    HttpServer milvusMetrics = null;
    try {
      if (milvus) {
        // The compose stack's loader creates the collection and writes the same vectors as dataset
        // files.
        Path demo = dir.resolve("demo");
        Path python = Path.of(System.getProperty("vecwatch.peers.home"), "milvus-lite/bin/python");
        ProcessBuilder pb =
            new ProcessBuilder(
                    python.toString(),
                    Repo.file("docs/deploy/compose/load-demo-collection.py").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("load.log").toFile());
        pb.environment()
            .putAll(
                Map.of(
                    "MILVUS_URI",
                    System.getProperty("vecwatch.milvusLite.uri"),
                    "DEMO_DIR",
                    demo.toString(),
                    "DEMO_COLLECTION",
                    "it_demo",
                    "DEMO_VECTORS",
                    "2000",
                    "DEMO_QUERIES",
                    "50",
                    "DEMO_DIM",
                    "32"));
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("load.log"))).isZero();
        datasets.add(
            "  - {name: demo-milvus, metric: l2, files: {base: \"%s\", queries: \"%s\"}}"
                .formatted(demo.resolve("base.fvecs"), demo.resolve("queries.fvecs")));
        targets.add(
            ("  - {name: it-milvus, kind: milvus, uri: \"%s\", collection: it_demo, vector_field: embedding,"
                    + " metric_type: l2, dataset: demo-milvus, expected_entities: 2000}")
                .formatted(System.getProperty("vecwatch.milvusLite.uri")));
      } else {
        off.add("milvus target");
      }
      cfg.append("datasets:\n").append(String.join("\n", datasets)).append('\n');
      cfg.append("targets:\n").append(String.join("\n", targets)).append('\n');
      // a migration between the two in-process targets: its series exist from the start
      cfg.append(
          "migrations:\n  - {name: it-move, source: it-flat, destination: it-hnsw, rate: 5}\n");
      if (rules) {
        Files.copy(
            Repo.file("docs/deploy/getting-started.rules.yml"),
            dir.resolve("getting-started.rules.yml"));
        cfg.append(
            """
            rule_files: ["%s/*.yml", "getting-started.rules.yml"]
            evaluation_interval: 1s
            alerting:
              alertmanagers:
                - url: %s
            """
                .formatted(Repo.file("rules"), System.getProperty("vecwatch.alertmanager.url")));
      } else {
        off.add("rules and alerting");
      }
      if (telemetry) {
        cfg.append("telemetry:\n");
        byte[] page = recordedMilvusMetrics();
        // Server-side metrics belong to whichever target the page is said to come from: the Milvus
        // one when this
        // build has the kind, else an in-process one (the scraper reads the page the same way).
        if (page != null) {
          milvusMetrics =
              HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
          milvusMetrics.createContext(
              "/metrics",
              ex -> {
                ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
                ex.sendResponseHeaders(200, page.length);
                ex.getResponseBody().write(page);
                ex.close();
              });
          milvusMetrics.start();
          cfg.append(
              "  server_metrics:\n    - {target: %s, url: \"http://127.0.0.1:%d/metrics\", interval: 1s, window: 2s}\n"
                  .formatted(
                      milvus ? "it-milvus" : "it-flat", milvusMetrics.getAddress().getPort()));
        } else {
          off.add("server-side metrics");
        }
        int closed = freePort();
        cfg.append(
            "  tracing: {endpoint: \"http://127.0.0.1:%d\"}\n  loki: {url: \"http://127.0.0.1:%d/loki/api/v1/push\"}\n"
                .formatted(closed, closed));
      } else {
        off.add("telemetry");
      }
      Path config = dir.resolve("vecwatch.yml");
      Files.writeString(config, cfg.toString());

      int port = freePort();
      Path log = dir.resolve("agent.log");
      Process agent =
          new ProcessBuilder(
                  "java",
                  "--add-modules",
                  "jdk.incubator.vector",
                  "-Xmx512m",
                  "-XX:+UseSerialGC",
                  "-jar",
                  jar.toString(),
                  "run",
                  "--config",
                  config.toString(),
                  "--web.listen-address",
                  "127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        String base = "http://127.0.0.1:" + port;
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  assertThat(agent.isAlive())
                      .as("agent exited: %s", Files.readString(log))
                      .isTrue();
                  return ready(base);
                });
        if (rules) { // the test alert fires at the first evaluation: ALERTS and ALERTS_FOR_STATE
          // appear
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> get(base + "/metrics").contains("ALERTS_FOR_STATE{"));
        }
        if (milvusMetrics
            != null) { // the served-requests series appear with the first server scrape
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> get(base + "/metrics").contains("vecwatch_served_requests_total"));
        }
        if (milvus) { // Milvus diagnostics appear with the first health check that reaches the
          // collection
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .untilAsserted(
                  () ->
                      assertThat(get(base + "/metrics"))
                          .as("Milvus diagnostics; targets: %s", get(base + "/api/v1/targets"))
                          .contains(
                              "vecwatch_milvus_load_progress_ratio{",
                              "vecwatch_milvus_index_pending_rows{"));
        }
        Set<String> exported = sampleNames(get(base + "/metrics"));
        assertThat(exported)
            .contains("vecwatch_target_up", "vecwatch_probe_latency_seconds_bucket");

        MetricContract contract = MetricContract.read(Repo.file("docs/metrics.md"));
        Set<String> recorded = RuleFiles.recorded();
        Set<String> missing = new TreeSet<>();
        Set<String> unchecked = new TreeSet<>();
        for (Map.Entry<String, String> use : usedNames().entrySet()) {
          String name = use.getKey();
          if (KnownSeries.EXTERNAL.contains(name)
              || recorded.contains(name)
              || exported.contains(name)) {
            continue;
          }
          if (off.isEmpty() || contract.contains(name)) {
            missing.add(name + " (" + use.getValue() + ")");
          } else {
            unchecked.add(name);
          }
        }
        assertThat(missing)
            .as("read by dashboards or rules but not exported by the agent")
            .isEmpty();
        assertThat(unchecked)
            .as("features off in this build: %s; names not checked", off)
            .isEmpty();
      } finally {
        agent.destroy();
        if (!agent.waitFor(20, TimeUnit.SECONDS)) {
          agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      if (milvusMetrics != null) {
        milvusMetrics.stop(0);
      }
    }
  }

  private static boolean ready(String base) {
    try {
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/-/ready"))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Every metric name the dashboards and rule files read, with one place that reads it. */
  private static Map<String, String> usedNames() throws IOException {
    Map<String, String> out = new TreeMap<>();
    Map<String, String> datasources = GrafanaDashboards.provisionedDatasources();
    for (GrafanaDashboards.Dashboard d : GrafanaDashboards.load()) {
      for (GrafanaDashboards.Query q : GrafanaDashboards.queries(d)) {
        if ("prometheus".equals(datasources.get(q.datasourceUid()))) {
          Set<String> names =
              q.kind() == GrafanaDashboards.Kind.VARIABLE
                  ? PromQlNames.ofVariableQuery(q.expr())
                  : PromQlNames.of(q.expr());
          names.forEach(n -> out.putIfAbsent(n, q.where()));
        }
      }
    }
    for (Path f : RuleFiles.files()) {
      for (RuleFiles.Expr e : RuleFiles.expressions(f)) {
        PromQlNames.of(e.expr()).forEach(n -> out.putIfAbsent(n, e.where()));
      }
    }
    return out;
  }

  @Test
  void sampleNamesAreReadFromTheExposition() {
    assertThat(
            sampleNames(
                """
        # HELP a_total x
        # TYPE a_total counter
        a_total{x="1"} 3
        b 1.5
        c_bucket{le="+Inf"} 2
        """))
        .containsExactly("a_total", "b", "c_bucket");
  }
}
