package io.vecwatch.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vecwatch.concurrent.ManualScheduler;
import io.vecwatch.config.MigrationConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.testing.DatasetCopies;
import io.vecwatch.testing.TestDatasets;
import io.vecwatch.time.ManualClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * A migration between two real in-process flat (exact) targets, stepped on a manual clock: the pool
 * runs each search on the scheduler's thread, so every slot of the schedule completes and the
 * window holds exactly the queries sent. Expected numbers are computed here from the vectors, by a
 * plain sort (TestDatasets.nearest), independently of the production k-NN.
 */
class MigrationMonitorTest {
  static final int COUNT = 2000;
  static final int QUERIES = 50;
  static final double RATE = 10;
  static final Executor DIRECT = Runnable::run;

  final Dataset source = TestDatasets.random("src", COUNT, 16, QUERIES, 10, 11, null);
  final ManualClock clock = new ManualClock();
  final ManualScheduler scheduler = new ManualScheduler(clock);

  static MigrationConfig config() {
    return new MigrationConfig(
        "move",
        "old",
        "new",
        "src",
        List.of(1, 10),
        RATE,
        2,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofSeconds(1),
        new MigrationConfig.Records(500, Duration.ofSeconds(1), 10_000, 1e-5),
        new MigrationConfig.Gate(10, 0.95, 0, 0, 0, 1.2, 100, 1000));
  }

  /** Starts the migration and steps through slots 0..99: every query exactly twice. */
  MigrationSnapshot run(MigrationMonitor m, Dataset destination) {
    m.start(
        new MigrationMonitor.Endpoint(new FlatTarget("old", source), DIRECT),
        new MigrationMonitor.Endpoint(new FlatTarget("new", destination), DIRECT),
        source,
        scheduler);
    scheduler.advance(Duration.ofMillis(9_950));
    return m.snapshot(clock.monotonicNanos());
  }

  @Test
  void identicalCopyAgreesExactlyAndPassesTheGate() {
    MigrationMonitor m = MigrationMonitor.create(config(), clock, new Random(1));
    MigrationSnapshot s = run(m, source);

    assertThat(s.state()).isEqualTo("running");
    assertThat(s.pairs()).isEqualTo(100);
    assertThat(s.pairsTotal()).isEqualTo(100);
    assertThat(s.unpairedTotal()).isZero();
    assertThat(s.overlapAt(1)).isEqualTo(1.0);
    assertThat(s.overlapAt(10)).isEqualTo(1.0);
    assertThat(s.scoreDifference()).isEqualTo(0.0);
    assertThat(s.records().sampled()).isEqualTo(5000);
    assertThat(s.records().missing()).isZero();
    assertThat(s.records().mismatched()).isZero();
    assertThat(s.counts().difference()).isEqualTo(0.0);
    assertThat(s.counts().source()).isEqualTo(COUNT);
    assertThat(s.source().recall().get(1).mean()).isEqualTo(1.0);
    assertThat(s.destination().recall().get(1).mean()).isEqualTo(1.0);

    ReleaseGate.Report gate = ReleaseGate.evaluate(s, config().gate());
    assertThat(gate.checks())
        .extracting(ReleaseGate.Check::verdict)
        .containsOnly(ReleaseGate.Verdict.PASS);
    assertThat(gate.verdict()).isEqualTo(ReleaseGate.Verdict.PASS);
  }

  @Test
  void perturbedAndMissingRecordsShowAsTheOverlapExactKnnPredictsAndAsTheInjectedFractions() {
    DatasetCopies.Modified copy = DatasetCopies.modified(source, "dst", 0.10, 0.05, 0.05f, 3);
    MigrationMonitor m = MigrationMonitor.create(config(), clock, new Random(2));
    MigrationSnapshot s = run(m, copy.dataset());

    // Overlap from exact k-NN on both vector sets, computed here. Slots 0..99 send each query
    // twice, so the
    // window's mean is the mean over queries: an equality, not an estimate.
    float[][] sourceRows = new float[COUNT][];
    for (int i = 0; i < COUNT; i++) {
      sourceRows[i] = source.base().orElseThrow().row(i);
    }
    double[] expected = new double[2];
    int[] ks = {1, 10};
    for (int q = 0; q < QUERIES; q++) {
      float[] query = source.queries().row(q);
      int[] a = TestDatasets.nearest(sourceRows, query, 10);
      int[] b = TestDatasets.nearest(copy.rows(), query, 10);
      for (int j = 0; j < ks.length; j++) {
        Set<Long> top = new HashSet<>();
        for (int i = 0; i < ks[j]; i++) {
          top.add((long) a[i]);
        }
        int shared = 0;
        for (int i = 0; i < ks[j]; i++) {
          shared += top.contains(copy.keys()[b[i]]) ? 1 : 0;
        }
        expected[j] += (double) shared / ks[j] / QUERIES;
      }
    }
    assertThat(expected[1]).as("the perturbation must change some answers").isLessThan(1.0);
    assertThat(s.pairs()).isEqualTo(100);
    assertThat(s.overlapAt(1)).isCloseTo(expected[0], within(1e-12));
    assertThat(s.overlapAt(10)).isCloseTo(expected[1], within(1e-12));

    // Sampled fractions: n draws of a proportion p have standard error sqrt(p(1-p)/n) (draws within
    // a round are
    // without replacement, which only lowers it). 4 standard errors: a seed outside it has odds
    // below 1 in 15,000.
    long n = s.records().sampled();
    assertThat(n).isEqualTo(5000);
    assertThat(s.records().missingRatio()).isCloseTo(0.05, within(4 * Math.sqrt(0.05 * 0.95 / n)));
    assertThat(s.records().mismatchedRatio())
        .isCloseTo(0.10, within(4 * Math.sqrt(0.10 * 0.90 / n)));
    assertThat(s.counts().difference()).isEqualTo(-100.0);
    assertThat(s.destination().recall().get(1).mean()).isLessThan(1.0);

    ReleaseGate.Report gate = ReleaseGate.evaluate(s, config().gate());
    assertThat(gate.verdict()).isEqualTo(ReleaseGate.Verdict.FAIL);
    assertThat(gate.failing())
        .contains(
            ReleaseGate.MISSING_RECORDS,
            ReleaseGate.MISMATCHED_RECORDS,
            ReleaseGate.COUNT_DIFFERENCE)
        .doesNotContain(ReleaseGate.LATENCY_P99_RATIO);
    assertThat(gate.failing().contains(ReleaseGate.OVERLAP)).isEqualTo(expected[1] < 0.95);
  }

  @Test
  void beforeEnoughPairsTheGateSaysInsufficientDataNotPass() {
    MigrationMonitor m = MigrationMonitor.create(config(), clock, new Random(1));
    m.start(
        new MigrationMonitor.Endpoint(new FlatTarget("old", source), DIRECT),
        new MigrationMonitor.Endpoint(new FlatTarget("new", source), DIRECT),
        source,
        scheduler);
    scheduler.advance(Duration.ofMillis(950)); // 10 pairs, 1 record round

    MigrationSnapshot s = m.snapshot(clock.monotonicNanos());
    ReleaseGate.Report gate = ReleaseGate.evaluate(s, config().gate());

    assertThat(s.pairs()).isEqualTo(10);
    assertThat(gate.verdict()).isEqualTo(ReleaseGate.Verdict.INSUFFICIENT_DATA);
    assertThat(gate.checks())
        .filteredOn(c -> c.name().equals(ReleaseGate.OVERLAP))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).isEqualTo("10 pairs in the window, 100 needed"));
    assertThat(gate.checks())
        .filteredOn(c -> c.name().equals(ReleaseGate.COUNT_DIFFERENCE))
        .singleElement()
        .satisfies(c -> assertThat(c.verdict()).isEqualTo(ReleaseGate.Verdict.PASS));
  }

  @Test
  void stoppingEndsTheSchedule() {
    MigrationMonitor m = MigrationMonitor.create(config(), clock, new Random(1));
    m.start(
        new MigrationMonitor.Endpoint(new FlatTarget("old", source), DIRECT),
        new MigrationMonitor.Endpoint(new FlatTarget("new", source), DIRECT),
        source,
        scheduler);
    scheduler.advance(Duration.ofMillis(450));
    m.stop();
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(m.pairsTotal()).isEqualTo(5);
    assertThat(scheduler.pending()).isZero();
  }
}
