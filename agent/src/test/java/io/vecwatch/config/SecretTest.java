package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Secrets ({@code token} inline, usually {@code ${ENV}}, or {@code token_file}) never show up in a
 * record's {@code toString()} or in any problem message. No config section reads a secret yet (the
 * Milvus target will), so the secret-bearing key here is read the way a kind's {@code parse} reads
 * it.
 */
class SecretTest {
  private static final String SECRET = Fixtures.SECRET;

  /** What a kind with a token does in its parse method. */
  record Credentials(String user, Optional<Secret> token) {
    static Credentials parse(ConfigNode n) {
      Credentials c = new Credentials(n.string("user", "root"), n.secret("token"));
      n.finish();
      return c;
    }
  }

  private Problems problems;

  private Credentials parse(String yaml, Path baseDir) throws Exception {
    YamlTree.Result r = YamlTree.parse(yaml);
    problems = new Problems(r.positions());
    return Credentials.parse(
        new ConfigNode(
            r.root(),
            "",
            new ConfigNode.Context(
                problems, EnvSubstitution.of(Fixtures.ENV), baseDir, ConfigNode.NO_KINDS)));
  }

  private Credentials parse(String yaml) throws Exception {
    return parse(yaml, Fixtures.DIR.toAbsolutePath());
  }

  @Test
  void toStringNeverRevealsTheValue() {
    Secret s = Secret.of(SECRET);

    assertThat(s.toString()).isEqualTo("<secret>");
    assertThat(s.reveal()).isEqualTo(SECRET);
    assertThat(s).isEqualTo(Secret.of(SECRET)).isNotEqualTo(Secret.of("other"));
  }

  @Test
  void recordsHoldingASecretPrintThePlaceholder() throws Exception {
    Credentials c = parse("token: ${VW_TOKEN}");

    assertThat(c.token()).map(Secret::reveal).contains(SECRET);
    assertThat(c.toString()).doesNotContain(SECRET).contains("<secret>");
    assertThat(problems.list()).isEmpty();
  }

  @Test
  void secretFileIsReadRelativeToTheConfigWithoutItsTrailingNewline() throws Exception {
    Credentials c = parse("token_file: data/token.txt");

    assertThat(c.token()).map(Secret::reveal).contains("s3cr3t-from-file");
    assertThat(problems.list()).isEmpty();
  }

  @Test
  void noTokenAtAllIsEmpty() throws Exception {
    assertThat(parse("user: admin").token()).isEmpty();
    assertThat(problems.list()).isEmpty();
  }

  @Test
  void bothInlineAndFileIsAProblemThatShowsNeither() throws Exception {
    parse("token: ${VW_TOKEN}\ntoken_file: data/token.txt");

    assertThat(problems.list()).containsExactly("token: set either token or token_file, not both");
  }

  @Test
  void missingEmptyOrUnreadableSecretFilesAreNamedButNotRead(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("empty"), "\n");
    Files.createDirectory(dir.resolve("folder"));

    parse("token_file: nope", dir);
    parse("token_file: empty", dir);
    assertThat(problems.list())
        .containsExactly("token_file: file is empty: " + dir.resolve("empty"));
    parse("token_file: folder", dir);
    assertThat(problems.list())
        .containsExactly("token_file: is a directory, not a file: " + dir.resolve("folder"));
    parse("token_file: nope", dir);
    assertThat(problems.list())
        .containsExactly("token_file: file does not exist: " + dir.resolve("nope"));
  }

  @Test
  void secretFileThatIsNotUtf8IsReportedWithoutItsContent(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("bin"), new byte[] {'s', '3', (byte) 0xff, (byte) 0xfe, 'x'});

    parse("token_file: bin", dir);

    assertThat(problems.list())
        .containsExactly("token_file: cannot read file as UTF-8 text: " + dir.resolve("bin"));
  }

  @Test
  void aSecretFilePathFromTheEnvironmentIsShownAsWritten() throws Exception {
    parse("token_file: ${VW_TOKEN}");

    assertThat(problems.list())
        .containsExactly(
            "token_file: file does not exist: ${VW_TOKEN} (substituted path not shown)");
  }

  static Stream<String> wrongSecretConfigs() {
    return Stream.of(
        "token: {value: s3cr3t-Token-value}", // a mapping where one value belongs
        "token: [s3cr3t-Token-value]", // a list
        "tokn: s3cr3t-Token-value", // a misspelt key
        "token: ${VW_TOKEN}\ntoken_file: data/token.txt", // both forms
        "token: \"s3cr3t-Token-value${VW_UNSET}\"", // an unset variable inside the value
        "token: \"s3cr3t-Token-value${}\"", // a malformed reference inside the value
        "token: \"s3cr3t-Token-value${VW_TOKEN\"", // an unterminated reference
        "token_file: ${VW_TOKEN}"); // the value where a path belongs
  }

  @ParameterizedTest
  @MethodSource("wrongSecretConfigs")
  void aWrongSecretKeyIsReportedWithoutEchoingTheSecret(String yaml) throws Exception {
    parse(yaml);

    assertThat(problems.list()).isNotEmpty().allSatisfy(p -> assertThat(p).doesNotContain(SECRET));
  }

  @Test
  void yamlSyntaxErrorsInASecretLineDoNotEchoIt() {
    Path fixture = Fixtures.file("invalid-yaml-unterminated-quote.yml");

    ConfigException e =
        Assertions.catchThrowableOfType(
            ConfigException.class, () -> Fixtures.loader().load(fixture));

    assertThat(e.problems()).singleElement().asString().doesNotContain("hunter2");
  }
}
