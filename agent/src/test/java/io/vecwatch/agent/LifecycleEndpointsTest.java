package io.vecwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.target.registry.TargetKinds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code /-/reload}, {@code /-/quit} and {@code /-/faults} answer only with {@code
 * --web.enable-lifecycle}.
 */
class LifecycleEndpointsTest {
  static final String CONFIG =
      """
      web:
        listen_address: "127.0.0.1:0"
      datasets:
        - name: d
          metric: l2
          generate: {count: 100, dim: 4, queries: 5, ground_truth_k: 10}
      targets:
        - name: a
          kind: flat
          dataset: d
      faults:
        admin_api: true
      """;

  private static HttpResponse<String> send(Agent a, String method, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.httpPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static VecwatchConfig config() throws Exception {
    return new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("t.yml", CONFIG, Path.of("."));
  }

  @Test
  void withoutTheFlagReloadQuitAndFaultsAre403WithPrometheusReason() throws Exception {
    CountDownLatch quit = new CountDownLatch(1);
    try (Agent a = Agent.builder(config()).onQuit(quit::countDown).start()) {
      for (String path : new String[] {"/-/reload", "/-/quit", "/-/faults?target=a&delay=1s"}) {
        HttpResponse<String> r = send(a, "POST", path);
        assertThat(r.statusCode()).as(path).isEqualTo(403);
        assertThat(r.body()).as(path).isEqualTo("Lifecycle API is not enabled.\n");
      }
      assertThat(quit.getCount()).isEqualTo(1);
    }
  }

  @Test
  void withTheFlagReloadWorksAndQuitEndsTheAgent() throws Exception {
    CountDownLatch quit = new CountDownLatch(1);
    try (Agent a = Agent.builder(config()).lifecycle(true).onQuit(quit::countDown).start()) {
      assertThat(send(a, "POST", "/-/reload").statusCode()).isEqualTo(200);
      assertThat(send(a, "GET", "/-/reload").statusCode()).isEqualTo(405);
      assertThat(send(a, "POST", "/-/faults?target=a&delay=1ms").statusCode()).isEqualTo(200);
      HttpResponse<String> r = send(a, "POST", "/-/quit");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("Requesting termination... Goodbye!\n");
      assertThat(quit.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
