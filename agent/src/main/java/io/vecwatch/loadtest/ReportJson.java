package io.vecwatch.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * {@code report.json}: the report in the shape {@code docs/load-report.schema.json} describes.
 * Seconds and ratios are plain numbers; a figure that was not measured (NaN) is {@code null}. The
 * agent reads {@code target} and {@code capacity_rps} through {@code capacity_from_report}.
 */
public final class ReportJson {
  /** Bumped when a field changes meaning or goes away. */
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  public static void write(LoadReport r, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, MAPPER.writeValueAsString(toJson(r)) + "\n");
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static ObjectNode toJson(LoadReport r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("schema_version", SCHEMA_VERSION);
    o.put("target", r.target());
    o.put("kind", r.kind());
    o.put("dataset", r.dataset());
    o.put("started_at", r.startedAt().toString());
    number(o, "duration_seconds", r.durationSeconds());
    o.put("complete", r.complete());
    if (r.stopReason() == null) {
      o.putNull("stop_reason");
    } else {
      o.put("stop_reason", r.stopReason());
    }
    ObjectNode obj = o.putObject("objective");
    number(obj, "p99_seconds", r.objective().p99Seconds());
    obj.put("recall_k", r.objective().recallK());
    number(obj, "recall", r.objective().recall());
    number(obj, "error_ratio", r.objective().errorRatio());
    boxed(o, "capacity_rps", r.capacityRps());
    boxed(o, "capacity_precision", r.capacityPrecision());
    o.put("capacity_capped", r.capacityCapped());
    if (r.parameter() == null) {
      o.putNull("parameter");
    } else {
      o.put("parameter", r.parameter());
    }
    if (r.recommendedParams() == null) {
      o.putNull("recommended_params");
    } else {
      params(o.putObject("recommended_params"), r.recommendedParams());
    }
    ArrayNode front = o.putArray("pareto_front");
    r.pareto().forEach(p -> params(front.addObject(), p));
    if (r.kneeConcurrency() == null) {
      o.putNull("knee_concurrency");
    } else {
      o.put("knee_concurrency", r.kneeConcurrency());
    }
    boxed(o, "max_closed_rps", r.maxClosedRps());
    if (r.generator() == null) {
      o.putNull("generator");
    } else {
      ObjectNode g = o.putObject("generator");
      g.put("threads", r.generator().threads());
      number(g, "noop_rps", r.generator().requestsPerSecond());
      number(g, "cpu_microseconds_per_request", r.generator().cpuMicrosPerRequest());
      number(g, "rps_per_core", r.generator().requestsPerSecondPerCore());
    }
    ObjectNode s = o.putObject("settings");
    LoadSettings ls = r.settings();
    ls.levels().forEach(s.putArray("levels")::add);
    number(s, "warmup_seconds", ls.warmup().toNanos() / 1e9);
    number(s, "first_warmup_seconds", ls.firstWarmup().toNanos() / 1e9);
    number(s, "step_seconds", ls.step().toNanos() / 1e9);
    s.put("open_workers", ls.openWorkers());
    number(s, "growth", ls.growth());
    number(s, "precision", ls.precision());
    number(s, "max_rate", ls.maxRate());
    number(s, "max_duration_seconds", ls.maxDuration().toNanos() / 1e9);
    s.put("request_budget", ls.requestBudget());
    r.notes().forEach(o.putArray("notes")::add);
    ArrayNode steps = o.putArray("steps");
    for (StepResult st : r.steps()) {
      ObjectNode j = steps.addObject();
      j.put("mode", st.mode().id());
      j.put("concurrency", st.concurrency());
      number(j, "offered_rps", st.offeredRps());
      number(j, "achieved_rps", st.achievedRps());
      number(j, "p50_seconds", st.p50Seconds());
      number(j, "p95_seconds", st.p95Seconds());
      number(j, "p99_seconds", st.p99Seconds());
      number(j, "p999_seconds", st.p999Seconds());
      number(j, "error_ratio", st.errorRatio());
      number(j, "timeout_ratio", st.timeoutRatio());
      ObjectNode rec = j.putObject("recall");
      st.recall().forEach((k, v) -> number(rec, Integer.toString(k), v));
      params(j.putObject("params"), st.params());
      j.put("requests", st.requests());
      number(j, "duration_seconds", st.durationSeconds());
      j.put("holds", st.holds());
      j.put("complete", st.complete());
      st.clientLimits().forEach(j.putArray("client_limits")::add);
      number(j, "client_cpu_cores", st.clientCpu());
      number(j, "client_overhead_ratio", st.overheadRatio());
    }
    return o;
  }

  private static void params(ObjectNode o, Map<String, Integer> p) {
    p.forEach(o::put);
  }

  private static void number(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  private static void boxed(ObjectNode o, String key, Double v) {
    number(o, key, v == null ? Double.NaN : v);
  }
}
