package io.vecwatch.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vecwatch.config.YamlErrors;
import io.vecwatch.promtext.Labels;
import io.vecwatch.rules.promql.Expr;
import io.vecwatch.rules.promql.Parser;
import io.vecwatch.rules.promql.PromQLException;
import io.vecwatch.rules.template.Template;
import io.vecwatch.rules.template.TemplateException;
import io.vecwatch.time.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Prometheus rule files ({@code groups[]} with {@code name}, {@code interval}, {@code limit},
 * {@code rules[]}) and validates them the way {@code promtool check rules} does, plus the limits of
 * vecwatch's PromQL and template subsets. Every problem is one line: {@code FILE: group "G", rule
 * "R": message}.
 */
public final class RuleFileParser {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> GROUP_KEYS = Set.of("name", "interval", "limit", "rules");
  private static final Set<String> RULE_KEYS =
      Set.of("alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations");

  /** The groups of some files and every problem found in them. */
  public record Result(List<RuleGroupSpec> groups, List<String> problems) {
    public Result {
      groups = List.copyOf(groups);
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }

    public int ruleCount() {
      return groups.stream().mapToInt(g -> g.rules().size()).sum();
    }
  }

  private RuleFileParser() {}

  /** Parses every file; problems of all files are collected. */
  public static Result parseFiles(List<Path> files) {
    List<RuleGroupSpec> groups = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path f : files) {
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        problems.add(f + ": file does not exist");
        continue;
      } catch (IOException e) {
        problems.add(f + ": cannot read: " + e.getMessage());
        continue;
      }
      Result r = parse(f, text);
      groups.addAll(r.groups());
      problems.addAll(r.problems());
    }
    return new Result(groups, problems);
  }

  /** Parses one file's text; {@code file} names it in messages. */
  public static Result parse(Path file, String text) {
    List<String> problems = new ArrayList<>();
    List<RuleGroupSpec> groups = new ArrayList<>();
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      problems.add(file + ": " + YamlErrors.describe(e));
      return new Result(groups, problems);
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return new Result(groups, problems); // an empty file has no groups, as in Prometheus
    }
    if (!root.isObject()) {
      problems.add(file + ": top level must be a mapping with a groups list");
      return new Result(groups, problems);
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("groups")) {
        problems.add(file + ": unknown key \"" + k + "\"");
      }
    }
    JsonNode gs = root.get("groups");
    if (gs == null || gs.isNull()) {
      return new Result(groups, problems);
    }
    if (!gs.isArray()) {
      problems.add(file + ": groups must be a list");
      return new Result(groups, problems);
    }
    Set<String> names = new HashSet<>();
    for (int gi = 0; gi < gs.size(); gi++) {
      JsonNode g = gs.get(gi);
      if (!g.isObject()) {
        problems.add(file + ": groups[" + gi + "] must be a mapping");
        continue;
      }
      String gname = text(g, "name");
      String gp = file + ": group \"" + (gname == null ? "" : gname) + "\"";
      if (gname == null || gname.isEmpty()) {
        gp = file + ": groups[" + gi + "]";
        problems.add(gp + ": groupname must not be empty");
      } else if (!names.add(gname)) {
        problems.add(file + ": groupname: \"" + gname + "\" is repeated in the same file");
      }
      unknownKeys(g, GROUP_KEYS, gp, problems);
      Optional<Duration> interval = Optional.empty();
      if (has(g, "interval")) {
        interval = duration(g, "interval", gp, problems);
        if (interval.isPresent() && interval.get().isZero()) {
          problems.add(gp + ": interval must be greater than 0");
          interval = Optional.empty();
        }
      }
      int limit = 0;
      if (has(g, "limit")) {
        JsonNode l = g.get("limit");
        if (!l.canConvertToInt()
            || l.asInt() < 0
            || !(l.isInt() || l.isTextual() && l.asText().matches("\\d+"))) {
          problems.add(gp + ": limit must be a non-negative integer");
        } else {
          limit = l.asInt();
        }
      }
      List<RuleSpec> rules = new ArrayList<>();
      JsonNode rs = g.get("rules");
      if (rs != null && !rs.isNull()) {
        if (!rs.isArray()) {
          problems.add(gp + ": rules must be a list");
        } else {
          for (int ri = 0; ri < rs.size(); ri++) {
            RuleSpec spec = rule(rs.get(ri), ri, gp, problems);
            if (spec != null) {
              rules.add(spec);
            }
          }
        }
      }
      groups.add(new RuleGroupSpec(file, gname == null ? "" : gname, interval, limit, rules));
    }
    return new Result(problems.isEmpty() ? groups : List.of(), problems);
  }

  private static RuleSpec rule(JsonNode r, int index, String gp, List<String> problems) {
    if (!r.isObject()) {
      problems.add(gp + ", rule " + (index + 1) + ": must be a mapping");
      return null;
    }
    String alert = text(r, "alert");
    String record = text(r, "record");
    String name = alert != null ? alert : record;
    String where =
        gp
            + ", rule "
            + (name == null || name.isEmpty() ? String.valueOf(index + 1) : "\"" + name + "\"");
    int before = problems.size();
    unknownKeys(r, RULE_KEYS, where, problems);
    boolean alerting = alert != null;
    if (alert == null && record == null) {
      problems.add(where + ": one of 'record' or 'alert' must be set");
      return null;
    }
    if (alert != null && record != null) {
      problems.add(where + ": only one of 'record' and 'alert' must be set");
      return null;
    }
    if (name.isEmpty()) {
      problems.add(where + ": " + (alerting ? "alert" : "record") + " name must not be empty");
    } else if (!alerting && !Labels.isValidMetricName(name)) {
      problems.add(where + ": invalid recording rule name: " + name);
    }
    String exprText = text(r, "expr");
    Expr expr = null;
    if (exprText == null || exprText.isBlank()) {
      problems.add(where + ": field 'expr' must be set in rule");
    } else {
      try {
        expr = Parser.parseRuleExpression(exprText);
      } catch (PromQLException e) {
        problems.add(
            where
                + ": "
                + (e.isUnsupported()
                    ? e.getMessage()
                    : "could not parse expression: " + e.getMessage()));
      }
    }
    Duration hold = Duration.ZERO;
    Duration keep = Duration.ZERO;
    if (!alerting) {
      for (String k : List.of("for", "keep_firing_for", "annotations")) {
        if (has(r, k)) {
          problems.add(where + ": invalid field '" + k + "' in recording rule");
        }
      }
    } else {
      if (has(r, "for")) {
        hold = duration(r, "for", where, problems).orElse(Duration.ZERO);
      }
      if (has(r, "keep_firing_for")) {
        keep = duration(r, "keep_firing_for", where, problems).orElse(Duration.ZERO);
      }
    }
    // Recording rule labels are literal in Prometheus: no template expansion.
    Map<String, Template> labels = templates(r, "labels", where, problems, true, !alerting);
    Map<String, Template> annotations = templates(r, "annotations", where, problems, false, false);
    if (problems.size() > before || expr == null) {
      return null;
    }
    return new RuleSpec(alerting, name, exprText, expr, hold, keep, labels, annotations);
  }

  private static Map<String, Template> templates(
      JsonNode r,
      String key,
      String where,
      List<String> problems,
      boolean labels,
      boolean literal) {
    Map<String, Template> out = new LinkedHashMap<>();
    JsonNode m = r.get(key);
    if (m == null || m.isNull()) {
      return out;
    }
    if (!m.isObject()) {
      problems.add(where + ": " + key + " must be a mapping");
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (labels && (!Labels.isValidLabelName(k) || k.equals(Labels.NAME))) {
        problems.add(where + ": invalid label name: " + k);
        continue;
      }
      if (!labels && !Labels.isValidLabelName(k)) {
        problems.add(where + ": invalid annotation name: " + k);
        continue;
      }
      if (!e.getValue().isValueNode()) {
        problems.add(where + ": " + key + "." + k + " must be a string");
        continue;
      }
      String v = e.getValue().isNull() ? "" : e.getValue().asText();
      if (literal) {
        out.put(k, Template.literal(v));
        continue;
      }
      try {
        out.put(k, Template.parse(v));
      } catch (TemplateException ex) {
        problems.add(
            where
                + ": "
                + (labels ? "label" : "annotation")
                + " \""
                + k
                + "\": "
                + ex.getMessage());
      }
    }
    return out;
  }

  private static void unknownKeys(
      JsonNode n, Set<String> known, String where, List<String> problems) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        String hint =
            k.equals("query_offset") || k.equals("labels") && known == GROUP_KEYS
                ? " (unsupported)"
                : "";
        problems.add(where + ": unknown key \"" + k + "\"" + hint);
      }
    }
  }

  private static boolean has(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v != null && !v.isNull();
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  private static Optional<Duration> duration(
      JsonNode n, String key, String where, List<String> problems) {
    String v = text(n, key);
    try {
      return Optional.of(Durations.parse(v));
    } catch (IllegalArgumentException | ArithmeticException e) {
      problems.add(
          where
              + ": "
              + key
              + ": "
              + (e.getMessage() == null ? "not a valid duration" : e.getMessage()));
      return Optional.empty();
    }
  }
}
