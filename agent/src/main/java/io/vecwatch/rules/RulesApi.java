package io.vecwatch.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecwatch.rules.template.GoFormat;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/v1/rules} and {@code /api/v1/alerts} bodies in Prometheus' JSON shapes, so tools that
 * read Prometheus (Grafana's alert list, scripts, {@code promtool}-like checks) can read the agent.
 */
public final class RulesApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private RulesApi() {}

  /** {@code {"status":"success","data":{"groups":[...]}}}. */
  public static ObjectNode rules(RuleEngine engine) {
    ObjectNode root = JSON.createObjectNode();
    root.put("status", "success");
    ArrayNode groups = root.putObject("data").putArray("groups");
    for (RuleGroup g : engine.groups()) {
      ObjectNode go = groups.addObject();
      go.put("name", g.name());
      go.put("file", g.spec().file().toString());
      ArrayNode rules = go.putArray("rules");
      for (Rule r : g.rules()) {
        ObjectNode ro = rules.addObject();
        if (r instanceof AlertingRule ar) {
          ro.put("state", ar.state().toString());
          ro.put("name", r.name());
          ro.put("query", r.spec().exprText().strip());
          ro.put("duration", r.spec().holdDuration().toMillis() / 1e3);
          ro.put("keepFiringFor", r.spec().keepFiringFor().toMillis() / 1e3);
          map(ro.putObject("labels"), r.spec().labelTexts());
          map(ro.putObject("annotations"), r.spec().annotationTexts());
          ArrayNode alerts = ro.putArray("alerts");
          for (AlertSnapshot a : ar.alerts()) {
            if (a.isActive()) {
              alert(alerts.addObject(), a);
            }
          }
          ro.put("type", "alerting");
        } else {
          ro.put("name", r.name());
          ro.put("query", r.spec().exprText().strip());
          map(ro.putObject("labels"), r.spec().labelTexts());
          ro.put("type", "recording");
        }
        ro.put("health", r.health().toString());
        ro.put("lastError", r.lastError());
        ro.put("evaluationTime", r.evaluationSeconds());
        ro.put("lastEvaluation", time(r.lastEvaluation()));
      }
      go.put("interval", g.interval().toMillis() / 1e3);
      go.put("limit", g.spec().limit());
      go.put("evaluationTime", g.evaluationSeconds());
      go.put("lastEvaluation", time(g.lastEvaluation()));
    }
    return root;
  }

  /** {@code {"status":"success","data":{"alerts":[...]}}}: every pending or firing alert. */
  public static ObjectNode alerts(RuleEngine engine) {
    ObjectNode root = JSON.createObjectNode();
    root.put("status", "success");
    ArrayNode alerts = root.putObject("data").putArray("alerts");
    for (RuleGroup g : engine.groups()) {
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule ar) {
          for (AlertSnapshot a : ar.alerts()) {
            if (a.isActive()) {
              alert(alerts.addObject(), a);
            }
          }
        }
      }
    }
    return root;
  }

  private static void alert(ObjectNode o, AlertSnapshot a) {
    map(o.putObject("labels"), a.labels().toMap());
    map(o.putObject("annotations"), a.annotations());
    o.put("state", a.state().toString());
    o.put("activeAt", time(a.activeAt()));
    if (a.keepFiringSince() != AlertSnapshot.NONE) {
      o.put("keepFiringSince", time(a.keepFiringSince()));
    }
    o.put("value", GoFormat.formatFloat(a.value(), 'e', -1));
  }

  private static void map(ObjectNode o, Map<String, String> m) {
    new TreeMap<>(m).forEach(o::put);
  }

  private static String time(long millis) {
    return millis == AlertSnapshot.NONE ? ZERO_TIME : Instant.ofEpochMilli(millis).toString();
  }
}
