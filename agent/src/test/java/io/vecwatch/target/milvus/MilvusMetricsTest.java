package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.promtext.TextFormatParser;
import io.vecwatch.serverside.Recorded;
import io.vecwatch.serverside.ServerScrape;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MilvusMetricsTest {

  @Test
  void selectsRequestsLatencyAndProcessSeriesFromARealMilvus23Page() {
    String page = Recorded.metrics();
    ServerScrape s = MilvusMetrics.INSTANCE.select(TextFormatParser.parse(page));

    // Independent reading of the same text with regular expressions.
    assertThat(s.requests()).isEqualTo(sumByFunction(page, "total"));
    assertThat(s.failures()).isEqualTo(sumByFunction(page, "fail"));
    assertThat(s.requests()).containsKey("Search");

    TreeMap<Double, Double> buckets = new TreeMap<>();
    Matcher m =
        Pattern.compile("(?m)^milvus_proxy_sq_latency_bucket\\{(.*)\\} (\\S+)$").matcher(page);
    while (m.find()) {
      if (m.group(1).contains("query_type=\"search\"")) {
        Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(m.group(1));
        le.find();
        double bound =
            le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
        buckets.merge(bound, Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    assertThat(s.searchLatencyMs().upperBounds())
        .containsExactly(buckets.keySet().stream().mapToDouble(Double::doubleValue).toArray());
    assertThat(s.searchLatencyMs().cumulativeCounts())
        .containsExactly(buckets.values().stream().mapToDouble(Double::doubleValue).toArray());
    assertThat(s.searchLatencyMs().count())
        .isEqualTo(
            single(page, "milvus_proxy_sq_latency_count\\{node_id=\"1\",query_type=\"search\"\\}"));
    assertThat(s.searchLatencySumMs())
        .isEqualTo(
            single(page, "milvus_proxy_sq_latency_sum\\{node_id=\"1\",query_type=\"search\"\\}"));
    assertThat(s.cpuSeconds()).hasValue(single(page, "process_cpu_seconds_total"));
    assertThat(s.residentBytes()).hasValue(single(page, "process_resident_memory_bytes"));
  }

  @Test
  void sumsOverNodesAndCollections() {
    String page =
        String.join(
            "\n",
            "# TYPE milvus_proxy_req_count counter",
            "milvus_proxy_req_count{function_name=\"Search\",node_id=\"1\",status=\"total\"} 10",
            "milvus_proxy_req_count{function_name=\"Search\",node_id=\"2\",status=\"total\"} 5",
            "milvus_proxy_req_count{function_name=\"Search\",node_id=\"2\",status=\"fail\"} 1",
            "milvus_proxy_sq_latency_bucket{collection_name=\"a\",node_id=\"1\",query_type=\"search\",le=\"1\"} 1",
            "milvus_proxy_sq_latency_bucket{collection_name=\"a\",node_id=\"1\",query_type=\"search\",le=\"+Inf\"} 3",
            "milvus_proxy_sq_latency_bucket{collection_name=\"b\",node_id=\"1\",query_type=\"search\",le=\"1\"} 2",
            "milvus_proxy_sq_latency_bucket{collection_name=\"b\",node_id=\"1\",query_type=\"search\",le=\"+Inf\"} 2",
            "milvus_proxy_sq_latency_bucket{collection_name=\"b\",node_id=\"1\",query_type=\"query\",le=\"1\"} 7",
            "");

    ServerScrape s = MilvusMetrics.INSTANCE.select(TextFormatParser.parse(page));

    assertThat(s.requests()).containsExactly(Map.entry("Search", 15.0));
    assertThat(s.failures()).containsExactly(Map.entry("Search", 1.0));
    assertThat(s.searchLatencyMs().upperBounds()).containsExactly(1, Double.POSITIVE_INFINITY);
    assertThat(s.searchLatencyMs().cumulativeCounts()).containsExactly(1 + 2, 3 + 2);
    assertThat(s.cpuSeconds()).isEmpty();
  }

  private static Map<String, Double> sumByFunction(String page, String status) {
    Map<String, Double> out = new HashMap<>();
    Matcher m =
        Pattern.compile(
                "(?m)^milvus_proxy_req_count\\{function_name=\"(\\w+)\",node_id=\"\\d+\",status=\""
                    + status
                    + "\"\\} (\\S+)$")
            .matcher(page);
    while (m.find()) {
      out.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
    }
    return out;
  }

  private static double single(String page, String seriesRegex) {
    Matcher m = Pattern.compile("(?m)^" + seriesRegex + " (\\S+)$").matcher(page);
    assertThat(m.find()).as(seriesRegex).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
