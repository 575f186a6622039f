package io.vecwatch.cli;

import io.vecwatch.agent.Agent;
import io.vecwatch.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The training run behind the class-data archive the build writes next to the jar ({@code
 * vecwatch.jsa}, see {@code agent/src/main/dist/write-class-archive.sh}): with {@code
 * -Dvecwatch.cds.training=true}, {@code run} starts the agent, waits until it is ready, reads its
 * HTTP endpoints once and returns, so the JVM's {@code -XX:ArchiveClassesAtExit} archives every
 * class a start-up and a first scrape load.
 */
final class ClassArchiveTraining {
  static final String PROPERTY = "vecwatch.cds.training";
  private static final long READY_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(120);

  private ClassArchiveTraining() {}

  static boolean requested() {
    return Boolean.getBoolean(PROPERTY);
  }

  /** Waits (bounded) for the agent to be ready, then reads each endpoint once. */
  static void exercise(Agent agent, Clock clock) throws IOException {
    long deadline = clock.monotonicNanos() + READY_WITHIN_NANOS;
    while (!agent.ready() && clock.monotonicNanos() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    for (String path : new String[] {"/metrics", "/api/v1/targets", "/-/ready", "/-/healthy"}) {
      HttpURLConnection c =
          (HttpURLConnection)
              new URL("http://127.0.0.1:" + agent.httpPort() + path).openConnection();
      try (InputStream in = c.getInputStream()) {
        in.readAllBytes();
      } finally {
        c.disconnect();
      }
    }
  }
}
