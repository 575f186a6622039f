package io.vecwatch.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
  private static final class Counting implements Target {
    final AtomicInteger searches = new AtomicInteger();

    @Override
    public String name() {
      return "t";
    }

    @Override
    public String kind() {
      return "flat";
    }

    @Override
    public SearchResult search(float[] query, int k) {
      searches.incrementAndGet();
      return null;
    }

    @Override
    public long entityCount() {
      return 42;
    }
  }

  @Test
  void delaysEachSearchByTheCurrentDelayAndDelegatesTheRest() throws Exception {
    Counting inner = new Counting();
    FaultInjection faults = FaultInjection.of(Map.of("t", Duration.ofMillis(30)));
    Target t = faults.wrap(inner);
    long start = System.nanoTime();
    t.search(new float[] {1}, 1);
    assertThat(System.nanoTime() - start)
        .as("at least the injected delay")
        .isGreaterThanOrEqualTo(30_000_000L);
    assertThat(inner.searches.get()).isEqualTo(1);
    assertThat(t.entityCount()).isEqualTo(42);
    assertThat(t.name()).isEqualTo("t");
    faults.setDelay("t", Duration.ZERO);
    assertThat(faults.delay("t")).isZero();
    assertThat(FaultInjection.unwrap(t)).containsSame(inner);
  }
}
