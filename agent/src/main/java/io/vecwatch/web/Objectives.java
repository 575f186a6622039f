package io.vecwatch.web;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The thresholds the status page colours values against. They come from the loaded alert rules when
 * a rule is a plain comparison of one of the agent's series with a number (as in the default rule
 * pack), otherwise from the production guide: P50 &lt; 10 ms, P95 &lt; 50 ms, P99 &lt; 100 ms,
 * recall@10 &gt; 0.95, errors &lt; 0.1 %, timeouts &lt; 1 %.
 *
 * @param p50 most seconds (NaN: no objective), likewise {@code p95}, {@code p99}
 * @param errorRatio most errors per finished search
 * @param timeoutRatio most timeouts per finished search
 * @param recall least recall by K
 * @param source where the numbers came from, for the page's legend
 */
record Objectives(
    double p50,
    double p95,
    double p99,
    double errorRatio,
    double timeoutRatio,
    Map<Integer, Double> recall,
    String source) {

  private static final String NUM = "([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)";
  private static final Pattern LATENCY =
      Pattern.compile(
          "vecwatch_probe_window_latency_seconds\\{quantile=\"(0\\.5|0\\.95|0\\.99)\"}\\s*>=?\\s*"
              + NUM);
  private static final Pattern ERRORS =
      Pattern.compile("vecwatch_probe_window_error_ratio\\s*>=?\\s*" + NUM);
  private static final Pattern TIMEOUTS =
      Pattern.compile("vecwatch_probe_window_timeout_ratio\\s*>=?\\s*" + NUM);
  private static final Pattern RECALL =
      Pattern.compile("vecwatch_recall_ratio\\{k=\"([0-9]+)\"}\\s*<=?\\s*" + NUM);

  Objectives {
    recall = Map.copyOf(recall);
  }

  static Objectives productionGuide() {
    return new Objectives(
        0.010, 0.050, 0.100, 0.001, 0.01, Map.of(10, 0.95), "the production guide");
  }

  /**
   * The production guide's objectives, each replaced by the threshold of an alert rule on the same
   * series when one of {@code ruleExprs} is such a plain comparison.
   */
  static Objectives from(List<String> ruleExprs) {
    Objectives d = productionGuide();
    double p50 = d.p50;
    double p95 = d.p95;
    double p99 = d.p99;
    double err = d.errorRatio;
    double tmo = d.timeoutRatio;
    Map<Integer, Double> recall = new TreeMap<>(d.recall);
    boolean any = false;
    for (String e : ruleExprs) {
      String x = e.strip();
      Matcher m;
      if ((m = LATENCY.matcher(x)).matches()) {
        double v = Double.parseDouble(m.group(2));
        switch (m.group(1)) {
          case "0.5" -> p50 = v;
          case "0.95" -> p95 = v;
          default -> p99 = v;
        }
        any = true;
      } else if ((m = ERRORS.matcher(x)).matches()) {
        err = Double.parseDouble(m.group(1));
        any = true;
      } else if ((m = TIMEOUTS.matcher(x)).matches()) {
        tmo = Double.parseDouble(m.group(1));
        any = true;
      } else if ((m = RECALL.matcher(x)).matches()) {
        recall.put(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)));
        any = true;
      }
    }
    return any
        ? new Objectives(
            p50,
            p95,
            p99,
            err,
            tmo,
            recall,
            "the loaded alert rules (others: the production guide)")
        : d;
  }

  /** NaN when no objective is set for {@code k}. */
  double recallAt(int k) {
    Double v = recall.get(k);
    return v == null ? Double.NaN : v;
  }
}
