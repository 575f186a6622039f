package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {
  private Problems problems;

  /**
   * A node over {@code yaml} as a file would give it (positions known), with the fixtures'
   * environment.
   */
  private ConfigNode node(String yaml) throws Exception {
    YamlTree.Result r = YamlTree.parse(yaml);
    problems = new Problems(r.positions());
    return new ConfigNode(
        r.root(),
        "",
        new ConfigNode.Context(
            problems,
            EnvSubstitution.of(Fixtures.ENV),
            Fixtures.DIR.toAbsolutePath(),
            ConfigNode.NO_KINDS));
  }

  @Test
  void missingKeysGiveTheDefaults() throws Exception {
    ConfigNode n = node("other: 1");

    assertThat(n.string("s", "d")).isEqualTo("d");
    assertThat(n.integer("i", 7, 0, 10)).isEqualTo(7);
    assertThat(n.number("x", 0.5, 0, 1)).isEqualTo(0.5);
    assertThat(n.bool("b", true)).isTrue();
    assertThat(n.duration("t", Duration.ofSeconds(3), Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(n.oneOf("o", "a", List.of("a", "b"))).isEqualTo("a");
    assertThat(n.stringList("l")).isEmpty();
    assertThat(n.intList("k", List.of(10), 1, 100)).containsExactly(10);
    assertThat(n.stringMap("m")).isEmpty();
    assertThat(n.optionalString("s")).isEmpty();
    assertThat(problems.list()).isEmpty();
  }

  @Test
  void integersAcceptUnderscoresAndRejectAnythingElse() throws Exception {
    ConfigNode n = node("a: 20_000\nb: 1.0\nc: 0x10\nd: 99999999999999999999\ne: ' 5 '");

    assertThat(n.integer("a", 0, 0, 100_000)).isEqualTo(20_000);
    assertThat(n.integer("b", -1, 0, 10)).isEqualTo(-1);
    assertThat(n.integer("c", -1, 0, 10)).isEqualTo(-1);
    assertThat(n.longValue("d", -1, 0, Long.MAX_VALUE)).isEqualTo(-1);
    assertThat(n.integer("e", -1, 0, 10)).isEqualTo(5);
    assertThat(problems.list())
        .containsExactly(
            "b: must be an integer, got \"1.0\"",
            "c: must be an integer, got \"0x10\"",
            "d: must be between 0 and 9223372036854775807, got 99999999999999999999");
  }

  @Test
  void numbersAreDecimalAndFinite() throws Exception {
    ConfigNode n = node("a: 1e3\nb: .5\nc: 5d\nd: NaN\ne: 0x1p3\nf: .inf");

    assertThat(n.number("a", 0, 0, 1e6)).isEqualTo(1000.0);
    assertThat(n.number("b", 0, 0, 1)).isEqualTo(0.5);
    n.number("c", 0, 0, 10);
    n.number("d", 0, 0, 10);
    n.number("e", 0, 0, 10);
    n.number("f", 0, 0, 10);
    assertThat(problems.list())
        .containsExactly(
            "c: must be a number, got \"5d\"",
            "d: must be a number, got \"NaN\"",
            "e: must be a number, got \"0x1p3\"",
            "f: must be a number, got \".inf\"");
  }

  @Test
  void booleansAreTrueOrFalseOnly() throws Exception {
    ConfigNode n = node("a: true\nb: false\nc: yes\nd: True");

    assertThat(n.bool("a", false)).isTrue();
    assertThat(n.bool("b", true)).isFalse();
    assertThat(n.bool("c", false)).isFalse();
    assertThat(n.bool("d", false)).isFalse();
    assertThat(problems.list())
        .containsExactly(
            "c: must be true or false, got \"yes\"", "d: must be true or false, got \"True\"");
  }

  @Test
  void oneOfIsCaseSensitiveAndListsTheChoices() throws Exception {
    ConfigNode n = node("a: grpc\nb: GRPC");

    assertThat(n.oneOf("a", "http", List.of("http", "grpc"))).isEqualTo("grpc");
    assertThat(n.oneOf("b", "http", List.of("http", "grpc"))).isEqualTo("http");
    assertThat(problems.list()).containsExactly("b: must be one of http, grpc, got \"GRPC\"");
  }

  @Test
  void durationsHaveBounds() throws Exception {
    ConfigNode n = node("a: 1h30m\nb: 10ms\nc: 2h");

    assertThat(n.duration("a", Duration.ZERO, Duration.ZERO)).isEqualTo(Duration.ofMinutes(90));
    n.duration("b", Duration.ZERO, Duration.ofSeconds(1));
    n.duration("c", Duration.ZERO, Duration.ZERO, Duration.ofHours(1));
    assertThat(problems.list())
        .containsExactly("b: must be at least 1s, got 10ms", "c: must be at most 1h, got 2h");
  }

  @Test
  void requiredStringTellsMissingFromEmpty() throws Exception {
    ConfigNode n = node("a: ''\nb: ~\nc: x");

    assertThat(n.requiredString("a")).isEmpty();
    assertThat(n.requiredString("b")).isEmpty();
    assertThat(n.requiredString("c")).isEqualTo("x");
    assertThat(n.requiredString("d")).isEmpty();
    // d is missing, so it sorts where its mapping (the document) starts
    assertThat(problems.list())
        .containsExactly("a: must not be empty", "d: must be set", "b: must be set");
  }

  @Test
  void stringListTakesAListOrASingleValue() throws Exception {
    ConfigNode n = node("a: [x, '${VW_DATASET}', 3]\nb: one\nc: [x, ~, {k: v}]\nd: {k: v}");

    assertThat(n.stringList("a")).containsExactly("x", "gen", "3");
    assertThat(n.stringList("b")).containsExactly("one");
    assertThat(n.stringList("c")).containsExactly("x");
    assertThat(n.stringList("d")).isEmpty();
    assertThat(problems.list())
        .containsExactly(
            "c[1]: must be a single value, not empty",
            "c[2]: must be a single value, not a mapping",
            "d: must be a list, not a mapping");
  }

  @Test
  void intListIsSortedWithoutDuplicatesAndReportsEachBadElementAtItsIndex() throws Exception {
    ConfigNode n = node("a: [100, 1, 10, 10]\nb: 5\nc: [1, x, 1000]\nd: []");

    assertThat(n.intList("a", List.of(), 1, 500)).containsExactly(1, 10, 100);
    assertThat(n.intList("b", List.of(), 1, 500)).containsExactly(5);
    assertThat(n.intList("c", List.of(7), 1, 500)).containsExactly(1);
    assertThat(n.intList("d", List.of(7), 1, 500)).containsExactly(7);
    assertThat(problems.list())
        .containsExactly(
            "c[1]: must be an integer, got \"x\"",
            "c[2]: must be between 1 and 500, got 1000",
            "d: must not be empty");
  }

  @Test
  void singleValueGivenForAListIsReportedAtTheKeyItself() throws Exception {
    ConfigNode n = node("k: ten");

    n.intList("k", List.of(), 1, 10);
    assertThat(problems.list()).containsExactly("k: must be an integer, got \"ten\"");
  }

  @Test
  void stringMapKeepsDocumentOrderAndExpandsValues() throws Exception {
    ConfigNode n = node("m:\n  z: 1\n  a: ${VW_DATASET}\n  bad: [1]");

    assertThat(n.stringMap("m")).containsExactly(Map.entry("z", "1"), Map.entry("a", "gen"));
    assertThat(problems.list()).containsExactly("m.bad: must be a single value, not a list");
  }

  @Test
  void childAndListRejectTheWrongShape() throws Exception {
    ConfigNode n = node("c: 5\nl: 5\nm: [1, {a: b}]");

    ConfigNode c = n.child("c");
    assertThat(c.path()).isEqualTo("c");
    assertThat(n.list("l")).isEmpty();
    assertThat(n.list("m")).extracting(ConfigNode::path).containsExactly("m[1]");
    assertThat(problems.list())
        .containsExactly(
            "c: must be a mapping, not a single value",
            "l: must be a list, not a single value",
            "m[0]: must be a mapping, not a single value");
  }

  @Test
  void unknownKeysAreReportedWithASuggestionWhenOneIsClose() throws Exception {
    ConfigNode n = node("ef_serach: 1\nefConstruction: 2\ntimeout: 3\nzzz: 4\ntimout: 5");
    n.integer("ef_search", 0, 0, 10);
    n.integer("ef_construction", 0, 0, 10);
    n.integer("timeout", 0, 0, 10);

    n.finish();

    assertThat(problems.list())
        .containsExactly(
            "ef_serach: unknown key (did you mean ef_search?)",
            "efConstruction: unknown key (did you mean ef_construction?)",
            "zzz: unknown key",
            "timout: unknown key"); // timeout is set already, so it is not what the user meant
  }

  @Test
  void aKeyReadTwiceIsReportedOnce() throws Exception {
    ConfigNode n = node("a: ${VW_UNSET}");

    n.optionalString("a");
    n.string("a", "");
    n.requiredString("a");

    assertThat(problems.list()).containsExactly("a: environment variable VW_UNSET is not set");
  }

  @Test
  void anUnreadableValueGetsNoFollowUpProblems() throws Exception {
    ConfigNode n = node("a: [1, 2]");

    n.optionalString("a");
    n.problem("a", "must be set for kind flat");

    assertThat(problems.list()).containsExactly("a: must be a single value, not a list");
  }

  @Test
  void filesResolveAgainstTheConfigFolderAndMustExist() throws Exception {
    ConfigNode n = node("a: data/tiny-base.fvecs\nb: data/nope\nc: data\nd: /elsewhere/out.ivecs");
    Path dir = Fixtures.DIR.toAbsolutePath().normalize();

    assertThat(n.existingFile("a")).contains(dir.resolve("data/tiny-base.fvecs"));
    assertThat(n.existingFile("b")).contains(dir.resolve("data/nope"));
    n.existingFile("c");
    assertThat(n.file("d")).contains(Path.of("/elsewhere/out.ivecs"));
    assertThat(problems.list())
        .containsExactly(
            "b: file does not exist: " + dir.resolve("data/nope"),
            "c: is a directory, not a file: " + dir.resolve("data"));
  }

  @Test
  void quoteKeepsMessagesOnOneBoundedLineAndHidesUrlCredentials() {
    assertThat(ConfigNode.quote("a\"b\nc\\")).isEqualTo("\"a\\\"b\\nc\\\\\"");
    assertThat(ConfigNode.quote("x".repeat(200))).hasSize(82).endsWith("...\"");
    assertThat(ConfigNode.quote("https://root:Milvus@db:19530/x"))
        .isEqualTo("\"https://***@db:19530/x\"");
    assertThat(ConfigNode.quote("\u0007")).isEqualTo("\"\\u0007\"");
  }

  @Test
  void detachedNodesListProblemsInTheOrderFound() throws Exception {
    Problems p = new Problems();
    ConfigNode n =
        ConfigNode.detached(YamlTree.parse("b: x\na: y").root(), p, Map.of(), Path.of("."));

    n.integer("b", 0, 0, 1);
    n.integer("a", 0, 0, 1);

    assertThat(p.list())
        .containsExactly("b: must be an integer, got \"x\"", "a: must be an integer, got \"y\"");
  }

  @Test
  void problemsOfMissingKeysSortWhereTheirMappingStarts() throws Exception {
    ConfigNode n = node("x: 1\nitems:\n  - a: 1\n    b: bad\n  - a: 2\n");
    List<ConfigNode> items = n.list("items");
    n.integer("x", 0, 0, 0); // x: 1 is out of range: line 1

    items.get(1).requiredString("name"); // missing: sorts at items[1], line 5
    items.get(0).integer("b", 0, 0, 9); // line 4
    items.get(0).requiredString("name"); // missing: sorts at items[0], line 3

    assertThat(problems.list())
        .containsExactly(
            "x: must be between 0 and 0, got 1",
            "items[0].name: must be set",
            "items[0].b: must be an integer, got \"bad\"",
            "items[1].name: must be set");
  }
}
