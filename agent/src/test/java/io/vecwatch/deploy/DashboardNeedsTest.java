package io.vecwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A panel that stays empty without Milvus, the server's metrics or Loki says so in its description,
 * so a new user running the in-process demo does not think the agent is broken.
 */
class DashboardNeedsTest {
  private static void walk(JsonNode panels, List<JsonNode> out) {
    for (JsonNode p : panels) {
      out.add(p);
      walk(p.path("panels"), out);
    }
  }

  @Test
  void panelsThatNeedMilvusServerMetricsOrLokiSaySo() throws Exception {
    List<String> silent = new ArrayList<>();
    int checked = 0;
    for (String f :
        List.of("vecwatch-overview.json", "vecwatch-target.json", "vecwatch-agent.json")) {
      Path file = Repo.file("dashboards/" + f);
      List<JsonNode> panels = new ArrayList<>();
      walk(new ObjectMapper().readTree(file.toFile()).path("panels"), panels);
      for (JsonNode p : panels) {
        String exprs = p.path("targets").toString();
        String desc = p.path("description").asText("");
        boolean milvus = exprs.contains("vecwatch_milvus_");
        boolean server = exprs.matches(".*vecwatch_(server_|latency_gap|served_).*");
        boolean loki =
            p.path("type").asText().equals("logs") || p.toString().contains("vecwatch-loki");
        if (milvus || server || loki) {
          checked++;
          if (!desc.contains("Needs ")) {
            silent.add(f + ": " + p.path("title").asText());
          }
        }
      }
    }
    assertThat(checked).isPositive();
    assertThat(silent).isEmpty();
  }
}
