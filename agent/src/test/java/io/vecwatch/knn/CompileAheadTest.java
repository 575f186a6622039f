package io.vecwatch.knn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.dataset.Metric;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompileAheadTest {
  private static boolean running() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("vecwatch-compile-ahead") && t.isAlive());
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void searchesInTheBackgroundUntilClosedAndLeavesNoThread(Metric metric) {
    CompileAhead ahead = CompileAhead.start(metric);
    assertThat(running()).as("a background thread searches while the caller reads files").isTrue();
    ahead.close();
    assertThat(running()).as("close() waits for the background searches to end").isFalse();
  }
}
