package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecwatch.serverside.Recorded;
import io.vecwatch.serverside.SystemInfo;
import org.junit.jupiter.api.Test;

class MilvusSystemInfoParseTest {

  @Test
  void readsTheProxysHardwareFromARealMilvus23Answer() throws Exception {
    String json = Recorded.systemInfo();
    SystemInfo info = MilvusSystemInfo.parse(json).orElseThrow();

    JsonNode proxy = null;
    for (JsonNode n : new ObjectMapper().readTree(json).path("nodes_info")) {
      if (n.path("infos").path("type").asText().equals("proxy")) {
        proxy = n.path("infos").path("hardware_infos");
      }
    }
    assertThat(proxy).isNotNull();
    assertThat(info.memoryBytes()).hasValue(proxy.path("memory").asLong());
    assertThat(info.cpuCores()).hasValue(proxy.path("cpu_core_count").asDouble());
  }

  @Test
  void answersWithoutHardwareGiveNothing() {
    assertThat(MilvusSystemInfo.parse("{\"nodes_info\":[]}")).isEmpty();
    assertThat(MilvusSystemInfo.parse("not json")).isEmpty();
  }
}
