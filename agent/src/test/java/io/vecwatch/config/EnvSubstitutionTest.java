package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {
  private final EnvSubstitution env =
      EnvSubstitution.of(
          Map.of(
              "HOST",
              "db.local",
              "PORT",
              "19530",
              "EMPTY",
              "",
              "REF",
              "${HOST}",
              "TOKEN",
              "s3cr3t"));

  @Test
  void textWithoutDollarIsReturnedAsIs() {
    assertThat(env.expand("plain {text}")).isEqualTo("plain {text}");
  }

  @Test
  void setVariableIsSubstitutedAnywhereInTheText() {
    assertThat(env.expand("http://${HOST}:${PORT}/x")).isEqualTo("http://db.local:19530/x");
  }

  @Test
  void setButEmptyVariableGivesEmptyText() {
    assertThat(env.expand("a${EMPTY}b")).isEqualTo("ab");
  }

  @Test
  void unsetVariableIsAnErrorNamingIt() {
    assertThatThrownBy(() -> env.expand("${MISSING}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment variable MISSING is not set");
  }

  @Test
  void colonDashDefaultAppliesWhenUnsetOrEmpty() {
    assertThat(env.expand("${MISSING:-d}")).isEqualTo("d");
    assertThat(env.expand("${EMPTY:-d}")).isEqualTo("d");
    assertThat(env.expand("${HOST:-d}")).isEqualTo("db.local");
  }

  @Test
  void dashDefaultAppliesOnlyWhenUnset() {
    assertThat(env.expand("${MISSING-d}")).isEqualTo("d");
    assertThat(env.expand("[${EMPTY-d}]")).isEqualTo("[]");
  }

  @Test
  void emptyDefaultGivesEmptyText() {
    assertThat(env.expand("[${MISSING:-}]")).isEqualTo("[]");
    assertThat(env.expand("[${MISSING-}]")).isEqualTo("[]");
  }

  @Test
  void defaultMayHoldColonsDashesAndReferences() {
    assertThat(env.expand("${MISSING:-:9477}")).isEqualTo(":9477");
    assertThat(env.expand("${MISSING:-a-b}")).isEqualTo("a-b");
    assertThat(env.expand("${MISSING:-${HOST}:${PORT}}")).isEqualTo("db.local:19530");
    assertThat(env.expand("${MISSING:-${ALSO_MISSING:-x}}")).isEqualTo("x");
  }

  @Test
  void unusedDefaultMayNameUnsetVariables() {
    assertThat(env.expand("${HOST:-${MISSING}}")).isEqualTo("db.local");
  }

  @Test
  void doubleDollarIsALiteralDollar() {
    assertThat(env.expand("$${HOST}")).isEqualTo("${HOST}");
    assertThat(env.expand("pa$$word")).isEqualTo("pa$word");
    assertThat(env.expand("$$$$")).isEqualTo("$$");
  }

  @Test
  void dollarNotFollowedByBraceOrDollarIsKept() {
    assertThat(env.expand("^a$")).isEqualTo("^a$");
    assertThat(env.expand("pa$word")).isEqualTo("pa$word");
    assertThat(env.expand("$HOST")).isEqualTo("$HOST");
  }

  @Test
  void substitutedValuesAreNotExpandedAgain() {
    assertThat(env.expand("${REF}")).isEqualTo("${HOST}");
  }

  @Test
  void unterminatedReferenceIsAnErrorWithItsPosition() {
    assertThatThrownBy(() -> env.expand("ab${HOST"))
        .hasMessage("unterminated variable reference at character 3: missing \"}\"");
    assertThatThrownBy(() -> env.expand("${MISSING:-x"))
        .hasMessage("unterminated variable reference at character 1: missing \"}\"");
    assertThatThrownBy(() -> env.expand("${HOST:-x"))
        .hasMessage("unterminated variable reference at character 1: missing \"}\"");
  }

  @Test
  void malformedReferenceIsAnErrorThatNeverRepeatsTheText() {
    assertThatThrownBy(() -> env.expand("s3cr3t${}"))
        .hasMessage(
            "invalid variable reference at character 7: expected a name after \"${\" (write $$ for a literal $)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    assertThatThrownBy(() -> env.expand("${1A}"))
        .hasMessageStartingWith("invalid variable reference at character 1");
    assertThatThrownBy(() -> env.expand("${TOKEN:x}"))
        .hasMessage(
            "invalid variable reference at character 1: use ${TOKEN}, ${TOKEN:-default} or ${TOKEN-default}");
  }

  @Test
  void errorsNeverContainTheValuesOfVariables() {
    assertThatThrownBy(() -> env.expand("${TOKEN}${MISSING}")).hasMessageNotContaining("s3cr3t");
  }
}
