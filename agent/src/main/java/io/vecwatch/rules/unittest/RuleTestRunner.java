package io.vecwatch.rules.unittest;

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
import io.vecwatch.rules.unittest.TestFile.AlertTest;
import io.vecwatch.rules.unittest.TestFile.BadTestFile;
import io.vecwatch.rules.unittest.TestFile.ExpectedAlert;
import io.vecwatch.rules.unittest.TestFile.ExpectedSample;
import io.vecwatch.rules.unittest.TestFile.ExprTest;
import io.vecwatch.rules.unittest.TestFile.InputSeries;
import io.vecwatch.rules.unittest.TestFile.TestGroup;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs rule unit tests in promtool's format ({@code promtool test rules}), with promtool 2.42's
 * evaluation loop and messages: every group is evaluated at each {@code evaluation_interval} step
 * from time 0; alert tests compare the firing alerts of the evaluation at or just before {@code
 * eval_time}; expression tests run after all evaluations. The file is read into a {@link TestFile}
 * first (structural problems end the file before anything runs, as promtool's strict unmarshalling
 * does), then each test group is run.
 */
public final class RuleTestRunner {
  /**
   * Most evaluations one test group may ask for (the last {@code eval_time} over the evaluation
   * interval).
   */
  static final long MAX_EVALUATIONS = 1_000_000;

  /** Most input samples one test group may hold. */
  static final long MAX_INPUT_SAMPLES = 10_000_000;

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
    TestFile tf;
    try {
      tf = TestFile.read(file);
    } catch (BadTestFile e) {
      return List.of(file + ": " + e.getMessage());
    } catch (IOException e) {
      return List.of("open " + file + ": " + e.getMessage());
    }
    Map<String, Integer> order = new HashMap<>();
    for (int i = 0; i < tf.groupEvalOrder().size(); i++) {
      if (order.putIfAbsent(tf.groupEvalOrder().get(i), i) != null) {
        return List.of("group name repeated in evaluation order: " + tf.groupEvalOrder().get(i));
      }
    }
    List<Path> ruleFiles = new ArrayList<>();
    Path dir = file.toAbsolutePath().getParent();
    try {
      for (String pattern : tf.ruleFiles()) {
        List<Path> m = Globs.expand(dir, pattern);
        if (m.isEmpty()) {
          err.println("  WARNING: no file match pattern " + dir.resolve(pattern).normalize());
        }
        ruleFiles.addAll(m);
      }
    } catch (IOException e) {
      return List.of(e.toString());
    }
    List<String> errs = new ArrayList<>();
    for (TestGroup tg : tf.tests()) {
      errs.addAll(new GroupRun(tg, tf.evaluationInterval(), order, ruleFiles).run());
    }
    return errs;
  }

  /** One entry of {@code tests}, run: promtool's evaluation loop and comparisons. */
  private static final class GroupRun {
    private final TestGroup spec;
    private final Duration evalInterval;
    private final Map<String, Integer> order;
    private final List<Path> ruleFiles;

    GroupRun(
        TestGroup spec, Duration evalInterval, Map<String, Integer> order, List<Path> ruleFiles) {
      this.spec = spec;
      this.evalInterval = evalInterval;
      this.order = order;
      this.ruleFiles = ruleFiles;
    }

    List<String> run() {
      // promtool 2.42 loads series at interval 0 when none is given; later versions use
      // evaluation_interval.
      Duration interval = spec.interval().orElse(evalInterval);
      String groupName = spec.name();
      SeriesStore store = SeriesStore.unbounded();
      List<String> errs = new ArrayList<>();
      long samples = 0;
      for (InputSeries in : spec.inputSeries()) {
        Labels labels;
        List<Double> values;
        try {
          labels = Parser.parseSeries(in.series());
          values = SeriesValues.expand(in.values());
        } catch (PromQLException | IllegalArgumentException e) {
          return List.of(e.getMessage());
        }
        samples += values.size();
        if (samples > MAX_INPUT_SAMPLES) {
          return List.of("input_series hold more than " + MAX_INPUT_SAMPLES + " samples");
        }
        for (int i = 0; i < values.size(); i++) {
          if (values.get(i) != null) {
            store.append(labels, i * interval.toMillis(), values.get(i));
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

      TreeMap<Long, List<AlertTest>> alertTests = new TreeMap<>();
      long maxEval = 0;
      for (AlertTest at : spec.alertTests()) {
        long t = at.evalTime().toMillis();
        if (at.alertname().isEmpty()) {
          String tgLog = groupName.isEmpty() ? "" : " (in TestGroup " + groupName + ")";
          return List.of(
              "an item under alert_rule_test misses required attribute alertname at eval_time "
                  + Durations.format(Duration.ofMillis(t))
                  + tgLog);
        }
        alertTests.computeIfAbsent(t, k -> new ArrayList<>()).add(at);
        maxEval = Math.max(maxEval, t);
      }
      for (ExprTest pt : spec.exprTests()) {
        maxEval = Math.max(maxEval, pt.evalTime().toMillis());
      }

      if (maxEval / evalInterval.toMillis() > MAX_EVALUATIONS) {
        return List.of(
            "eval_time "
                + Durations.format(Duration.ofMillis(maxEval))
                + " needs more than "
                + MAX_EVALUATIONS
                + " evaluations at evaluation_interval "
                + Durations.format(evalInterval));
      }
      Evaluator evaluator = new Evaluator(store, Evaluator.DEFAULT_LOOKBACK_MS);
      EvalContext ctx =
          new EvalContext(
              evaluator,
              spec.externalLabels(),
              spec.externalURL(),
              Duration.ofMinutes(1),
              AlertSender.NONE);
      long step = evalInterval.toMillis();
      Iterator<Map.Entry<Long, List<AlertTest>>> pending = alertTests.entrySet().iterator();
      Map.Entry<Long, List<AlertTest>> next = pending.hasNext() ? pending.next() : null;
      for (long ts = 0; ts <= maxEval; ts += step) {
        List<String> evalErrs = new ArrayList<>();
        for (RuleGroup g : groups) {
          g.eval(ts, ctx, Clock.system());
          for (Rule r : g.rules()) {
            if (!r.lastError().isEmpty()) {
              evalErrs.add(
                  "    rule: "
                      + r.name()
                      + ", time: "
                      + GoDuration.format(ts)
                      + ", err: "
                      + r.lastError());
            }
          }
        }
        errs.addAll(evalErrs);
        if (!evalErrs.isEmpty()) {
          return errs;
        }
        while (next != null && ts <= next.getKey() && next.getKey() < ts + step) {
          for (AlertTest at : next.getValue()) {
            String diff = compareAlerts(at, groups, groupName);
            if (diff != null) {
              errs.add(diff);
            }
          }
          next = pending.hasNext() ? pending.next() : null;
        }
      }
      for (ExprTest pt : spec.exprTests()) {
        String diff = compareExpr(pt, evaluator);
        if (diff != null) {
          errs.add(diff);
        }
      }
      return errs;
    }

    private static String compareAlerts(AlertTest at, List<RuleGroup> groups, String groupName) {
      String alertname = at.alertname();
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
      for (ExpectedAlert a : at.expAlerts()) {
        Map<String, String> labels = new TreeMap<>(a.labels());
        labels.put("alertname", alertname);
        exp.add(new LabelsAndAnnotations(Labels.fromMap(labels), a.annotations()));
      }
      got.sort(null);
      exp.sort(null);
      if (got.equals(exp)) {
        return null;
      }
      String testName = groupName.isEmpty() ? "" : "    name: " + groupName + ",\n";
      long t = at.evalTime().toMillis();
      return testName
          + "    alertname: "
          + alertname
          + ", time: "
          + Durations.format(Duration.ofMillis(t))
          + ", \n"
          + "        exp:"
          + indent(LabelsAndAnnotations.toString(exp), "            ")
          + ", \n"
          + "        got:"
          + indent(LabelsAndAnnotations.toString(got), "            ");
    }

    private static String compareExpr(ExprTest pt, Evaluator evaluator) {
      String expr = pt.expr();
      long t = pt.evalTime().toMillis();
      String time = Durations.format(Duration.ofMillis(t));
      StringBuilder q = new StringBuilder();
      Labels.quote(q, expr);
      List<Sample> got;
      try {
        Value v = evaluator.eval(Parser.parseRuleExpression(expr), t);
        got =
            v instanceof Value.Scalar s
                ? List.of(new Sample(Labels.EMPTY, s.value()))
                : ((Value.Vector) v).samples();
        got = new ArrayList<>(got);
      } catch (PromQLException | EvalException e) {
        return "    expr: " + q + ", time: " + time + ", err: " + e.getMessage();
      }
      List<Sample> exp = new ArrayList<>();
      for (ExpectedSample s : pt.expSamples()) {
        Labels l;
        try {
          l = Parser.parseSeries(s.labels());
        } catch (PromQLException e) {
          StringBuilder lq = new StringBuilder();
          Labels.quote(lq, s.labels());
          return "    expr: "
              + q
              + ", time: "
              + time
              + ", err: labels "
              + lq
              + ": "
              + e.getMessage();
        }
        exp.add(new Sample(l, s.value()));
      }
      Comparator<Sample> byLabels = Comparator.comparing(Sample::labels);
      got.sort(byLabels);
      exp.sort(byLabels);
      boolean equal = got.size() == exp.size();
      for (int i = 0; equal && i < got.size(); i++) {
        // reflect.DeepEqual on float64: NaN never equals NaN.
        equal =
            got.get(i).labels().equals(exp.get(i).labels())
                && got.get(i).value() == exp.get(i).value();
      }
      if (equal) {
        return null;
      }
      return "    expr: "
          + q
          + ", time: "
          + time
          + ",\n        exp: "
          + samples(exp)
          + "\n        got: "
          + samples(got);
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
      sb.append(s.get(i).labels())
          .append(' ')
          .append(GoFormat.formatFloat(s.get(i).value(), 'E', -1));
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
