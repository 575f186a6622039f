package io.vecwatch.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.target.SearchResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementTest {
  static SearchResult r(long[] ids, float[] scores) {
    return new SearchResult(ids, scores);
  }

  @Test
  void overlapCountsSharedIdsAmongTheFirstKOfEachSide() {
    long[] a = {1, 2, 3, 4};
    long[] b = {2, 9, 1, 3};

    assertThat(Agreement.overlap(a, b, 1)).isEqualTo(0.0);
    assertThat(Agreement.overlap(a, b, 2)).isEqualTo(0.5);
    assertThat(Agreement.overlap(a, b, 4)).isEqualTo(0.75);
  }

  @Test
  void aShortOrDuplicatedAnswerCountsItsGapsAsMisses() {
    assertThat(Agreement.overlap(new long[] {1, 2, 3}, new long[] {1, 1, 1}, 3)).isEqualTo(1.0 / 3);
    assertThat(Agreement.overlap(new long[] {1, 2, 3}, new long[] {1}, 3)).isEqualTo(1.0 / 3);
  }

  @Test
  void overlapFillsOneValuePerK() {
    double[] out = new double[2];
    Agreement.overlap(
        r(new long[] {5, 6}, new float[0]),
        r(new long[] {5, 7}, new float[0]),
        new int[] {1, 2},
        out);

    assertThat(out).containsExactly(1.0, 0.5);
  }

  @Test
  void scoreDifferenceIsRelativeAndOverSharedIdsOnly() {
    SearchResult a = r(new long[] {1, 2, 3}, new float[] {1f, 2f, 4f});
    SearchResult b = r(new long[] {2, 1, 9}, new float[] {3f, 1f, 0f});

    // id 1: |1-1|/1 = 0; id 2: |2-3|/3; id 9 is not shared
    assertThat(Agreement.relativeScoreDifference(a, b, 3)).isEqualTo((0 + 1.0 / 3) / 2);
  }

  @Test
  void scoreDifferenceIsUndefinedWithoutSharedIdsOrScores() {
    assertThat(
            Agreement.relativeScoreDifference(
                r(new long[] {1}, new float[] {1f}), r(new long[] {2}, new float[] {1f}), 1))
        .isNaN();
    assertThat(
            Agreement.relativeScoreDifference(
                r(new long[] {1}, new float[0]), r(new long[] {1}, new float[] {1f}), 1))
        .isNaN();
  }

  @Test
  void pairJoinHandsOverBothSidesOfASlotWhicheverArrivesFirst() {
    List<String> got = new ArrayList<>();
    PairJoin j =
        new PairJoin(
            4,
            (q, s, sl, d, dl) ->
                got.add(q + ":" + s.ids()[0] + "/" + d.ids()[0] + ":" + sl + "/" + dl));
    j.offer(false, 0, 0, r(new long[] {20}, new float[0]), 7);
    j.offer(true, 0, 0, r(new long[] {10}, new float[0]), 5);
    j.offer(true, 1, 1, r(new long[] {11}, new float[0]), 1);
    j.offer(false, 1, 1, r(new long[] {21}, new float[0]), 2);

    assertThat(got).containsExactly("0:10/20:5/7", "1:11/21:1/2");
    assertThat(j.pairs()).isEqualTo(2);
    assertThat(j.unpaired()).isZero();
  }

  @Test
  void pairJoinCountsAHalfWhosePartnerNeverCameOnceItsPlaceIsNeeded() {
    List<Integer> got = new ArrayList<>();
    PairJoin j = new PairJoin(2, (q, s, sl, d, dl) -> got.add(q));
    j.offer(true, 0, 0, r(new long[] {1}, new float[0]), 1); // destination of slot 0 failed
    j.offer(true, 2, 2, r(new long[] {1}, new float[0]), 1); // same place in the ring
    j.offer(false, 2, 2, r(new long[] {1}, new float[0]), 1);

    assertThat(got).containsExactly(2);
    assertThat(j.unpaired()).isEqualTo(1);
  }

  @Test
  void countParityReadsTheLatestDifferenceAndGrowthOverTheWindow() {
    CountParity c = new CountParity(10_000_000_000L, 8);
    c.record(0, 100, 100);
    c.record(5_000_000_000L, 150, 140);
    c.record(10_000_000_000L, 200, 180);

    CountParity.Reading r = c.read(10_000_000_000L);
    assertThat(r.difference()).isEqualTo(-20.0);
    assertThat(r.sourceGrowthPerSecond()).isEqualTo(10.0);
    assertThat(r.destinationGrowthPerSecond()).isEqualTo(8.0);
    assertThat(c.read(14_000_000_000L).sourceGrowthPerSecond())
        .as("readings at 5 s and 10 s")
        .isEqualTo(10.0);
    assertThat(c.read(14_000_000_000L).destinationGrowthPerSecond()).isEqualTo(8.0);
    assertThat(c.read(16_000_000_000L).sourceGrowthPerSecond())
        .as("one reading left in the window")
        .isNaN();
    assertThat(c.read(16_000_000_000L).difference())
        .as("the latest reading still counts")
        .isEqualTo(-20.0);
  }

  @Test
  void recordParityForgetsTheOldestOutcomeOnceTheRingIsFull() {
    RecordParity p = new RecordParity(3, 0.01);
    p.compare(
        new float[][] {{1f}, {1f}, {1f}, null}, new float[][] {null, {1.02f}, {1.005f}, {1f}});

    assertThat(p.read()).isEqualTo(new RecordParity.Reading(3, 1, 1, 1.0 / 3, 1.0 / 3, 3));
    p.add(RecordParity.EQUAL);
    assertThat(p.read().missing()).as("the missing one was oldest").isZero();
    assertThat(p.read().sampledTotal()).isEqualTo(4);
  }
}
