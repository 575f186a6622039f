package io.vecwatch.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.config.DatasetConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.dataset.load.DatasetLoader;
import io.vecwatch.probe.Recall;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The flat target's recall of 1.0 holds by construction in the agent (its ground truth and its
 * search share the exact k-NN code). Checked once here against an oracle that shares nothing with
 * them: squared L2 distances summed in this test, in double, over every base vector, and recall
 * counted as a plain set intersection.
 */
class FlatRecallOracleTest {
  private static final int K = 10;

  @Test
  void flatTargetRecallIsOneAgainstAnIndependentBruteForceOracle() throws Exception {
    Dataset d =
        DatasetLoader.load(
            new DatasetConfig(
                "g",
                Optional.of(Metric.L2),
                new DatasetConfig.Generated(3_000, 24, 40, 8, 5L, K, 1.0)),
            2);
    Vectors base = d.base().orElseThrow();
    Vectors queries = d.queries();
    FlatTarget flat = new FlatTarget("flat", d);
    Recall agentRecall = Recall.of(d, List.of(K));
    double oracleSum = 0;
    double agentSum = 0;
    for (int q = 0; q < queries.count(); q++) {
      long[] got = flat.search(queries.row(q), K).ids();
      Set<Long> truth = oracle(base, queries.row(q));
      Set<Long> found = new HashSet<>();
      Arrays.stream(got).forEach(found::add);
      found.retainAll(truth);
      oracleSum += found.size() / (double) K;
      double[] idRecall = new double[1];
      agentRecall.compute(q, got, idRecall, new double[1]);
      agentSum += idRecall[0];
    }
    assertThat(oracleSum / queries.count()).isEqualTo(1.0);
    assertThat(agentSum / queries.count()).isEqualTo(oracleSum / queries.count());
  }

  /**
   * Base positions (the generated dataset's keys) of the K nearest rows by squared L2, computed
   * here.
   */
  private static Set<Long> oracle(Vectors base, float[] q) {
    int n = base.count();
    double[] dist = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      float[] row = base.row(i);
      double s = 0;
      for (int j = 0; j < q.length; j++) {
        double diff = (double) q[j] - (double) row[j];
        s += diff * diff;
      }
      dist[i] = s;
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(dist[a], dist[b]));
    // continuous random data: the K-th and (K+1)-th distances differ, so the set is well defined
    assertThat(dist[order[K - 1]]).isLessThan(dist[order[K]]);
    Set<Long> out = new HashSet<>();
    for (int i = 0; i < K; i++) {
      out.add((long) order[i]);
    }
    return out;
  }
}
