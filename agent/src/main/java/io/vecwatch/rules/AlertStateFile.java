package io.vecwatch.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecwatch.promtext.Labels;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alert state file: every alerting rule's alerts with their timestamps, keyed by rule identity,
 * written atomically (temporary file in the same folder, then a rename) so a crash never leaves
 * half a file.
 *
 * <pre>{@code
 * {"version":1,"savedAt":1700000000000,"rules":[{"identity":"...","group":"g","rule":"R","alerts":[
 *   {"labels":{...},"annotations":{...},"state":"firing","value":1.0,"activeAt":...,"firedAt":...}]}]}
 * }</pre>
 */
public final class AlertStateFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One rule's alerts. */
  public record RuleState(String identity, String group, String rule, List<AlertSnapshot> alerts) {
    public RuleState {
      alerts = List.copyOf(alerts);
    }
  }

  /** The file's content. */
  public record Saved(long savedAt, List<RuleState> rules) {
    public Saved {
      rules = List.copyOf(rules);
    }
  }

  private AlertStateFile() {}

  public static byte[] encode(List<RuleState> rules, long savedAt) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    root.put("savedAt", savedAt);
    ArrayNode rs = root.putArray("rules");
    for (RuleState r : rules) {
      ObjectNode o = rs.addObject();
      o.put("identity", r.identity());
      o.put("group", r.group());
      o.put("rule", r.rule());
      ArrayNode as = o.putArray("alerts");
      for (AlertSnapshot a : r.alerts()) {
        ObjectNode ao = as.addObject();
        ObjectNode l = ao.putObject("labels");
        a.labels().toMap().forEach(l::put);
        ObjectNode an = ao.putObject("annotations");
        new TreeMap<>(a.annotations()).forEach(an::put);
        ao.put("state", a.state().toString());
        ao.put("value", a.value());
        time(ao, "activeAt", a.activeAt());
        time(ao, "firedAt", a.firedAt());
        time(ao, "resolvedAt", a.resolvedAt());
        time(ao, "lastSentAt", a.lastSentAt());
        time(ao, "validUntil", a.validUntil());
        time(ao, "keepFiringSince", a.keepFiringSince());
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void time(ObjectNode o, String key, long v) {
    if (v == AlertSnapshot.NONE) {
      o.putNull(key);
    } else {
      o.put(key, v);
    }
  }

  /** Writes {@code bytes} to {@code file} atomically. */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads a state file; throws {@link IOException} when it is unreadable or malformed. */
  public static Saved read(Path file) throws IOException {
    JsonNode root = JSON.readTree(Files.readAllBytes(file));
    if (root == null || !root.isObject() || root.path("version").asInt() != 1) {
      throw new IOException(file + ": not a vecwatch alert state file (version 1)");
    }
    List<RuleState> rules = new ArrayList<>();
    for (JsonNode r : root.path("rules")) {
      List<AlertSnapshot> alerts = new ArrayList<>();
      for (JsonNode a : r.path("alerts")) {
        AlertState state;
        try {
          state = AlertState.valueOf(a.path("state").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new IOException(file + ": unknown alert state " + a.path("state").asText());
        }
        alerts.add(
            new AlertSnapshot(
                Labels.fromMap(map(a.path("labels"))),
                map(a.path("annotations")),
                state,
                a.path("value").asDouble(),
                time(a, "activeAt"),
                time(a, "firedAt"),
                time(a, "resolvedAt"),
                time(a, "lastSentAt"),
                time(a, "validUntil"),
                time(a, "keepFiringSince")));
      }
      rules.add(
          new RuleState(
              r.path("identity").asText(),
              r.path("group").asText(),
              r.path("rule").asText(),
              alerts));
    }
    return new Saved(root.path("savedAt").asLong(), rules);
  }

  private static Map<String, String> map(JsonNode n) {
    Map<String, String> m = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }

  private static long time(JsonNode a, String key) {
    JsonNode v = a.get(key);
    return v == null || v.isNull() ? AlertSnapshot.NONE : v.asLong();
  }
}
