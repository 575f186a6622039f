package io.vecwatch.target;

import io.vecwatch.config.ConfigNode;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.TargetSettings;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.knn.ExactKnn;
import io.vecwatch.knn.KnnResult;
import java.util.Random;

/**
 * Exact brute-force search over a dataset's base vectors: recall 1.0 by construction, the reference
 * every approximate index is compared against. Scores are distances as {@link Metric} defines them.
 */
public final class FlatTarget implements Target, RecordReader {
  /** {@code kind: flat}; needs {@code dataset}, has no settings of its own. */
  public static final TargetKind<Settings> KIND =
      new TargetKind<>() {
        @Override
        public String name() {
          return "flat";
        }

        @Override
        public Settings parse(ConfigNode node) {
          InProcess.requireDataset(node, name());
          return new Settings();
        }

        @Override
        public Target create(TargetConfig config, Settings settings, TargetContext context)
            throws TargetException {
          return new FlatTarget(config.name(), InProcess.dataset(config, context));
        }
      };

  /** The flat kind has no settings. */
  public record Settings() implements TargetSettings {}

  private final String name;
  private final Dataset dataset;
  private final Vectors base;
  private final ExactKnn knn;
  private final InProcessRecords records;

  public FlatTarget(String name, Dataset dataset) {
    this.name = name;
    this.dataset = dataset;
    this.base =
        dataset
            .base()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "target " + name + ": dataset " + dataset.name() + " has no base vectors"));
    // one search runs on the caller's thread; the probe runner provides the concurrency
    this.knn = ExactKnn.builder(base, dataset.metric()).threads(1).build();
    this.records = new InProcessRecords(dataset);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public SearchResult search(float[] query, int k) {
    // the same exact k-NN that computed the ground truth, so recall is 1.0 by construction
    KnnResult r = knn.searchOne(query, Math.min(k, base.count()));
    int[] positions = r.ids(0);
    long[] ids = new long[positions.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = dataset.keyOf(positions[i]);
    }
    float[] distances = r.distances(0); // exact, in the dataset's metric: scores and distances
    return new SearchResult(ids, distances, distances);
  }

  @Override
  public long entityCount() {
    return base.count();
  }

  /** The base vectors stored under {@code keys} (null for keys the dataset does not hold). */
  @Override
  public float[][] vectors(long[] keys) {
    return records.vectors(keys);
  }

  @Override
  public long[] sampleKeys(int n, Random random) {
    return records.sampleKeys(n, random);
  }
}
