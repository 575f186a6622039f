package io.vecwatch.target;

import io.vecwatch.config.ConfigNode;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.util.PriorityQueue;

/**
 * Exact brute-force search over a dataset's base vectors: recall 1.0 by construction, the reference every
 * approximate index is compared against. Scores are distances as {@link Metric} defines them.
 */
public final class FlatTarget implements Target {
  /** {@code kind: flat}; needs {@code dataset}, has no settings of its own. */
  public static final TargetKind<Settings> KIND = new TargetKind<>() {
    @Override
    public String name() {
      return "flat";
    }

    @Override
    public Settings parse(ConfigNode node) {
      if (node.optionalString("dataset").isEmpty()) {
        node.problem("dataset", "must be set for kind flat");
      }
      return new Settings();
    }

    @Override
    public Target create(TargetConfig config, Settings settings, TargetContext context) throws TargetException {
      return new FlatTarget(config.name(), InProcess.dataset(config, context));
    }
  };

  /** The flat kind has no settings. */
  public record Settings() implements TargetSettings {}

  private final String name;
  private final Dataset dataset;
  private final Vectors base;

  public FlatTarget(String name, Dataset dataset) {
    this.name = name;
    this.dataset = dataset;
    this.base = dataset.base().orElseThrow(() -> new IllegalArgumentException(
        "target " + name + ": dataset " + dataset.name() + " has no base vectors"));
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
    Metric metric = dataset.metric();
    int n = Math.min(k, base.count());
    // max-heap on distance keeps the n nearest seen so far
    PriorityQueue<double[]> heap = new PriorityQueue<>(n + 1, (a, b) -> Double.compare(b[0], a[0]));
    float[] row = new float[base.dim()];
    for (int i = 0; i < base.count(); i++) {
      System.arraycopy(base.data(), base.offset(i), row, 0, base.dim());
      double d = metric.distance(query, row);
      if (heap.size() < n) {
        heap.add(new double[] {d, i});
      } else if (d < heap.peek()[0]) {
        heap.poll();
        heap.add(new double[] {d, i});
      }
    }
    long[] ids = new long[heap.size()];
    float[] scores = new float[heap.size()];
    for (int i = ids.length - 1; i >= 0; i--) {
      double[] e = heap.poll();
      ids[i] = dataset.keyOf((int) e[1]);
      scores[i] = (float) e[0];
    }
    return new SearchResult(ids, scores);
  }

  @Override
  public long entityCount() {
    return base.count();
  }
}
