package io.vecwatch.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The report's JSON shape, checked against the committed schema; the schema itself rejects what it
 * must.
 */
class ReportJsonTest {
  private static StepResult step(Mode mode, double offered, Map<String, Integer> params) {
    return new StepResult(
        mode,
        4,
        offered,
        120.5,
        0.004,
        0.006,
        0.009,
        Double.NaN,
        1205,
        0,
        0,
        new TreeMap<>(Map.of(10, 0.97, 100, 0.93)),
        params,
        10,
        List.of(ClientLimit.SCHEDULE_LAG),
        1.2,
        0.01,
        true,
        true);
  }

  private static LoadReport report() {
    return new LoadReport(
        "milvus-prod",
        "milvus",
        "sift",
        Instant.parse("2026-12-07T18:00:00Z"),
        60,
        Objective.DEFAULT,
        LoadSettings.defaults(),
        List.of(
            step(Mode.CLOSED, Double.NaN, Map.of()),
            step(Mode.OPEN, 120, Map.of()),
            step(Mode.PARAMS, Double.NaN, Map.of("ef", 64))),
        118.0,
        0.05,
        false,
        "ef",
        Map.of("ef", 64),
        List.of(Map.of("ef", 64)),
        4,
        120.5,
        new GeneratorOverhead(2, 90_000, 20, 50_000),
        true,
        null,
        List.of());
  }

  @Test
  void reportHasTheDocumentedFieldsAndMatchesTheSchema() throws Exception {
    ObjectNode json = ReportJson.toJson(report());

    assertThat(ReportSchema.validate(json.toString()).getValid()).isTrue();
    assertThat(json.get("capacity_rps").asDouble()).isEqualTo(118.0);
    assertThat(json.get("objective").get("p99_seconds").asDouble()).isEqualTo(0.1);
    assertThat(json.get("objective").get("recall_k").asInt()).isEqualTo(10);
    assertThat(json.get("recommended_params").get("ef").asInt()).isEqualTo(64);
    ObjectNode open = (ObjectNode) json.get("steps").get(1);
    assertThat(open.get("mode").asText()).isEqualTo("open");
    assertThat(open.get("offered_rps").asDouble()).isEqualTo(120);
    assertThat(open.get("recall").get("10").asDouble()).isEqualTo(0.97);
    // not measured: null, never NaN (which is not JSON)
    assertThat(open.get("p999_seconds").isNull()).isTrue();
    assertThat(json.get("steps").get(0).get("offered_rps").isNull()).isTrue();
  }

  @Test
  void schemaRejectsAReportWithoutCapacity() throws Exception {
    ObjectNode json = ReportJson.toJson(report());
    json.remove("capacity_rps");

    assertThat(ReportSchema.validate(json.toString()).getValid()).isFalse();
  }

  @Test
  void schemaRejectsAClosedStepWithAnOfferedRate() throws Exception {
    ObjectNode json = ReportJson.toJson(report());
    ((ObjectNode) json.get("steps").get(0)).put("offered_rps", 50.0);

    assertThat(ReportSchema.validate(json.toString()).getValid()).isFalse();
  }

  @Test
  void schemaRejectsAnUnknownClientLimit() throws Exception {
    ObjectNode json = ReportJson.toJson(report());
    ((ObjectNode) json.get("steps").get(0)).putArray("client_limits").add("gremlins");

    assertThat(ReportSchema.validate(json.toString()).getValid()).isFalse();
  }
}
