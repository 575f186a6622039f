package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One fixture per validation rule, {@code src/test/resources/config/invalid-<rule>.yml}. Each names
 * its rule in a {@code # Rule:} line and lists the exact problem lines it must produce, in order,
 * as {@code # expect:} lines (without the file part, which is the path as passed to the loader;
 * {@code <dir>} stands for the fixtures' absolute folder). Adding a fixture adds a test case.
 */
class InvalidConfigFixturesTest {

  static Stream<Path> invalidFixtures() {
    return Fixtures.named("invalid-");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFixtures")
  void reportsExactlyTheExpectedProblemLinesInDocumentOrder(Path fixture) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> Fixtures.loader().load(fixture));

    assertThat(e).as("%s must be rejected", fixture).isNotNull();
    assertThat(e.problems()).containsExactlyElementsOf(Fixtures.expectedProblems(fixture));
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFixtures")
  void everyFixtureNamesItsRuleAndExpectsAtLeastOneProblem(Path fixture) throws Exception {
    assertThat(Files.readAllLines(fixture)).anyMatch(l -> l.startsWith("# Rule: "));
    assertThat(Fixtures.expectedProblems(fixture)).isNotEmpty();
  }

  @Test
  void thereIsAFixtureForEveryRuleFamily() {
    // A guard against fixtures being deleted by accident: at least these families must stay
    // covered.
    assertThat(invalidFixtures().map(p -> p.getFileName().toString()))
        .hasSizeGreaterThanOrEqualTo(50)
        .anyMatch(n -> n.startsWith("invalid-yaml-"))
        .anyMatch(n -> n.startsWith("invalid-env-"))
        .anyMatch(n -> n.startsWith("invalid-file"))
        .anyMatch(n -> n.startsWith("invalid-dataset-"))
        .anyMatch(n -> n.startsWith("invalid-target-"))
        .anyMatch(n -> n.startsWith("invalid-probe-"))
        .anyMatch(n -> n.startsWith("invalid-web-"))
        .anyMatch(n -> n.startsWith("invalid-many-"));
  }
}
