package io.vecwatch.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void parsesEveryUnitAndCombinations() {
    assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(Durations.parse("1y")).isEqualTo(Duration.ofDays(365));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofHours(1).plusMinutes(30));
    assertThat(Durations.parse("1d2h3m4s5ms"))
        .isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4).plusMillis(5));
    assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "5", "1.5s", "-1s", "1m1h", "1s1s", "1h 30m", "1H", "s", "ms5", " 5s", "5sec", "1ms1s"
      })
  void rejectsWhatPrometheusRejects(String text) {
    assertThat(Durations.isWellFormed(text)).isFalse();
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid duration: \"");
  }

  @Test
  void emptyAndNullAreRejected() {
    assertThatThrownBy(() -> Durations.parse("")).hasMessageStartingWith("empty duration");
    assertThatThrownBy(() -> Durations.parse(null)).hasMessageStartingWith("empty duration");
    assertThat(Durations.isWellFormed("")).isFalse();
  }

  @Test
  void valuesBeyondSixtyFourBitMillisecondsAreOutOfRange() {
    assertThat(Durations.isWellFormed("999999999999y")).isTrue();
    assertThatThrownBy(() -> Durations.parse("999999999999y"))
        .hasMessageStartingWith("duration out of range");
    assertThatThrownBy(() -> Durations.parse("99999999999999999999ms"))
        .hasMessageStartingWith("duration out of range");
  }

  @Test
  void formatsLikePrometheus() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Durations.format(Duration.ofDays(8))).isEqualTo("1w1d");
    assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("1ms");
  }

  @Test
  void negativeDurationsCannotBeFormatted() {
    assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatThenParseGivesTheSameDurationForAnyMillisecondValue() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      // spread over every magnitude from 1 ms to ~290 million years
      long ms = random.nextLong(1, 1L << random.nextInt(1, 63));
      Duration d = Duration.ofMillis(ms);
      String text = Durations.format(d);
      assertThat(Durations.parse(text)).as(text).isEqualTo(d);
      assertThat(Durations.isWellFormed(text)).isTrue();
    }
  }

  @Test
  void parseThenFormatIsCanonical() {
    assertThat(Durations.format(Durations.parse("90s"))).isEqualTo("1m30s");
    assertThat(Durations.format(Durations.parse("0"))).isEqualTo("0s");
    assertThat(Durations.format(Durations.parse("7d"))).isEqualTo("1w");
  }
}
