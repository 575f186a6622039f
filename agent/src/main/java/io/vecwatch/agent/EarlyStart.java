package io.vecwatch.agent;

import io.vecwatch.concurrent.DaemonThreads;
import io.vecwatch.metrics.AgentMetrics;
import io.vecwatch.metrics.SnapshotCache;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The parts of an agent that do not depend on its config (the Vert.x instance that serves HTTP, the
 * metrics registry with its first scrape done), created on a background thread while the command
 * line and the config are still being read, so that start-up does both at once on a machine with
 * two cores or more. The agent built with it takes the parts over; {@link #close()} releases them
 * when no agent did (a config error).
 *
 * <pre>{@code
 * try (EarlyStart early = EarlyStart.begin()) {
 *   VecwatchConfig c = ...;                               // read meanwhile
 *   Agent agent = Agent.builder(c).earlyStart(early).start();
 * }
 * }</pre>
 */
public final class EarlyStart implements AutoCloseable {
  /** What an agent takes over. */
  record Parts(Vertx vertx, SnapshotCache cache, AgentMetrics metrics) {
    void close() {
      metrics.close();
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // closing after a failed start: nothing left to tell the user
      }
    }
  }

  private final CompletableFuture<Parts> parts;
  private boolean taken;

  EarlyStart(CompletableFuture<Parts> parts) {
    this.parts = parts;
  }

  /** Starts creating the parts on a daemon thread and returns at once. */
  public static EarlyStart begin() {
    CompletableFuture<Parts> f = new CompletableFuture<>();
    DaemonThreads.named("vecwatch-early-start")
        .newThread(
            () -> {
              try {
                f.complete(create());
              } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
              }
            })
        .start();
    return new EarlyStart(f);
  }

  /** Creates the parts on the calling thread (an agent built without an early start). */
  static Parts create() {
    SnapshotCache cache = new SnapshotCache();
    AgentMetrics metrics = AgentMetrics.create(cache);
    // loads and links the exposition code, so the first real scrape is not the one paying for it
    metrics.scrape(AgentMetrics.PROMETHEUS_TEXT);
    return new Parts(newVertx(), cache, metrics);
  }

  /**
   * A Vert.x sized for a sidecar: one event loop, a couple of workers for scrapes and snapshots, no
   * file caching.
   */
  static Vertx newVertx() {
    return Vertx.vertx(
        new VertxOptions()
            .setEventLoopPoolSize(1)
            .setWorkerPoolSize(2)
            .setInternalBlockingPoolSize(2)
            .setFileSystemOptions(
                new FileSystemOptions()
                    .setFileCachingEnabled(false)
                    .setClassPathResolvingEnabled(false)));
  }

  /** Waits for the parts and hands them over; the caller closes them from then on. */
  synchronized Parts take() {
    if (taken) {
      throw new IllegalStateException("the parts of an early start go to one agent only");
    }
    taken = true;
    try {
      return parts.join();
    } catch (CompletionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** Releases the parts unless an agent took them over. Idempotent. */
  @Override
  public synchronized void close() {
    if (taken) {
      return;
    }
    taken = true;
    try {
      parts.join().close();
    } catch (CompletionException e) {
      // the parts never came to be: nothing to release
    }
  }
}
