package io.vecwatch.dataset;

import java.util.stream.IntStream;

/**
 * A deterministic Gaussian mixture: {@code clusters} centres drawn from N(0, I), each with its own
 * weight (relative sizes 0.5–1.5) and its own spread (0.5–1.5 times {@code spread}); a vector picks
 * a cluster by weight and adds isotropic noise of that cluster's spread to its centre. Clustered
 * data makes approximate indexes behave as on real embeddings (recall below 1 at modest beam
 * widths), which uniform noise does not.
 *
 * <p>Every number comes from a SplitMix64 stream keyed by (seed, kind, index) and Box–Muller with
 * {@link StrictMath}, so the same seed gives byte-identical vectors on every JVM and thread count.
 * Base vectors and queries come from different streams of the same mixture: queries are fresh
 * draws, not copies of base vectors.
 *
 * <pre>{@code
 * GaussianMixture mix = GaussianMixture.of(128, 64, 1.0, 42L);
 * Vectors base = mix.base(20_000);
 * Vectors queries = mix.queries(200);
 * }</pre>
 */
public final class GaussianMixture {
  private static final long BASE = 1;
  private static final long QUERIES = 2;
  private static final long CENTRES = 3;

  private final int dim;
  private final long seed;
  private final float[] centres;
  private final double[] spreads;
  private final double[] cumulativeWeight;

  private GaussianMixture(
      int dim, long seed, float[] centres, double[] spreads, double[] cumulativeWeight) {
    this.dim = dim;
    this.seed = seed;
    this.centres = centres;
    this.spreads = spreads;
    this.cumulativeWeight = cumulativeWeight;
  }

  /**
   * @param spread mean standard deviation of a cluster's noise per coordinate, relative to the
   *     centres' (1)
   */
  public static GaussianMixture of(int dim, int clusters, double spread, long seed) {
    if (dim < 1 || clusters < 1) {
      throw new IllegalArgumentException(
          "dim and clusters must be positive, got " + dim + ", " + clusters);
    }
    if (!(spread >= 0) || Double.isInfinite(spread)) {
      throw new IllegalArgumentException(
          "spread must be a finite non-negative number, got " + spread);
    }
    float[] centres = new float[Math.multiplyExact(clusters, dim)];
    double[] spreads = new double[clusters];
    double[] cumulative = new double[clusters];
    double sum = 0;
    for (int c = 0; c < clusters; c++) {
      Stream s = new Stream(seed, CENTRES, c);
      sum += 0.5 + s.nextDouble();
      cumulative[c] = sum;
      spreads[c] = spread * (0.5 + s.nextDouble());
      for (int d = 0; d < dim; d++) {
        centres[c * dim + d] = (float) s.nextGaussian();
      }
    }
    return new GaussianMixture(dim, seed, centres, spreads, cumulative);
  }

  public int dim() {
    return dim;
  }

  public int clusters() {
    return spreads.length;
  }

  /** The first {@code count} base vectors of this mixture. */
  public Vectors base(int count) {
    return draw(BASE, count);
  }

  /** The first {@code count} queries: same mixture, independent draws. */
  public Vectors queries(int count) {
    return draw(QUERIES, count);
  }

  private Vectors draw(long kind, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    float[] data = new float[Math.multiplyExact(count, dim)];
    // each vector has its own stream, so the parallel split cannot change a single bit
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              Stream s = new Stream(seed, kind, i);
              int c = cluster(s.nextDouble() * cumulativeWeight[cumulativeWeight.length - 1]);
              double sigma = spreads[c];
              int o = i * dim;
              int co = c * dim;
              for (int d = 0; d < dim; d++) {
                data[o + d] = (float) (centres[co + d] + sigma * s.nextGaussian());
              }
            });
    return Vectors.wrap(data, count, dim);
  }

  private int cluster(double u) {
    int lo = 0;
    int hi = cumulativeWeight.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (u < cumulativeWeight[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** SplitMix64 with Box–Muller normals: tiny, fully specified, reproducible anywhere. */
  private static final class Stream {
    private long state;
    private double spare;
    private boolean hasSpare;

    Stream(long seed, long kind, long index) {
      this.state = mix(mix(seed ^ (kind * 0x9E3779B97F4A7C15L)) + index);
    }

    long nextLong() {
      state += 0x9E3779B97F4A7C15L;
      return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
      return (nextLong() >>> 11) * 0x1.0p-53;
    }

    double nextGaussian() {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
      double u2 = nextDouble();
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
      double theta = 2.0 * StrictMath.PI * u2;
      spare = r * StrictMath.sin(theta);
      hasSpare = true;
      return r * StrictMath.cos(theta);
    }

    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }
}
