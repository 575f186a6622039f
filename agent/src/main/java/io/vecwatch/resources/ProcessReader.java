package io.vecwatch.resources;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What the JVM's own MXBeans do not tell about this process: its resident set size. (CPU time,
 * heap, threads and open file descriptors come from Micrometer's JVM and process binders.)
 */
public final class ProcessReader {
  private final Path status;

  private ProcessReader(Path root) {
    this.status = ProcFiles.under(root, "/proc/self/status");
  }

  public static ProcessReader at(Path root) {
    return new ProcessReader(root);
  }

  /** {@code VmRSS} of {@code /proc/self/status} in bytes; empty off Linux. */
  public OptionalLong residentBytes() {
    Long v = ProcFiles.keyValues(status).get("VmRSS");
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }
}
