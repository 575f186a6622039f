package io.vecwatch.target;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A vector index vecwatch watches. Implementations are one class per kind (see {@code
 * target.registry.TargetKinds}); they only talk to the index. Timing, deadlines, recall and
 * statistics are the probe runner's job.
 *
 * <p>Methods may block (network calls); callers run them on a worker pool, never on an event loop.
 */
public interface Target extends AutoCloseable {
  /** The configured name, used as the {@code target} label. */
  String name();

  /**
   * The {@code kind} this target was built from, e.g. {@code flat}, {@code lucene_hnsw}, {@code
   * milvus}.
   */
  String kind();

  /** Searches the top {@code k} neighbours of {@code query}. Throws on any failure. */
  SearchResult search(float[] query, int k) throws Exception;

  /** Whether the index is able to serve; throws when it cannot even be asked. */
  default Health health() throws Exception {
    return Health.up();
  }

  /** The number of entities the index holds, or -1 when the kind cannot tell. */
  default long entityCount() throws Exception {
    return -1;
  }

  /**
   * The entity count the target's own settings expect (Milvus {@code expected_entities}), when they
   * say; the agent otherwise expects the dataset's base vector count.
   */
  default OptionalLong expectedEntities() {
    return OptionalLong.empty();
  }

  @Override
  default void close() {}

  /**
   * Completes when the target has made its first contact attempt (a remote target: its first
   * connection attempt ended, connected or not, within its own connect deadline). Probes and health
   * checks start only then, so a start does not count "not connected yet" errors. In-process
   * targets are ready once built.
   */
  default CompletionStage<Void> firstContact() {
    return CompletableFuture.completedFuture(null);
  }
}
