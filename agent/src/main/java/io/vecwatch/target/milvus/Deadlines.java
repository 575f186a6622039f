package io.vecwatch.target.milvus;

import io.milvus.shaded.io.grpc.Context;
import io.vecwatch.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Puts a deadline on every gRPC call a block of SDK code makes, including calls the SDK issues
 * without one (it checks that a database exists right after connecting with no deadline at all).
 * Works through gRPC's {@link Context}: the effective deadline of each call is the earlier of the
 * context's and the call's own.
 */
public final class Deadlines {
  // gRPC needs a scheduler to fire context deadlines; one daemon thread serves every target
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("vecwatch-milvus-deadlines"));

  private Deadlines() {}

  /**
   * Runs {@code body} on this thread; every RPC it makes fails with DEADLINE_EXCEEDED after {@code
   * deadline}.
   */
  public static <T> T within(Duration deadline, Callable<T> body) throws Exception {
    Context.CancellableContext ctx =
        Context.current().withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS, TIMER);
    try {
      return ctx.call(body);
    } finally {
      ctx.cancel(null);
    }
  }
}
