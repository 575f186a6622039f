package io.vecwatch.loadtest;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * The JIT compiler's accumulated compile time, in milliseconds (summed over its threads), or -1
 * where the JVM does not tell. A fresh JVM compiles the search client's code paths (gRPC, protobuf,
 * the SDK) during its first tens of thousands of searches; while it does, its compiler threads take
 * CPU from the client and the server on a small machine, and the client runs slower, profiling
 * code: latency measured then is the JVM's warm-up, not the target's.
 */
final class JitActivity {
  /** Compile time per second of warm-up below which the compiler counts as settled. */
  static final double SETTLED_SHARE = 0.05;

  private JitActivity() {}

  /** This JVM's compiler. */
  static LongSupplier compilerMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return () -> -1;
    }
    return jit::getTotalCompilationTime;
  }
}
