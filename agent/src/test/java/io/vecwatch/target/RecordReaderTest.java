package io.vecwatch.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.testing.TestDatasets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordReaderTest {
  static final int COUNT = 2000;

  static long[] keys() {
    long[] k = new long[COUNT];
    for (int i = 0; i < COUNT; i++) {
      k[i] = 1_000_000L + 7L * (COUNT - i); // not the positions, not sorted
    }
    return k;
  }

  final Dataset dataset = TestDatasets.random("d", COUNT, 8, 5, 10, 3, keys());

  @Test
  void flatTargetReadsStoredVectorsByKeyAndNullForKeysItDoesNotHold() {
    FlatTarget t = new FlatTarget("flat", dataset);

    float[][] got = t.vectors(new long[] {dataset.keyOf(17), 42, dataset.keyOf(0)});

    assertThat(got[0]).containsExactly(dataset.base().orElseThrow().row(17));
    assertThat(got[1]).isNull();
    assertThat(got[2]).containsExactly(dataset.base().orElseThrow().row(0));
  }

  @Test
  void sampledKeysAreDistinctHeldKeysSpreadOverTheWholeRange() {
    FlatTarget t = new FlatTarget("flat", dataset);

    long[] sample = t.sampleKeys(400, new Random(5));

    assertThat(Arrays.stream(sample).distinct().count()).isEqualTo(400);
    assertThat(Arrays.stream(t.vectors(sample)).filter(v -> v == null)).isEmpty();
    long lo = Arrays.stream(keys()).min().getAsLong();
    long hi = Arrays.stream(keys()).max().getAsLong();
    long span = hi - lo;
    // 400 uniform draws: the chance that none falls in the lowest (or highest) tenth is 0.9^400 <
    // 1e-18
    assertThat(Arrays.stream(sample).min().getAsLong()).isLessThan(lo + span / 10);
    assertThat(Arrays.stream(sample).max().getAsLong()).isGreaterThan(hi - span / 10);
  }

  @Test
  void aDelayedTargetStillExposesItsRecordReader() {
    Target wrapped =
        FaultInjection.of(Map.of("flat", Duration.ZERO)).wrap(new FlatTarget("flat", dataset));

    assertThat(RecordReader.of(wrapped)).isPresent();
  }
}
