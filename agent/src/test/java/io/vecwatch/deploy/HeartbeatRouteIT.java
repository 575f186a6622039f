package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vecwatch.web.TestPki;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dead man's switch (VecwatchWatchdog) has its own Alertmanager route that a heartbeat receiver
 * can rely on: checked with the real {@code amtool} (config check and route test) and by reading
 * the timings.
 */
class HeartbeatRouteIT {
  @Test
  void amtoolAcceptsTheConfigAndRoutesTheWatchdogToTheHeartbeatReceiver() throws Exception {
    String config = Repo.file("alertmanager/alertmanager.yml").toString();
    assertThat(TestPki.run(List.of("amtool", "check-config", config), 0)).contains("SUCCESS");
    String routed =
        TestPki.run(
            List.of(
                "amtool",
                "config",
                "routes",
                "test",
                "--config.file=" + config,
                "alertname=VecwatchWatchdog",
                "severity=none"),
            0);
    assertThat(routed.lines().filter(l -> !l.startsWith("Warning")).map(String::strip).toList())
        .anyMatch(l -> l.startsWith("heartbeat"));
    // a critical alert still goes to on-call, not to the heartbeat
    String critical =
        TestPki.run(
            List.of(
                "amtool",
                "config",
                "routes",
                "test",
                "--config.file=" + config,
                "alertname=VecwatchTargetDown",
                "severity=critical"),
            0);
    assertThat(critical).contains("oncall").doesNotContain("heartbeat");
  }

  @Test
  void theHeartbeatIsSentAtOnceAndEveryMinute() throws Exception {
    JsonNode root =
        new ObjectMapper(new YAMLFactory())
            .readTree(Repo.file("alertmanager/alertmanager.yml").toFile());
    JsonNode first = root.path("route").path("routes").get(0);
    assertThat(first.path("matchers").get(0).asText()).isEqualTo("alertname=\"VecwatchWatchdog\"");
    assertThat(first.path("receiver").asText()).isEqualTo("heartbeat");
    assertThat(first.path("group_wait").asText()).isEqualTo("0s");
    assertThat(first.path("repeat_interval").asText()).isEqualTo("1m");
  }
}
