package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SelfRecallTest {

  @Test
  void ownKeyFirstIsAHit() {
    assertThat(SelfRecall.isHit(5L, List.of(new Searches.Hit(5L, 0f), new Searches.Hit(9L, 0.1f))))
        .isTrue();
  }

  @Test
  void ownKeyBehindAStrictlyNearerOneIsAMiss() {
    assertThat(SelfRecall.isHit(5L, List.of(new Searches.Hit(9L, 0f), new Searches.Hit(5L, 0.1f))))
        .isFalse();
  }

  @Test
  void ownKeyTiedWithTheFirstIsAHitBecauseDuplicatesAreIndistinguishable() {
    assertThat(SelfRecall.isHit(5L, List.of(new Searches.Hit(9L, 0f), new Searches.Hit(5L, 0f))))
        .isTrue();
  }

  @Test
  void integerKeysMatchWhateverBoxedTypeTheSdkReturns() {
    assertThat(SelfRecall.isHit(5, List.of(new Searches.Hit(5L, 0f)))).isTrue();
    assertThat(SelfRecall.isHit("a", List.of(new Searches.Hit("a", 0f)))).isTrue();
    assertThat(SelfRecall.isHit(5L, List.of())).isFalse();
  }

  @Test
  void windowRatioCountsOnlyTheLastSamples() {
    SelfRecall.Window w = new SelfRecall.Window(10);
    assertThat(w.ratio()).isEmpty();
    Random r = new Random(3);
    Deque<Boolean> last = new ArrayDeque<>();
    for (int i = 0; i < 137; i++) {
      boolean v = r.nextDouble() < 0.7;
      w.add(v);
      last.addLast(v);
      if (last.size() > 10) {
        last.removeFirst();
      }
      long trues = last.stream().filter(b -> b).count();
      assertThat(w.size()).isEqualTo(last.size());
      assertThat(w.ratio()).hasValue((double) trues / last.size());
    }
  }

  @Test
  void keyLiteralsQuoteStringsSafely() {
    assertThat(Keys.in("pk", List.of(1L, 22L))).isEqualTo("pk in [1, 22]");
    assertThat(Keys.in("id", List.of("a\"b", "c\\d"))).isEqualTo("id in [\"a\\\"b\", \"c\\\\d\"]");
    assertThat(Keys.and("", "pk > 3")).isEqualTo("pk > 3");
    assertThat(Keys.and("lang == \"en\"", "pk > 3")).isEqualTo("(lang == \"en\") and (pk > 3)");
  }

  @Test
  void floatsAcceptTheSdksListOfFloats() {
    assertThat(SelfRecall.floats(List.of(1.0f, 2.5f))).containsExactly(1.0f, 2.5f);
    assertThat(SelfRecall.floats(new float[] {3f})).containsExactly(3f);
  }
}
