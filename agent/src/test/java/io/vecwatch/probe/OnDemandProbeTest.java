package io.vecwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.target.Health;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import io.vecwatch.testing.TestDatasets;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OnDemandProbeTest {
  private static final Dataset DATA = TestDatasets.random("d", 300, 8, 5, 10, 3, null);
  private static final Recall RECALL = Recall.of(DATA, List.of(5, 10));

  /**
   * A target that answers each query with its exact neighbours, or hangs, or fails, as a test sets
   * it.
   */
  private static final class Scripted implements Target {
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hang;
    volatile String fail;
    volatile int dropLast;

    @Override
    public String name() {
      return "t";
    }

    @Override
    public String kind() {
      return "flat";
    }

    @Override
    public Health health() throws Exception {
      if (hang) {
        release.await(); // a server that accepted the connection and never answers
      }
      return Health.up();
    }

    @Override
    public SearchResult search(float[] query, int k) throws Exception {
      if (fail != null) {
        throw new IllegalStateException(fail);
      }
      float[][] base = new float[DATA.base().orElseThrow().count()][];
      for (int i = 0; i < base.length; i++) {
        base[i] = DATA.base().orElseThrow().row(i);
      }
      int[] nn = TestDatasets.nearest(base, query, k);
      long[] ids = new long[k];
      for (int i = 0; i < k; i++) {
        ids[i] = i >= k - dropLast ? -1 - i : nn[i]; // the last `dropLast` answers are wrong
      }
      return new SearchResult(ids, new float[0]);
    }
  }

  private static OnDemandProbe.Subject subject(Target t) {
    return new OnDemandProbe.Subject(t, DATA, RECALL, 2, Duration.ofSeconds(5));
  }

  @Test
  void searchesTheScheduleNextQueryAndScoresRecallAgainstTheGroundTruth() throws Exception {
    Scripted t = new Scripted();
    t.dropLast = 3;
    try (OnDemandProbe p = OnDemandProbe.create(Clock.system())) {
      OnDemandProbe.Report r =
          p.start(subject(t), OptionalInt.empty(), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
      assertThat(r.outcome()).isEqualTo("ok");
      assertThat(r.query()).isEqualTo(2);
      assertThat(r.k()).isEqualTo(10);
      assertThat(r.recall()).containsEntry(5, 1.0).containsEntry(10, 0.7);
      assertThat(r.ids()).hasSize(10);
      assertThat(r.groundTruthIds()).hasSize(10).startsWith(r.ids().get(0));
      assertThat(r.trace())
          .anyMatch(
              l -> l.endsWith("Recall@10 = 0.700 (7 of the 10 exact nearest neighbours returned)"))
          .last()
          .satisfies(l -> assertThat(l).endsWith("Probe succeeded"));
    }
  }

  @Test
  void aHungTargetTimesOutAndKeepsItsSlotUntilItReturns() throws Exception {
    Scripted t = new Scripted();
    t.hang = true;
    try (OnDemandProbe p = OnDemandProbe.create(Clock.system())) {
      OnDemandProbe.Report first =
          p.start(subject(t), OptionalInt.of(0), Duration.ofMillis(100)).get(10, TimeUnit.SECONDS);
      assertThat(first.outcome()).isEqualTo("timeout");
      assertThat(first.error()).contains("no answer within 100ms");
      assertThat(first.trace()).anyMatch(l -> l.contains("Deadline of 100ms exceeded"));
      p.start(subject(t), OptionalInt.of(1), Duration.ofMillis(100)).get(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> p.start(subject(t), OptionalInt.of(1), Duration.ofMillis(100)))
          .isInstanceOf(OnDemandProbe.BusyException.class)
          .hasMessage("2 probes on demand are still running; try again when they finished");
      t.hang = false;
      t.release.countDown();
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () ->
                  p.start(subject(t), OptionalInt.of(1), Duration.ofSeconds(5))
                      .get(10, TimeUnit.SECONDS)
                      .outcome()
                      .equals("ok"));
    }
  }

  @Test
  void aFailedSearchReportsTheTargetsErrorText() throws Exception {
    Scripted t = new Scripted();
    t.fail = "collection docs is not loaded";
    try (OnDemandProbe p = OnDemandProbe.create(Clock.system())) {
      OnDemandProbe.Report r =
          p.start(subject(t), OptionalInt.of(4), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
      assertThat(r.outcome()).isEqualTo("error");
      assertThat(r.error()).contains("collection docs is not loaded");
      assertThat(r.recall()).isEmpty();
      assertThat(r.trace())
          .contains(r.trace().get(r.trace().size() - 1))
          .last()
          .satisfies(l -> assertThat(l).endsWith("Probe failed"));
    }
  }

  @Test
  void aQueryOutsideTheDatasetIsRefused() {
    try (OnDemandProbe p = OnDemandProbe.create(Clock.system())) {
      assertThatThrownBy(
              () -> p.start(subject(new Scripted()), OptionalInt.of(5), Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("query must be in 0..4 (dataset d has 5 queries), got 5");
    }
  }
}
