package io.vecwatch.knn;

import io.vecwatch.concurrent.DaemonThreads;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the exact k-NN code compiled while the caller does something else, typically reading the
 * vector files: one background thread runs small searches on generated vectors until {@link
 * #close()}, so the JIT compiler has compiled the kernel, with a profile of real searches, by the
 * time the real search starts (the Vector API runs orders of magnitude slower until its code is
 * compiled, and a search of a large base otherwise spends its first second or more there). It uses
 * one core and a few hundred KiB; the results are thrown away.
 *
 * <pre>{@code
 * try (CompileAhead ahead = CompileAhead.start(metric)) {
 *   base = read(...);  // the compiler works meanwhile
 * }
 * ExactKnn.builder(base, metric).build().search(queries, k);
 * }</pre>
 */
public final class CompileAhead implements AutoCloseable {
  private static final int BASE = 2_048;
  private static final int QUERIES = 64;
  private static final int DIM = 128;
  private static final int K = 100;

  /** Caps the work when nobody closes it: enough rounds for the kernel to reach the compiler. */
  private static final int MAX_ROUNDS = 400;

  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;

  private CompileAhead(Metric metric) {
    this.thread = DaemonThreads.named("vecwatch-compile-ahead").newThread(() -> run(metric));
    thread.setPriority(Thread.MIN_PRIORITY);
  }

  /** Starts the background searches for {@code metric} (each metric prepares vectors its way). */
  public static CompileAhead start(Metric metric) {
    CompileAhead ahead = new CompileAhead(metric);
    ahead.thread.start();
    return ahead;
  }

  private void run(Metric metric) {
    SplittableRandom random = new SplittableRandom(42);
    Vectors base = clustered(random, BASE);
    Vectors queries = clustered(random, QUERIES);
    for (int round = 0; round < MAX_ROUNDS && !stop.get(); round++) {
      ExactKnn.builder(base, metric).threads(1).build().search(queries, K);
    }
  }

  /** Vectors around a few centres, so heaps fill and then admit rarely, as in real searches. */
  private static Vectors clustered(SplittableRandom random, int count) {
    float[] data = new float[count * DIM];
    for (int i = 0; i < count; i++) {
      int centre = random.nextInt(8);
      for (int d = 0; d < DIM; d++) {
        data[i * DIM + d] = (float) (((centre * 31 + d) % 17) / 17.0 + 0.3 * random.nextGaussian());
      }
    }
    return Vectors.wrap(data, count, DIM);
  }

  /** Stops the background searches after the current one and waits for it to end. */
  @Override
  public void close() {
    stop.set(true);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
