package io.vecwatch.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecwatch.promtext.Labels;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager API v2 JSON for a batch of alerts ({@code PostableAlerts}), times in RFC 3339 with
 * milliseconds.
 */
public final class AlertJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter RFC3339_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  private AlertJson() {}

  public static byte[] encode(List<PostableAlert> alerts) {
    ArrayNode arr = JSON.createArrayNode();
    for (PostableAlert a : alerts) {
      ObjectNode o = arr.addObject();
      ObjectNode labels = o.putObject("labels");
      Labels l = a.labels();
      for (int i = 0; i < l.size(); i++) {
        labels.put(l.nameAt(i), l.valueAt(i));
      }
      ObjectNode ann = o.putObject("annotations");
      for (Map.Entry<String, String> e : a.annotations().entrySet()) {
        ann.put(e.getKey(), e.getValue());
      }
      if (a.startsAt() != null) {
        o.put("startsAt", format(a.startsAt()));
      }
      if (a.endsAt() != null) {
        o.put("endsAt", format(a.endsAt()));
      }
      if (a.generatorURL() != null && !a.generatorURL().isEmpty()) {
        o.put("generatorURL", a.generatorURL());
      }
    }
    try {
      return JSON.writeValueAsBytes(arr);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode alerts", e);
    }
  }

  public static String format(Instant t) {
    return RFC3339_MILLIS.format(t);
  }
}
