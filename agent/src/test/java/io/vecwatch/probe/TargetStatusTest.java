package io.vecwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.target.Health;
import org.junit.jupiter.api.Test;

/** A target's last error describes it only while it is not healthy. */
class TargetStatusTest {
  @Test
  void lastErrorIsClearedWhenTheTargetIsHealthyAgain() {
    TargetStatus s = new TargetStatus();
    s.healthFailed("cannot reach Milvus at http://db:19530", 1_000);
    assertThat(s.lastError()).contains("health check: cannot reach Milvus at http://db:19530");
    s.healthChecked(Health.up(), 100, 2_000);
    assertThat(s.lastError()).isEmpty();
    assertThat(s.lastErrorWallMillis()).isEmpty();
  }

  @Test
  void anUnhealthyAnswerKeepsItsReason() {
    TargetStatus s = new TargetStatus();
    s.healthChecked(Health.down("collection not loaded"), -1, 1_000);
    assertThat(s.lastError()).contains("unhealthy: collection not loaded");
  }
}
