package io.vecwatch.bench;

import io.vecwatch.notify.AlertSender;
import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.promtext.TextFormatParser;
import io.vecwatch.rules.EvalContext;
import io.vecwatch.rules.RuleFileParser;
import io.vecwatch.rules.RuleGroup;
import io.vecwatch.rules.RuleGroupSpec;
import io.vecwatch.rules.history.Retention;
import io.vecwatch.rules.history.SeriesStore;
import io.vecwatch.rules.promql.Evaluator;
import io.vecwatch.time.Clock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one evaluation tick of 1,000 rules, each reading 100 distinct series (one per target)
 * with one hour of history at 5 s resolution (721 samples each), as the agent's tick does it: every
 * invocation advances {@code now} by 5 s, appends one fresh sample to each of the 500 series (5
 * metric names × 100 targets), evaluates every rule at the new time and trims the history. Nothing
 * computed at one tick is reused at the next (the new samples and the new time invalidate
 * everything), and every rule's range differs, so no rule reuses another's range result within a
 * tick either. Goal: under 50 ms per tick.
 *
 * <ul>
 *   <li>{@code thresholdRulesTick}: baseline, 1,000 instant threshold rules ({@code lat{...} > c}).
 *   <li>{@code mixedRulesTick}: the default pack's shapes, 250 each: thresholds, {@code
 *       avg_over_time(ratio[r])}, vector matching ({@code entities != expected}), the
 *       served-traffic baseline ({@code sum by (target) (rate(served_total[r1])) < 0.5 * sum by
 *       (target) (rate(served_total[r2]))}), with templated annotations; a few percent of the
 *       (rule, series) pairs are alerts.
 *   <li>{@code ingestScrape}: parsing a 500-series exposition and writing it into the history.
 * </ul>
 *
 * <pre>
 * ./mvnw -B -o -pl agent -Pbench test-compile exec:exec -Dbench.args="RuleEvaluationBenchmark -f 1 -wi 3 -i 5"
 * </pre>
 *
 * <p>Figures are in docs/rules.md ("Performance").
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RuleEvaluationBenchmark {
  static final int TARGETS = 100;
  static final int RULES = 1000;
  private static final long STEP = 5_000;
  private static final int SAMPLES = 721;

  private EvalState threshold;
  private EvalState mixed;
  private String exposition;
  private SeriesStore.Writer ingestWriter;
  private long ingestNow;

  /** One history and one rule group, ticking on its own clock. */
  static final class EvalState {
    final SeriesStore store = SeriesStore.create(10_000, SAMPLES);
    final SeriesStore.Writer writer = store.writer();
    final List<Labels> series = new ArrayList<>();
    final RuleGroup group;
    final EvalContext ctx;
    long tick;

    EvalState(String rulesYaml) {
      for (int t = 0; t < TARGETS; t++) {
        String target = "t" + t;
        series.add(Labels.of("__name__", "lat", "target", target, "quantile", "0.99"));
        series.add(Labels.of("__name__", "ratio", "target", target));
        series.add(Labels.of("__name__", "entities", "target", target, "kind", "k"));
        series.add(Labels.of("__name__", "expected", "target", target, "kind", "k"));
        series.add(Labels.of("__name__", "served_total", "target", target));
      }
      for (int i = 0; i < SAMPLES; i++) {
        write();
      }
      RuleFileParser.Result r = RuleFileParser.parse(Path.of("bench.yml"), rulesYaml);
      if (!r.ok()) {
        throw new IllegalStateException(r.problems().toString());
      }
      RuleGroupSpec spec = r.groups().get(0);
      // Rule outputs (ALERTS, ALERTS_FOR_STATE) go into the same history, as in the agent.
      group = RuleGroup.create(spec, Duration.ofSeconds(5), store);
      // What the engine keeps: the longest range read per name (1 h of served_total) plus the
      // lookback.
      long keep = 3_600_000 + Evaluator.DEFAULT_LOOKBACK_MS;
      store.setRetention(
          new Retention(
              Map.of("served_total", keep, "ratio", keep), Evaluator.DEFAULT_LOOKBACK_MS + 10_000));
      ctx =
          new EvalContext(
              new Evaluator(store, Evaluator.DEFAULT_LOOKBACK_MS),
              Map.of(),
              "http://b",
              Duration.ofMinutes(1),
              AlertSender.NONE);
      for (int i = 0;
          i < 24;
          i++) { // two minutes of ticks: pending alerts turn firing, steady state
        tick();
      }
    }

    /** Appends the next sample of every series at the next time. */
    private void write() {
      long i = tick;
      long now = i * STEP;
      List<Sample> batch = new ArrayList<>(series.size());
      for (int s = 0; s < series.size(); s++) {
        int t = s / 5;
        // A few targets misbehave, so a few percent of the rules' series are alerts: latency of
        // every 8th
        // target near the thresholds, a high ratio on every 20th, an entity mismatch on every 25th,
        // a traffic
        // drop on every 3rd for part of each hour.
        double v =
            switch (s % 5) {
              case 0 -> t % 8 == 7 ? 0.07 + (i % 7) * 0.001 : 0.01 * (t % 7);
              case 1 -> ((i + t) % 10) / 100.0 + (t % 20 == 0 ? 0.05 : 0);
              case 2 -> 1000 + (t % 25 == 0 ? 1 : 0);
              case 3 -> 1000;
              default -> i * (t % 3 == 0 && i % 720 > 700 ? 1 : 50);
            };
        batch.add(new Sample(series.get(s), v));
      }
      writer.write(now, batch);
      tick++;
    }

    /** One tick: fresh samples at a new time, every rule evaluated at it, history trimmed. */
    long tick() {
      write();
      long now = (tick - 1) * STEP;
      group.eval(now, ctx, Clock.system());
      store.trim(now);
      return group.evaluations();
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    threshold = new EvalState(rules(false));
    mixed = new EvalState(rules(true));
    StringBuilder text = new StringBuilder("# TYPE lat gauge\n");
    for (int t = 0; t < TARGETS; t++) {
      for (String m :
          List.of(
              "lat{quantile=\"0.99\",",
              "ratio{",
              "entities{kind=\"k\",",
              "expected{kind=\"k\",",
              "served_total{")) {
        text.append(m).append("target=\"t").append(t).append("\"} ").append(t * 1.5).append('\n');
      }
    }
    exposition = text.toString();
    ingestWriter = SeriesStore.unbounded().writer();
  }

  /** 1,000 rules; with {@code mixed}, four shapes whose ranges all differ. */
  static String rules(boolean mixed) {
    StringBuilder y = new StringBuilder("groups:\n  - name: bench\n    rules:\n");
    String ann =
        "\n        annotations: {summary: \"{{ $labels.target }} is {{ $value | humanize }}\"}\n";
    for (int r = 0; r < RULES; r++) {
      String threshold = "lat{quantile=\"0.99\"} > " + (0.07 + 0.00001 * r);
      String expr =
          !mixed
              ? threshold
              : switch (r % 4) {
                case 0 -> threshold;
                case 1 -> "avg_over_time(ratio[" + (300 - r / 4) + "s]) > 0.0" + (5 + r % 5);
                case 2 -> "entities != expected";
                default ->
                    "sum by (target) (rate(served_total["
                        + (300 - r / 4)
                        + "s])) < 0.5 * sum by (target) "
                        + "(rate(served_total["
                        + (3600 - r)
                        + "s]))";
              };
      y.append("      - alert: R")
          .append(r)
          .append("\n        expr: ")
          .append(expr)
          .append("\n        for: 1m")
          .append(ann);
    }
    return y.toString();
  }

  @Benchmark
  public long thresholdRulesTick() {
    return threshold.tick();
  }

  @Benchmark
  public long mixedRulesTick() {
    return mixed.tick();
  }

  /**
   * The same ticks outside JMH, reporting each tick's CPU time of the evaluating thread as well as
   * its wall time: on a shared machine the CPU time is the figure that does not depend on what else
   * runs.
   *
   * <pre>java -cp "$(cat cp.txt):agent/target/test-classes:agent/target/classes" \
   *     io.vecwatch.bench.RuleEvaluationBenchmark 200 [threshold|mixed]</pre>
   */
  public static void main(String[] args) {
    int ticks = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    boolean[] which =
        args.length > 1 ? new boolean[] {args[1].equals("mixed")} : new boolean[] {false, true};
    for (boolean mixed : which) {
      EvalState st = new EvalState(rules(mixed));
      for (int i = 0; i < ticks / 2; i++) {
        st.tick(); // warm-up
      }
      long[] cpu = new long[ticks];
      long[] wall = new long[ticks];
      for (int i = 0; i < ticks; i++) {
        long c0 = mx.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        st.tick();
        wall[i] = System.nanoTime() - w0;
        cpu[i] = mx.getCurrentThreadCpuTime() - c0;
      }
      Arrays.sort(cpu);
      Arrays.sort(wall);
      System.out.printf(
          Locale.ROOT,
          "%-9s %d ticks: CPU min %.1f ms, median %.1f ms; wall min %.1f ms, median %.1f ms;"
              + " load average %.1f%n",
          mixed ? "mixed" : "threshold",
          ticks,
          cpu[0] / 1e6,
          cpu[ticks / 2] / 1e6,
          wall[0] / 1e6,
          wall[ticks / 2] / 1e6,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  @Benchmark
  public int ingestScrape() {
    List<Sample> s = TextFormatParser.parse(exposition);
    ingestNow += STEP;
    ingestWriter.write(ingestNow, new ArrayList<>(s));
    return s.size();
  }
}
