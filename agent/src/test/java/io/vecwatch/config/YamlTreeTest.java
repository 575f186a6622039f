package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vecwatch.config.YamlTree.Position;
import org.junit.jupiter.api.Test;

class YamlTreeTest {

  @Test
  void scalarsKeepTheTextAsWritten() throws Exception {
    YamlTree.Result r =
        YamlTree.parse(
            "a: 0012\nb: 1.10\nc: yes\nd: 1e5\ne: 0x1F\nf: 'quoted'\ng: ~\nh:\ni: \"null\"\n");

    assertThat(r.root().get("a").asText()).isEqualTo("0012");
    assertThat(r.root().get("b").asText()).isEqualTo("1.10");
    assertThat(r.root().get("c").asText()).isEqualTo("yes");
    assertThat(r.root().get("d").asText()).isEqualTo("1e5");
    assertThat(r.root().get("e").asText()).isEqualTo("0x1F");
    assertThat(r.root().get("f").asText()).isEqualTo("quoted");
    assertThat(r.root().get("g").isNull()).isTrue();
    assertThat(r.root().get("h").isNull()).isTrue();
    assertThat(r.root().get("i").asText()).isEqualTo("null");
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void recordsWhereEveryKeyAndItemStarts() throws Exception {
    YamlTree.Result r =
        YamlTree.parse("web:\n  listen_address: :1\ntargets:\n  - name: a\n    kind: flat\n");

    assertThat(r.positions())
        .containsEntry("web", new Position(1, 1))
        .containsEntry("web.listen_address", new Position(2, 3))
        .containsEntry("targets", new Position(3, 1))
        .containsEntry("targets[0]", new Position(4, 5))
        .containsEntry("targets[0].kind", new Position(5, 5));
  }

  @Test
  void emptyTextHasNoRoot() throws Exception {
    assertThat(YamlTree.parse("").root()).isNull();
    assertThat(YamlTree.parse("# only a comment\n").root()).isNull();
  }

  @Test
  void duplicateKeysAreReportedAtTheRepeatAndTheFirstValueStays() throws Exception {
    YamlTree.Result r = YamlTree.parse("a: 1\nb: 2\na: 3\n");

    assertThat(r.root().get("a").asText()).isEqualTo("1");
    assertThat(r.problems())
        .containsExactly(
            new YamlTree.Problem(
                "a", new Position(3, 1), "duplicate key on line 3 (first set on line 1)"));
  }

  @Test
  void aliasesCopyTheAnchoredNodeAndMergeKeysFillOnlyMissingKeys() throws Exception {
    YamlTree.Result r =
        YamlTree.parse("base: &b {x: 1, y: 2}\ncopy: *b\nmerged:\n  <<: *b\n  y: 3\n");

    assertThat(r.root().get("copy").toString()).isEqualTo("{\"x\":\"1\",\"y\":\"2\"}");
    assertThat(r.root().get("merged").get("x").asText()).isEqualTo("1");
    assertThat(r.root().get("merged").get("y").asText()).isEqualTo("3");
    assertThat(r.root().get("merged").has("<<")).isFalse();
  }

  @Test
  void anAliasOfASingleValueIsReportedBecauseTheParserHidesScalarAnchors() throws Exception {
    YamlTree.Result r = YamlTree.parse("k: &k 5\nk2: *k\n");

    assertThat(r.problems())
        .containsExactly(
            new YamlTree.Problem(
                "k2", null, "unknown alias *k: no mapping or list is anchored &k before it"));
  }

  @Test
  void mergeKeyAcceptsAListOfMappingsEarlierWinning() throws Exception {
    YamlTree.Result r = YamlTree.parse("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n");

    assertThat(r.root().get("c").get("x").asText()).isEqualTo("1");
    assertThat(r.root().get("c").get("y").asText()).isEqualTo("2");
  }

  @Test
  void aliasBombsAreRejectedInsteadOfExhaustingMemory() {
    StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      y.append("]\n");
    }

    assertThatThrownBy(() -> YamlTree.parse(y.toString()))
        .isInstanceOf(YamlTree.SyntaxError.class)
        .hasMessageContaining("aliases expand to more than 100000 nodes");
  }

  @Test
  void syntaxErrorsGiveLineAndColumnButNotTheLineText() {
    assertThatThrownBy(() -> YamlTree.parse("a: 1\nb: [1, 2\nc: \"hunter2\n"))
        .isInstanceOfSatisfying(
            YamlTree.SyntaxError.class,
            e -> {
              assertThat(e.describe()).startsWith("line ").contains("not valid YAML: ");
              assertThat(e.describe()).doesNotContain("hunter2").doesNotContain("\n");
            });
  }

  @Test
  void deepNestingIsASyntaxErrorNotAStackOverflow() throws Exception {
    // Found by fuzzing: mappings nested 4,000 deep overflowed the stack of the recursive reader.
    for (String open : new String[] {"{a: ", "["}) {
      assertThatThrownBy(() -> YamlTree.parse("targets: " + open.repeat(4000)))
          .isInstanceOfSatisfying(
              YamlTree.SyntaxError.class,
              e ->
                  assertThat(e.describe())
                      .startsWith("line 1, column ")
                      .endsWith(
                          ": not valid YAML: mappings and lists nested more than 100 levels deep"));
    }
    String deepest =
        "a: " + "[".repeat(YamlTree.MAX_DEPTH - 1) + "]".repeat(YamlTree.MAX_DEPTH - 1);
    assertThat(YamlTree.parse(deepest).root()).isNotNull();
  }
}
