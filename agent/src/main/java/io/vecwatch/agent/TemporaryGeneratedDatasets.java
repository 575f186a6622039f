package io.vecwatch.agent;

import io.vecwatch.config.DatasetConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * TEMPORARY stand-in for {@code io.vecwatch.dataset.DatasetLoader}, which is written on another branch: it only
 * generates {@link DatasetConfig.Generated} datasets (seeded Gaussian mixture, brute-force ground truth with
 * {@link Metric#distance}). The coordinator swaps it for DatasetLoader at merge (one line in {@link Agent}'s
 * builder default) and deletes this class.
 */
public final class TemporaryGeneratedDatasets implements DatasetProvider {
  @Override
  public Dataset load(DatasetConfig config) {
    if (!(config.source() instanceof DatasetConfig.Generated g)) {
      throw new UnsupportedOperationException(
          "dataset " + config.name() + ": only generated datasets are supported by this build");
    }
    Metric metric = config.metric().orElse(Metric.L2);
    SplittableRandom rnd = new SplittableRandom(g.seed());
    float[] centers = new float[g.clusters() * g.dim()];
    for (int i = 0; i < centers.length; i++) {
      centers[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    Vectors base = mixture(rnd.split(), centers, g, g.count());
    Vectors queries = mixture(rnd.split(), centers, g, g.queries());
    int k = g.groundTruthK();
    int[][] ids = new int[queries.count()][];
    float[][] dists = new float[queries.count()][];
    IntStream.range(0, queries.count()).parallel().forEach(q -> {
      float[] query = queries.row(q);
      float[] row = new float[base.dim()];
      double[] d = new double[base.count()];
      for (int i = 0; i < base.count(); i++) {
        System.arraycopy(base.data(), base.offset(i), row, 0, row.length);
        d[i] = metric.distance(query, row);
      }
      // k smallest by (distance, position): sort positions of a copy; k is small, n moderate
      ids[q] = IntStream.range(0, base.count()).boxed()
          .sorted((a, b) -> d[a] != d[b] ? Double.compare(d[a], d[b]) : Integer.compare(a, b))
          .limit(k).mapToInt(Integer::intValue).toArray();
      dists[q] = new float[k];
      for (int j = 0; j < k; j++) {
        dists[q][j] = (float) d[ids[q][j]];
      }
    });
    return Dataset.builder(config.name(), metric).base(base).queries(queries).groundTruth(ids, dists).build();
  }

  private static Vectors mixture(SplittableRandom rnd, float[] centers, DatasetConfig.Generated g, int n) {
    float[] data = new float[n * g.dim()];
    for (int i = 0; i < n; i++) {
      int c = rnd.nextInt(g.clusters());
      for (int j = 0; j < g.dim(); j++) {
        data[i * g.dim() + j] = (float) (centers[c * g.dim() + j] + g.spread() * rnd.nextGaussian());
      }
    }
    return Vectors.wrap(data, n, g.dim());
  }
}
