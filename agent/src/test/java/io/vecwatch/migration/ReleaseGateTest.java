package io.vecwatch.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.config.MigrationConfig;
import io.vecwatch.migration.ReleaseGate.Verdict;
import io.vecwatch.stats.LatencyQuantiles;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseGateTest {
  static final MigrationConfig.Gate DEFAULTS = MigrationConfig.Gate.defaults();

  static MigrationSnapshot snapshot(
      long pairs,
      double overlap10,
      double p99Ratio,
      long sampled,
      long missing,
      long mismatched,
      long countSamples,
      double difference) {
    MigrationSnapshot.Side side =
        new MigrationSnapshot.Side(
            "t", List.of(), LatencyQuantiles.NONE, 0, 0, 0, Optional.empty());
    return new MigrationSnapshot(
        "m",
        "a",
        "b",
        "d",
        "running",
        Optional.empty(),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        pairs,
        pairs,
        0,
        List.of(new MigrationSnapshot.Overlap(10, overlap10)),
        0.0,
        side,
        side,
        new MigrationSnapshot.LatencyRatio(1, 1, p99Ratio),
        new MigrationSnapshot.Counts(countSamples, 1000, 1000 + difference, difference, 0, 0),
        new MigrationSnapshot.Records(
            sampled,
            missing,
            mismatched,
            sampled == 0 ? Double.NaN : (double) missing / sampled,
            sampled == 0 ? Double.NaN : (double) mismatched / sampled,
            sampled,
            Optional.empty()));
  }

  static Verdict verdictOf(ReleaseGate.Report r, String check) {
    return r.checks().stream()
        .filter(c -> c.name().equals(check))
        .findFirst()
        .orElseThrow()
        .verdict();
  }

  @Test
  void passesWhenEveryCheckIsWithinItsDefaultThreshold() {
    ReleaseGate.Report r =
        ReleaseGate.evaluate(snapshot(100, 0.95, 1.2, 100, 0, 0, 1, 0), DEFAULTS);

    assertThat(r.checks())
        .extracting(ReleaseGate.Check::name)
        .containsExactlyElementsOf(ReleaseGate.CHECKS);
    assertThat(r.checks()).extracting(ReleaseGate.Check::verdict).containsOnly(Verdict.PASS);
    assertThat(r.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void failsNamingTheOverlapCheckBelowTheThreshold() {
    ReleaseGate.Report r =
        ReleaseGate.evaluate(snapshot(500, 0.949, 1.0, 500, 0, 0, 3, 0), DEFAULTS);

    assertThat(r.failing()).containsExactly(ReleaseGate.OVERLAP);
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.checks().get(0).detail()).isEqualTo("mean overlap@10 over 500 pairs");
  }

  @Test
  void oneMissingRecordFailsTheDefaultGate() {
    ReleaseGate.Report r = ReleaseGate.evaluate(snapshot(500, 1, 1, 1000, 1, 0, 3, 0), DEFAULTS);

    assertThat(r.failing()).containsExactly(ReleaseGate.MISSING_RECORDS);
    assertThat(r.checks().get(1).detail())
        .isEqualTo("1 of 1000 sampled records missing on the destination");
  }

  @Test
  void aCountGapInEitherDirectionFailsTheCountCheck() {
    assertThat(ReleaseGate.evaluate(snapshot(500, 1, 1, 500, 0, 0, 3, -7), DEFAULTS).failing())
        .containsExactly(ReleaseGate.COUNT_DIFFERENCE);
    assertThat(ReleaseGate.evaluate(snapshot(500, 1, 1, 500, 0, 0, 3, 7), DEFAULTS).failing())
        .containsExactly(ReleaseGate.COUNT_DIFFERENCE);
  }

  @Test
  void aSlowerDestinationFailsTheLatencyCheckAboveTheRatio() {
    ReleaseGate.Report r = ReleaseGate.evaluate(snapshot(500, 1, 1.21, 500, 0, 0, 3, 0), DEFAULTS);

    assertThat(r.failing()).containsExactly(ReleaseGate.LATENCY_P99_RATIO);
  }

  @Test
  void tooFewPairsOrRecordsIsInsufficientDataNeverPass() {
    ReleaseGate.Report r =
        ReleaseGate.evaluate(snapshot(99, 1, 1, 99, 0, 0, 0, Double.NaN), DEFAULTS);

    assertThat(r.checks())
        .extracting(ReleaseGate.Check::verdict)
        .containsOnly(Verdict.INSUFFICIENT_DATA);
    assertThat(r.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
    assertThat(r.verdict().label()).isEqualTo("insufficient data");
  }

  @Test
  void aFailingCheckOutweighsChecksWithoutData() {
    ReleaseGate.Report r =
        ReleaseGate.evaluate(snapshot(10, 1, 1, 500, 50, 0, 0, Double.NaN), DEFAULTS);

    assertThat(verdictOf(r, ReleaseGate.OVERLAP)).isEqualTo(Verdict.INSUFFICIENT_DATA);
    assertThat(verdictOf(r, ReleaseGate.MISSING_RECORDS)).isEqualTo(Verdict.FAIL);
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void recordChecksWithoutARecordReaderSayWhy() {
    MigrationSnapshot s = snapshot(500, 1, 1, 0, 0, 0, 3, 0);
    s =
        new MigrationSnapshot(
            s.name(),
            s.sourceTarget(),
            s.destinationTarget(),
            s.dataset(),
            s.state(),
            s.problem(),
            s.window(),
            s.covered(),
            s.pairs(),
            s.pairsTotal(),
            s.unpairedTotal(),
            s.overlap(),
            s.scoreDifference(),
            s.source(),
            s.destination(),
            s.latencyRatio(),
            s.counts(),
            new MigrationSnapshot.Records(
                0,
                0,
                0,
                Double.NaN,
                Double.NaN,
                0,
                Optional.of("target b (kind x) cannot read records by key")));

    ReleaseGate.Report r = ReleaseGate.evaluate(s, DEFAULTS);

    assertThat(r.checks().get(1).detail())
        .isEqualTo("target b (kind x) cannot read records by key");
    assertThat(r.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
  }
}
