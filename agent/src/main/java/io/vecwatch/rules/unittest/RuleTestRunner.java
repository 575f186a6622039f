package io.vecwatch.rules.unittest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vecwatch.notify.AlertSender;
import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.AlertSnapshot;
import io.vecwatch.rules.AlertState;
import io.vecwatch.rules.AlertingRule;
import io.vecwatch.rules.EvalContext;
import io.vecwatch.rules.Globs;
import io.vecwatch.rules.Rule;
import io.vecwatch.rules.RuleFileParser;
import io.vecwatch.rules.RuleGroup;
import io.vecwatch.rules.RuleGroupSpec;
import io.vecwatch.rules.history.SeriesStore;
import io.vecwatch.rules.promql.EvalException;
import io.vecwatch.rules.promql.Evaluator;
import io.vecwatch.rules.promql.Parser;
import io.vecwatch.rules.promql.PromQLException;
import io.vecwatch.rules.promql.Value;
import io.vecwatch.rules.template.GoFormat;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs rule unit tests in promtool's format ({@code promtool test rules}), with promtool 2.42's evaluation loop
 * and messages: every group is evaluated at each {@code evaluation_interval} step from time 0; alert tests compare
 * the firing alerts of the evaluation at or just before {@code eval_time}; expression tests run after all
 * evaluations.
 */
public final class RuleTestRunner {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> FILE_KEYS = Set.of("rule_files", "evaluation_interval", "group_eval_order", "tests");
  private static final Set<String> GROUP_KEYS = Set.of(
      "interval", "input_series", "alert_rule_test", "promql_expr_test", "external_labels", "external_url", "name");

  private final PrintStream out;
  private final PrintStream err;

  public RuleTestRunner(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs every file; returns promtool's exit code: 0 when all pass, 1 otherwise. */
  public int run(List<Path> files) {
    boolean failed = false;
    for (Path f : files) {
      List<String> errs = runFile(f);
      if (!errs.isEmpty()) {
        err.println("  FAILED:");
        for (String e : errs) {
          err.println(e);
          out.println();
        }
        failed = true;
      } else {
        out.println("  SUCCESS");
      }
      out.println();
    }
    out.flush();
    err.flush();
    return failed ? 1 : 0;
  }

  List<String> runFile(Path file) {
    out.println("Unit Testing:  " + file);
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      return List.of(file + ": not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      return List.of("open " + file + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return List.of(file + ": a test file must be a mapping");
    }
    try {
      strict(root, FILE_KEYS, "unitTestFile");
      Duration evalInterval = duration(root.get("evaluation_interval"), Duration.ofMinutes(1));
      Map<String, Integer> order = new HashMap<>();
      List<String> groupOrder = strings(root.get("group_eval_order"));
      for (int i = 0; i < groupOrder.size(); i++) {
        if (order.putIfAbsent(groupOrder.get(i), i) != null) {
          return List.of("group name repeated in evaluation order: " + groupOrder.get(i));
        }
      }
      List<Path> ruleFiles = new ArrayList<>();
      Path dir = file.toAbsolutePath().getParent();
      for (String pattern : strings(root.get("rule_files"))) {
        List<Path> m = Globs.expand(dir, pattern);
        if (m.isEmpty()) {
          err.println("  WARNING: no file match pattern " + dir.resolve(pattern).normalize());
        }
        ruleFiles.addAll(m);
      }
      List<String> errs = new ArrayList<>();
      JsonNode tests = root.get("tests");
      if (tests != null && !tests.isNull()) {
        for (JsonNode tg : tests) {
          errs.addAll(new TestGroup(tg, evalInterval, order, ruleFiles).run());
        }
      }
      return errs;
    } catch (BadTestFile e) {
      return List.of(file + ": " + e.getMessage());
    } catch (IOException e) {
      return List.of(e.toString());
    }
  }

  /** A structural problem of a test file. */
  static final class BadTestFile extends Exception {
    private static final long serialVersionUID = 1L;

    BadTestFile(String message) {
      super(message);
    }
  }

  private static void strict(JsonNode n, Set<String> keys, String type) throws BadTestFile {
    if (!n.isObject()) {
      throw new BadTestFile("expected a mapping for " + type);
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!keys.contains(k)) {
        throw new BadTestFile("field " + k + " not found in type main." + type);
      }
    }
  }

  private static List<String> strings(JsonNode n) throws BadTestFile {
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw new BadTestFile("expected a list, got " + n);
    }
    for (JsonNode e : n) {
      out.add(e.asText());
    }
    return out;
  }

  private static Duration duration(JsonNode n, Duration def) throws BadTestFile {
    if (n == null || n.isNull()) {
      return def;
    }
    try {
      return Durations.parse(n.asText());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new BadTestFile(e.getMessage());
    }
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static Map<String, String> stringMap(JsonNode n) throws BadTestFile {
    Map<String, String> m = new TreeMap<>();
    if (n == null || n.isNull()) {
      return m;
    }
    if (!n.isObject()) {
      throw new BadTestFile("expected a mapping, got " + n);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
    }
    return m;
  }

  /** One entry of {@code tests}. */
  private final class TestGroup {
    private final JsonNode node;
    private final Duration evalInterval;
    private final Map<String, Integer> order;
    private final List<Path> ruleFiles;

    TestGroup(JsonNode node, Duration evalInterval, Map<String, Integer> order, List<Path> ruleFiles) {
      this.node = node;
      this.evalInterval = evalInterval;
      this.order = order;
      this.ruleFiles = ruleFiles;
    }

    List<String> run() throws BadTestFile {
      strict(node, GROUP_KEYS, "testGroup");
      // promtool 2.42 loads series at interval 0 when none is given; later versions use evaluation_interval.
      Duration interval = duration(node.get("interval"), evalInterval);
      String groupName = text(node, "name");
      Map<String, String> externalLabels = stringMap(node.get("external_labels"));
      String externalURL = text(node, "external_url");
      SeriesStore store = SeriesStore.unbounded();
      List<String> errs = new ArrayList<>();
      JsonNode inputs = node.get("input_series");
      if (inputs != null && !inputs.isNull()) {
        for (JsonNode in : inputs) {
          strict(in, Set.of("series", "values"), "series");
          Labels labels;
          List<Double> values;
          try {
            labels = Parser.parseSeries(text(in, "series"));
            values = SeriesValues.expand(text(in, "values"));
          } catch (PromQLException | IllegalArgumentException e) {
            return List.of(e.getMessage());
          }
          for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
              store.append(labels, i * interval.toMillis(), values.get(i));
            }
          }
        }
      }
      RuleFileParser.Result parsed = RuleFileParser.parseFiles(ruleFiles);
      if (!parsed.ok()) {
        return parsed.problems();
      }
      List<RuleGroup> groups = new ArrayList<>();
      for (RuleGroupSpec g : parsed.groups()) {
        groups.add(RuleGroup.create(g, interval, store));
      }
      groups.sort(Comparator.comparingInt(g -> order.getOrDefault(g.name(), 0)));

      TreeMap<Long, List<JsonNode>> alertTests = new TreeMap<>();
      long maxEval = 0;
      JsonNode ats = node.get("alert_rule_test");
      if (ats != null && !ats.isNull()) {
        for (JsonNode at : ats) {
          strict(at, Set.of("eval_time", "alertname", "exp_alerts"), "alertTestCase");
          long t = duration(at.get("eval_time"), Duration.ZERO).toMillis();
          if (text(at, "alertname").isEmpty()) {
            String tgLog = groupName.isEmpty() ? "" : " (in TestGroup " + groupName + ")";
            return List.of("an item under alert_rule_test misses required attribute alertname at eval_time "
                + Durations.format(Duration.ofMillis(t)) + tgLog);
          }
          alertTests.computeIfAbsent(t, k -> new ArrayList<>()).add(at);
          maxEval = Math.max(maxEval, t);
        }
      }
      List<JsonNode> exprTests = new ArrayList<>();
      JsonNode pts = node.get("promql_expr_test");
      if (pts != null && !pts.isNull()) {
        for (JsonNode pt : pts) {
          strict(pt, Set.of("expr", "eval_time", "exp_samples"), "promqlTestCase");
          exprTests.add(pt);
          maxEval = Math.max(maxEval, duration(pt.get("eval_time"), Duration.ZERO).toMillis());
        }
      }

      Evaluator evaluator = new Evaluator(store, Evaluator.DEFAULT_LOOKBACK_MS);
      EvalContext ctx = new EvalContext(evaluator, externalLabels, externalURL, Duration.ofMinutes(1),
          AlertSender.NONE);
      long step = evalInterval.toMillis();
      Iterator<Map.Entry<Long, List<JsonNode>>> pending = alertTests.entrySet().iterator();
      Map.Entry<Long, List<JsonNode>> next = pending.hasNext() ? pending.next() : null;
      for (long ts = 0; ts <= maxEval; ts += step) {
        List<String> evalErrs = new ArrayList<>();
        for (RuleGroup g : groups) {
          g.eval(ts, ctx, Clock.system());
          for (Rule r : g.rules()) {
            if (!r.lastError().isEmpty()) {
              evalErrs.add("    rule: " + r.name() + ", time: " + GoDuration.format(ts) + ", err: " + r.lastError());
            }
          }
        }
        errs.addAll(evalErrs);
        if (!evalErrs.isEmpty()) {
          return errs;
        }
        while (next != null && ts <= next.getKey() && next.getKey() < ts + step) {
          for (JsonNode at : next.getValue()) {
            String diff = compareAlerts(at, groups, groupName);
            if (diff != null) {
              errs.add(diff);
            }
          }
          next = pending.hasNext() ? pending.next() : null;
        }
      }
      for (JsonNode pt : exprTests) {
        String diff = compareExpr(pt, evaluator);
        if (diff != null) {
          errs.add(diff);
        }
      }
      return errs;
    }

    private String compareAlerts(JsonNode at, List<RuleGroup> groups, String groupName) throws BadTestFile {
      String alertname = text(at, "alertname");
      List<LabelsAndAnnotations> got = new ArrayList<>();
      for (RuleGroup g : groups) {
        for (Rule r : g.rules()) {
          if (r instanceof AlertingRule ar && ar.name().equals(alertname)) {
            for (AlertSnapshot a : ar.alerts()) {
              if (a.isActive() && a.state() == AlertState.FIRING) {
                got.add(new LabelsAndAnnotations(a.labels(), new TreeMap<>(a.annotations())));
              }
            }
          }
        }
      }
      List<LabelsAndAnnotations> exp = new ArrayList<>();
      JsonNode ea = at.get("exp_alerts");
      if (ea != null && !ea.isNull()) {
        for (JsonNode a : ea) {
          strict(a, Set.of("exp_labels", "exp_annotations"), "alert");
          Map<String, String> labels = stringMap(a.get("exp_labels"));
          labels.put("alertname", alertname);
          exp.add(new LabelsAndAnnotations(Labels.fromMap(labels), stringMap(a.get("exp_annotations"))));
        }
      }
      got.sort(null);
      exp.sort(null);
      if (got.equals(exp)) {
        return null;
      }
      String testName = groupName.isEmpty() ? "" : "    name: " + groupName + ",\n";
      long t = duration(at.get("eval_time"), Duration.ZERO).toMillis();
      return testName + "    alertname: " + alertname + ", time: " + Durations.format(Duration.ofMillis(t)) + ", \n"
          + "        exp:" + indent(LabelsAndAnnotations.toString(exp), "            ") + ", \n"
          + "        got:" + indent(LabelsAndAnnotations.toString(got), "            ");
    }

    private String compareExpr(JsonNode pt, Evaluator evaluator) throws BadTestFile {
      String expr = text(pt, "expr");
      long t = duration(pt.get("eval_time"), Duration.ZERO).toMillis();
      String time = Durations.format(Duration.ofMillis(t));
      StringBuilder q = new StringBuilder();
      Labels.quote(q, expr);
      List<Sample> got;
      try {
        Value v = evaluator.eval(Parser.parseRuleExpression(expr), t);
        got = v instanceof Value.Scalar s ? List.of(new Sample(Labels.EMPTY, s.value()))
            : ((Value.Vector) v).samples();
        got = new ArrayList<>(got);
      } catch (PromQLException | EvalException e) {
        return "    expr: " + q + ", time: " + time + ", err: " + e.getMessage();
      }
      List<Sample> exp = new ArrayList<>();
      JsonNode es = pt.get("exp_samples");
      if (es != null && !es.isNull()) {
        for (JsonNode s : es) {
          strict(s, Set.of("labels", "value"), "sample");
          String labels = text(s, "labels");
          Labels l;
          try {
            l = Parser.parseSeries(labels);
          } catch (PromQLException e) {
            StringBuilder lq = new StringBuilder();
            Labels.quote(lq, labels);
            return "    expr: " + q + ", time: " + time + ", err: labels " + lq + ": " + e.getMessage();
          }
          JsonNode v = s.get("value");
          double value = v == null || v.isNull() ? 0 : parseValue(v);
          exp.add(new Sample(l, value));
        }
      }
      Comparator<Sample> byLabels = Comparator.comparing(Sample::labels);
      got.sort(byLabels);
      exp.sort(byLabels);
      boolean equal = got.size() == exp.size();
      for (int i = 0; equal && i < got.size(); i++) {
        // reflect.DeepEqual on float64: NaN never equals NaN.
        equal = got.get(i).labels().equals(exp.get(i).labels()) && got.get(i).value() == exp.get(i).value();
      }
      if (equal) {
        return null;
      }
      return "    expr: " + q + ", time: " + time + ",\n        exp: " + samples(exp) + "\n        got: " + samples(got);
    }
  }

  private static double parseValue(JsonNode v) throws BadTestFile {
    if (v.isNumber()) {
      return v.asDouble();
    }
    String s = v.asText().trim();
    switch (s) {
      case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-.inf", "-.Inf", "-.INF" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case ".nan", ".NaN", ".NAN" -> {
        return Double.NaN;
      }
      default -> {
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new BadTestFile("cannot unmarshal " + s + " into float64");
        }
      }
    }
  }

  private static String samples(List<Sample> s) {
    if (s.isEmpty()) {
      return "nil";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(s.get(i).labels()).append(' ').append(GoFormat.formatFloat(s.get(i).value(), 'E', -1));
    }
    return sb.toString();
  }

  static String indent(String lines, String indent) {
    String[] parts = lines.split("\n", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append(indent);
      }
      sb.append(parts[i]);
      if (i != parts.length - 1) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** An alert's labels and annotations, ordered like promtool's labelsAndAnnotations. */
  record LabelsAndAnnotations(Labels labels, Map<String, String> annotations)
      implements Comparable<LabelsAndAnnotations> {
    LabelsAndAnnotations {
      annotations = new TreeMap<>(annotations);
    }

    private Labels annotationLabels() {
      Labels.Builder b = Labels.builder();
      annotations.forEach(b::set);
      return b.build();
    }

    @Override
    public int compareTo(LabelsAndAnnotations o) {
      int c = labels.compareTo(o.labels);
      return c != 0 ? c : annotationLabels().compareTo(o.annotationLabels());
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<String, String> e : annotations.entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        sb.append(e.getKey()).append('=');
        Labels.quote(sb, e.getValue());
      }
      return "Labels:" + labels + "\nAnnotations:" + sb.append('}');
    }

    static String toString(List<LabelsAndAnnotations> la) {
      if (la.isEmpty()) {
        return "[]";
      }
      StringBuilder s = new StringBuilder("[\n0:" + indent("\n" + la.get(0), "  "));
      for (int i = 1; i < la.size(); i++) {
        s.append(",\n").append(i).append(':').append(indent("\n" + la.get(i), "  "));
      }
      return s.append("\n]").toString();
    }
  }
}
