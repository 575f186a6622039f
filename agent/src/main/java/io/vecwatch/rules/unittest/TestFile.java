package io.vecwatch.rules.unittest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vecwatch.config.YamlErrors;
import io.vecwatch.time.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A rule unit-test file in promtool's format, read into records before anything runs (as promtool
 * unmarshals the whole file strictly first): unknown keys, malformed durations and values are
 * {@link BadTestFile} errors. What promtool checks only while running a test group (series syntax,
 * missing alert names, expected labels) is kept as written for {@link RuleTestRunner} to check in
 * promtool's order.
 *
 * @param evaluationInterval the evaluation step (1m when not set)
 * @param groupEvalOrder group names in the order to evaluate them
 * @param ruleFiles rule file patterns, relative to the test file's folder
 */
record TestFile(
    Duration evaluationInterval,
    List<String> groupEvalOrder,
    List<String> ruleFiles,
    List<TestGroup> tests) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> FILE_KEYS =
      Set.of("rule_files", "evaluation_interval", "group_eval_order", "tests");
  private static final Set<String> GROUP_KEYS =
      Set.of(
          "interval",
          "input_series",
          "alert_rule_test",
          "promql_expr_test",
          "external_labels",
          "external_url",
          "name");

  TestFile {
    groupEvalOrder = List.copyOf(groupEvalOrder);
    ruleFiles = List.copyOf(ruleFiles);
    tests = List.copyOf(tests);
  }

  /** One entry of {@code tests}; {@code interval} empty means the file's evaluation interval. */
  record TestGroup(
      Optional<Duration> interval,
      String name,
      Map<String, String> externalLabels,
      String externalURL,
      List<InputSeries> inputSeries,
      List<AlertTest> alertTests,
      List<ExprTest> exprTests) {
    TestGroup {
      externalLabels = new TreeMap<>(externalLabels);
      inputSeries = List.copyOf(inputSeries);
      alertTests = List.copyOf(alertTests);
      exprTests = List.copyOf(exprTests);
    }
  }

  /** {@code series} and {@code values} as written (parsed when the group runs). */
  record InputSeries(String series, String values) {}

  /**
   * An {@code alert_rule_test} entry; {@code alertname} may be empty (reported when the group
   * runs).
   */
  record AlertTest(Duration evalTime, String alertname, List<ExpectedAlert> expAlerts) {
    AlertTest {
      expAlerts = List.copyOf(expAlerts);
    }
  }

  record ExpectedAlert(Map<String, String> labels, Map<String, String> annotations) {
    ExpectedAlert {
      labels = new TreeMap<>(labels);
      annotations = new TreeMap<>(annotations);
    }
  }

  /** A {@code promql_expr_test} entry. */
  record ExprTest(String expr, Duration evalTime, List<ExpectedSample> expSamples) {
    ExprTest {
      expSamples = List.copyOf(expSamples);
    }
  }

  /** An expected sample: {@code labels} as written (parsed when compared), its value. */
  record ExpectedSample(String labels, double value) {}

  /** A structural problem of a test file. */
  static final class BadTestFile extends Exception {
    private static final long serialVersionUID = 1L;

    BadTestFile(String message) {
      super(message);
    }
  }

  /**
   * Reads {@code file}; throws {@link BadTestFile} for a structural problem (YAML syntax errors
   * included) and {@link IOException} when it cannot be read.
   */
  static TestFile read(Path file) throws BadTestFile, IOException {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new BadTestFile(YamlErrors.describe(e));
    }
    if (root == null || !root.isObject()) {
      throw new BadTestFile("a test file must be a mapping");
    }
    strict(root, FILE_KEYS, "unitTestFile");
    Duration evalInterval = duration(root.get("evaluation_interval"), Duration.ofMinutes(1));
    if (evalInterval.isZero() || evalInterval.isNegative()) {
      throw new BadTestFile(
          "evaluation_interval must be greater than 0, got " + Durations.format(evalInterval));
    }
    List<String> order = strings(root.get("group_eval_order"));
    List<String> ruleFiles = strings(root.get("rule_files"));
    List<TestGroup> groups = new ArrayList<>();
    JsonNode tests = root.get("tests");
    if (tests != null && !tests.isNull()) {
      for (JsonNode tg : tests) {
        groups.add(group(tg));
      }
    }
    return new TestFile(evalInterval, order, ruleFiles, groups);
  }

  private static TestGroup group(JsonNode node) throws BadTestFile {
    strict(node, GROUP_KEYS, "testGroup");
    Optional<Duration> interval =
        node.get("interval") == null || node.get("interval").isNull()
            ? Optional.empty()
            : Optional.of(duration(node.get("interval"), Duration.ZERO));
    List<InputSeries> inputs = new ArrayList<>();
    for (JsonNode in : list(node.get("input_series"))) {
      strict(in, Set.of("series", "values"), "series");
      inputs.add(new InputSeries(text(in, "series"), text(in, "values")));
    }
    List<AlertTest> alertTests = new ArrayList<>();
    for (JsonNode at : list(node.get("alert_rule_test"))) {
      strict(at, Set.of("eval_time", "alertname", "exp_alerts"), "alertTestCase");
      List<ExpectedAlert> exp = new ArrayList<>();
      for (JsonNode a : list(at.get("exp_alerts"))) {
        strict(a, Set.of("exp_labels", "exp_annotations"), "alert");
        exp.add(
            new ExpectedAlert(stringMap(a.get("exp_labels")), stringMap(a.get("exp_annotations"))));
      }
      alertTests.add(
          new AlertTest(duration(at.get("eval_time"), Duration.ZERO), text(at, "alertname"), exp));
    }
    List<ExprTest> exprTests = new ArrayList<>();
    for (JsonNode pt : list(node.get("promql_expr_test"))) {
      strict(pt, Set.of("expr", "eval_time", "exp_samples"), "promqlTestCase");
      List<ExpectedSample> exp = new ArrayList<>();
      for (JsonNode s : list(pt.get("exp_samples"))) {
        strict(s, Set.of("labels", "value"), "sample");
        JsonNode v = s.get("value");
        exp.add(new ExpectedSample(text(s, "labels"), v == null || v.isNull() ? 0 : value(v)));
      }
      exprTests.add(
          new ExprTest(text(pt, "expr"), duration(pt.get("eval_time"), Duration.ZERO), exp));
    }
    return new TestGroup(
        interval,
        text(node, "name"),
        stringMap(node.get("external_labels")),
        text(node, "external_url"),
        inputs,
        alertTests,
        exprTests);
  }

  private static Iterable<JsonNode> list(JsonNode n) {
    return n == null || n.isNull() ? List.of() : n;
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

  private static double value(JsonNode v) throws BadTestFile {
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
}
