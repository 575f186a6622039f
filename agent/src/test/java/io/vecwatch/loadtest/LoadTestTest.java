package io.vecwatch.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.target.FaultInjection;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.target.LuceneHnswTarget;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.testing.TestDatasets;
import io.vecwatch.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadTestTest {
  private static final Dataset DATA = TestDatasets.random("gen", 3000, 16, 50, 100, 7, null);

  @TempDir Path dir;

  private static LoadSettings quick() {
    return LoadSettings.defaults()
        .withFirstWarmup(Duration.ZERO)
        .withLevels(List.of(1, 2))
        .withTiming(Duration.ofMillis(100), Duration.ofMillis(400))
        .withOpenLoop(32, 200, 2.0, 0.5)
        .withGuards(800, Duration.ofMinutes(1), 1_000_000)
        .withParameterSweep("", List.of(10, 40), 2);
  }

  private static LoadTest test(Target t, LoadSettings s, Objective o, Progress p) {
    return new LoadTest(t, DATA, List.of(10, 100), Duration.ofSeconds(1), o, s, Clock.system(), p);
  }

  @Test
  void shortSweepOnAFlatIndexWritesAReportThatMatchesTheSchema() throws Exception {
    LoadReport r =
        test(new FlatTarget("flat", DATA), quick(), Objective.DEFAULT, Progress.NONE).run();

    assertThat(r.complete()).isTrue();
    assertThat(r.steps(Mode.CLOSED)).extracting(StepResult::concurrency).containsExactly(1, 2);
    assertThat(r.steps(Mode.CLOSED)).allSatisfy(s -> assertThat(s.recall().get(10)).isEqualTo(1.0));
    assertThat(r.steps(Mode.OPEN)).isNotEmpty();
    assertThat(r.steps(Mode.PARAMS)).isEmpty(); // an exact index has nothing to tune
    // the generator's own cost was measured on answered no-op searches, not on a failure path
    assertThat(r.notes()).noneMatch(n -> n.startsWith("generator calibration"));
    assertThat(r.generator().requestsPerSecondPerCore()).isPositive();
    assertThat(r.notes()).anyMatch(n -> n.contains("has no search parameter"));
    ReportJson.write(r, dir.resolve("report.json"));
    ReportHtml.write(r, dir);
    ReportSchema.assertValid(dir.resolve("report.json"));
    assertThat(dir.resolve("report.html")).content().contains("id=\"verdict\"");
  }

  @Test
  void firstWarmUpIsSentBeforeTheFirstStepAndLeftOutOfTheReport() throws Exception {
    List<String> labels = new CopyOnWriteArrayList<>();
    List<Long> searchesAtStepStart = new CopyOnWriteArrayList<>();
    Counting target = new Counting(new FlatTarget("flat", DATA));
    Progress seen =
        new Progress() {
          @Override
          public void stepStarted(String label, long plannedNanos) {
            labels.add(label);
            searchesAtStepStart.add(target.searches());
          }

          @Override
          public void stepFinished(String label, StepResult result) {}
        };
    LoadTest t =
        test(
            target,
            quick()
                .withFirstWarmup(Duration.ofMillis(300))
                .withLevels(List.of(2))
                .withPhases(List.of("closed")),
            Objective.DEFAULT,
            seen);
    t.compilerMillis(() -> 0); // a quiet compiler: the warm-up is not extended
    LoadReport r = t.run();

    assertThat(labels).containsExactly("warm-up c=2", "closed c=2");
    // the warm-up searched before the first step began, and none of it is in the report
    assertThat(searchesAtStepStart.get(1)).isPositive();
    assertThat(r.steps()).extracting(StepResult::concurrency).containsExactly(2);
    assertThat(r.settings().firstWarmup()).isEqualTo(Duration.ofMillis(300));
    ReportJson.write(r, dir.resolve("report.json"));
    ReportSchema.assertValid(dir.resolve("report.json"));
    JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(json.at("/settings/first_warmup_seconds").asDouble()).isEqualTo(0.3);
  }

  private static LoadTest warmUpOnly(List<String> labels, LongSupplier compilerMillis) {
    Progress seen =
        new Progress() {
          @Override
          public void stepStarted(String label, long plannedNanos) {
            labels.add(label);
          }

          @Override
          public void stepFinished(String label, StepResult result) {}
        };
    LoadTest t =
        test(
            new FlatTarget("flat", DATA),
            quick()
                .withFirstWarmup(Duration.ofMillis(500))
                .withLevels(List.of(2))
                .withTiming(Duration.ZERO, Duration.ofMillis(100))
                .withPhases(List.of("closed")),
            Objective.DEFAULT,
            seen);
    t.compilerMillis(compilerMillis);
    return t;
  }

  @Test
  void warmUpGoesOnWhileTheJitCompilerIsBusy() {
    List<String> labels = new CopyOnWriteArrayList<>();
    AtomicLong calls = new AtomicLong();
    // busy: 80 ms of compiling per 100 ms round for the first three rounds, then idle
    LoadReport r = warmUpOnly(labels, () -> Math.min(calls.getAndIncrement(), 3) * 80).run();

    assertThat(labels)
        .containsExactly("warm-up c=2", "warm-up c=2 until the JIT compiler settles", "closed c=2");
    // around the first warm-up's last round (busy), then three extra rounds: two busy, one quiet
    assertThat(calls).hasValue(5);
    assertThat(r.notes())
        .singleElement()
        .asString()
        .matches("warm-up: extended from 0\\.5 s to 0\\.\\d s until the JIT compiler settled");
  }

  @Test
  void warmUpEndsAtTwiceTheFirstWarmUpAndSaysTheCompilerWasStillBusy() {
    List<String> labels = new CopyOnWriteArrayList<>();
    AtomicLong calls = new AtomicLong();
    LoadReport r = warmUpOnly(labels, () -> calls.getAndIncrement() * 1000).run();

    // rounds of 100 ms up to 1 s more
    assertThat(calls.get()).isBetween(3L, 12L);
    assertThat(r.notes())
        .singleElement()
        .asString()
        .containsPattern("^warm-up: the JIT compiler was still busy after \\d+\\.\\d s ")
        .endsWith("a longer --first-warmup avoids that");
    assertThat(r.steps(Mode.CLOSED)).hasSize(1);
  }

  @Test
  void warmUpIsNotExtendedOnceTheCompilerIsQuiet() {
    List<String> labels = new CopyOnWriteArrayList<>();
    LoadReport r = warmUpOnly(labels, () -> 42).run();

    assertThat(r.notes()).isEmpty();
  }

  /** Counts the searches it passes on. */
  private static final class Counting implements Target {
    private final Target delegate;
    private final AtomicLong n = new AtomicLong();

    Counting(Target delegate) {
      this.delegate = delegate;
    }

    long searches() {
      return n.get();
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public String kind() {
      return delegate.kind();
    }

    @Override
    public SearchResult search(float[] query, int k) throws Exception {
      n.incrementAndGet();
      return delegate.search(query, k);
    }
  }

  @Test
  void shortSweepOnLuceneHnswSweepsEfAndRecommendsTheFastestSettingThatMeetsRecall()
      throws Exception {
    LuceneHnswTarget hnsw =
        new LuceneHnswTarget("hnsw", DATA, new LuceneHnswTarget.Settings(8, 40, 10));
    LoadReport r =
        test(
                hnsw,
                quick()
                    .withParameterSweep("ef", List.of(10, 40, 200), 2)
                    .withPhases(List.of("closed", "params")),
                new Objective(1.0, 10, 0.9, 0.001),
                Progress.NONE)
            .run();

    List<StepResult> params = r.steps(Mode.PARAMS);
    assertThat(params).extracting(s -> s.params().get("ef")).containsExactly(10, 40, 200);
    // a larger beam never finds fewer true neighbours
    assertThat(params.get(2).recall().get(100))
        .isGreaterThanOrEqualTo(params.get(0).recall().get(100));
    StepResult best =
        params.stream()
            .filter(StepResult::holds)
            .max((a, b) -> Double.compare(a.achievedRps(), b.achievedRps()))
            .orElseThrow();
    assertThat(r.recommendedParams()).isEqualTo(best.params());
    assertThat(r.pareto())
        .isNotEmpty()
        .contains(
            params.stream()
                .max((a, b) -> Double.compare(a.achievedRps(), b.achievedRps()))
                .orElseThrow()
                .params());
    ReportJson.write(r, dir.resolve("report.json"));
    ReportSchema.assertValid(dir.resolve("report.json"));
    JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(json.get("recommended_params"))
        .isEqualTo(new ObjectMapper().valueToTree(best.params()));
    assertThat(json.get("parameter").asText()).isEqualTo("ef");
  }

  @Test
  void openLoopLatencyCountsFromTheIntendedStartWhenTheGeneratorHasTooFewWorkers()
      throws Exception {
    FaultInjection faults = FaultInjection.of(Map.of("flat", Duration.ofMillis(20)));
    Target slow = faults.wrap(new FlatTarget("flat", DATA));
    // 2 workers x 20 ms = 100/s at most; 150/s offered: arrivals wait for a worker and that wait is
    // latency
    LoadSettings s =
        quick()
            .withTiming(Duration.ofMillis(100), Duration.ofSeconds(1))
            .withOpenLoop(2, 150, 1.5, 0.5)
            .withGuards(150, Duration.ofMinutes(1), 10_000)
            .withPhases(List.of("open"));
    LoadReport r = test(slow, s, Objective.DEFAULT, Progress.NONE).run();

    StepResult first = r.steps(Mode.OPEN).get(0);
    assertThat(first.offeredRps()).isEqualTo(150);
    assertThat(first.clientLimits()).contains(ClientLimit.WORKERS_BUSY);
    assertThat(first.p99Seconds()).isGreaterThan(0.1); // far above the 20 ms service time
  }

  @Test
  void interruptMidSweepLeavesAValidPartialReport() throws Exception {
    List<String> finished = new CopyOnWriteArrayList<>();
    Progress p =
        new Progress() {
          @Override
          public void stepStarted(String label, long plannedNanos) {}

          @Override
          public void stepFinished(String label, StepResult result) {
            finished.add(label);
          }
        };
    LoadTest t =
        test(
            new FlatTarget("flat", DATA),
            quick()
                .withLevels(List.of(1, 2, 3, 4, 5, 6, 7, 8))
                .withTiming(Duration.ofMillis(100), Duration.ofSeconds(1)),
            Objective.DEFAULT,
            p);
    AtomicReference<LoadReport> report = new AtomicReference<>();
    Thread runner = new Thread(() -> report.set(t.run()));
    runner.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> !finished.isEmpty());
    t.stop("interrupted (Ctrl-C)");
    runner.join(TimeUnit.SECONDS.toMillis(10));

    LoadReport r = report.get();
    assertThat(r.complete()).isFalse();
    assertThat(r.stopReason()).isEqualTo("interrupted (Ctrl-C)");
    assertThat(r.steps()).isNotEmpty().hasSizeLessThan(8);
    assertThat(r.steps().get(0).complete()).isTrue();
    ReportJson.write(r, dir.resolve("report.json"));
    ReportHtml.write(r, dir);
    ReportSchema.assertValid(dir.resolve("report.json"));
    assertThat(dir.resolve("report.html")).content().contains("id=\"partial\"");
  }

  @Test
  void requestBudgetStopsTheRun() throws Exception {
    LoadReport r =
        test(
                new FlatTarget("flat", DATA),
                quick().withGuards(1000, Duration.ofMinutes(1), 300),
                Objective.DEFAULT,
                Progress.NONE)
            .run();

    assertThat(r.complete()).isFalse();
    assertThat(r.stopReason()).isEqualTo("the request budget was used up");
    assertThat(r.steps().stream().mapToLong(StepResult::requests).sum()).isLessThanOrEqualTo(300);
  }

  @Test
  void reportedRecallEqualsRecallComputedIndependentlyFromTheSameIds() throws Exception {
    Queue<long[]> answers = new ConcurrentLinkedQueue<>();
    Queue<Integer> queries = new ConcurrentLinkedQueue<>();
    LuceneHnswTarget hnsw =
        new LuceneHnswTarget("hnsw", DATA, new LuceneHnswTarget.Settings(4, 8, 1));
    Target recording =
        new Target() {
          @Override
          public String name() {
            return "hnsw";
          }

          @Override
          public String kind() {
            return "lucene_hnsw";
          }

          @Override
          public SearchResult search(float[] query, int k) throws Exception {
            SearchResult r = hnsw.search(query, k);
            synchronized (this) {
              queries.add(indexOf(query));
              answers.add(r.ids());
            }
            return r;
          }
        };
    LoadReport r =
        test(
                recording,
                quick()
                    .withLevels(List.of(1))
                    .withTiming(Duration.ZERO, Duration.ofMillis(500))
                    .withPhases(List.of("closed")),
                Objective.DEFAULT,
                Progress.NONE)
            .run();

    // recall@K = |first K returned ∩ first K true| / K, by plain sets, over every search the step
    // sent
    double[] sums = new double[2];
    int[] ks = {10, 100};
    List<Integer> qs = new ArrayList<>(queries);
    List<long[]> ids = new ArrayList<>(answers);
    for (int i = 0; i < qs.size(); i++) {
      for (int j = 0; j < ks.length; j++) {
        Set<Long> truth = new HashSet<>();
        for (int g : Arrays.copyOf(DATA.groundTruth(qs.get(i)), ks[j])) {
          truth.add((long) g);
        }
        Set<Long> got = new HashSet<>();
        for (int n = 0; n < Math.min(ks[j], ids.get(i).length); n++) {
          got.add(ids.get(i)[n]);
        }
        got.retainAll(truth);
        sums[j] += (double) got.size() / ks[j];
      }
    }
    StepResult step = r.steps(Mode.CLOSED).get(0);
    assertThat(step.requests()).isEqualTo(qs.size());
    assertThat(step.recall().get(10)).isCloseTo(sums[0] / qs.size(), within(1e-12));
    assertThat(step.recall().get(100)).isCloseTo(sums[1] / qs.size(), within(1e-12));
    assertThat(step.recall().get(100))
        .isLessThan(1.0); // a tiny beam: the check is not trivially 1 = 1
  }

  private static int indexOf(float[] query) {
    for (int i = 0; i < DATA.queries().count(); i++) {
      if (Arrays.equals(DATA.queries().row(i), query)) {
        return i;
      }
    }
    throw new AssertionError("not a dataset query");
  }
}
