package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.Secret;
import io.vecwatch.config.TargetConfig;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Metric;
import io.vecwatch.target.registry.TargetKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code kind: milvus} settings. Each validation rule has its fixture under {@code
 * src/test/resources/config} ({@code invalid-milvus-*.yml}), checked for its exact problem lines by
 * the config layer's {@code InvalidConfigFixturesTest}; here: no fixture's problems echo a secret,
 * and the full valid example.
 */
class MilvusSettingsTest {
  private static final Path DIR = Path.of("src/test/resources/config");
  private static final String SECRET = "s3cr3t-Token-value";
  private static final ConfigLoader LOADER =
      new ConfigLoader(Map.of("VW_TOKEN", SECRET), TargetKinds.lookup());

  static Stream<Path> invalidFixtures() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("invalid-milvus-"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFixtures")
  void neverEchoesASecretInAProblem(Path fixture) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> LOADER.load(fixture));

    assertThat(e).as("%s must be rejected", fixture).isNotNull();
    assertThat(e.getMessage())
        .doesNotContain(SECRET)
        .doesNotContain("s3cr3t-from-file")
        .doesNotContain("Milvus@");
  }

  @Test
  void readsEveryKeyOfTheFullExample() throws Exception {
    VecwatchConfig config = LOADER.load(DIR.resolve("valid-milvus.yml"));
    TargetConfig t = config.targets().get(0);
    MilvusSettings s = (MilvusSettings) t.settings();

    assertThat(t.kind()).isEqualTo("milvus");
    assertThat(s.uri()).isEqualTo("https://milvus.internal:19530");
    assertThat(s.database()).contains("search");
    assertThat(s.auth())
        .isEqualTo(new MilvusSettings.UserPassword("vecwatch", Secret.of("s3cr3t-from-file")));
    Path data = DIR.resolve("data/token.txt").toAbsolutePath().normalize();
    assertThat(s.tls())
        .contains(
            new MilvusSettings.Tls(
                Optional.of(data),
                Optional.of(data),
                Optional.of(data),
                Optional.of("milvus.internal")));
    assertThat(s.tls().orElseThrow().mutual()).isTrue();
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.callTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.reconnect())
        .isEqualTo(new MilvusSettings.Reconnect(Duration.ofMillis(500), Duration.ofSeconds(30)));
    assertThat(s.collection()).isEqualTo("docs");
    assertThat(s.vectorField()).contains("embedding");
    assertThat(s.metric()).contains(Metric.IP);
    // numbers go to Milvus as JSON numbers, other text as strings
    assertThat(s.searchParams())
        .containsExactly(Map.entry("ef", 64), Map.entry("radius", 0.5), Map.entry("level", "high"));
    assertThat(s.consistencyLevel()).contains("bounded");
    assertThat(s.filter()).contains("lang == \"en\"");
    assertThat(s.partitions()).containsExactly("p2024", "p2025");
    assertThat(s.idField()).contains("doc_id");
    assertThat(s.expectedEntities()).hasValue(1_000_000);
    assertThat(s.selfRecall()).isEqualTo(new MilvusSettings.SelfRecall(8, 500));
  }

  @Test
  void defaultsApplyWhenOnlyUriAndCollectionAreSet() throws Exception {
    VecwatchConfig config =
        LOADER.parse(
            "inline.yml",
            """
        targets:
          - name: lite
            kind: milvus
            uri: http://127.0.0.1:19530
            collection: docs
        """,
            DIR);
    MilvusSettings s = (MilvusSettings) config.targets().get(0).settings();

    assertThat(s.auth()).isEqualTo(new MilvusSettings.NoAuth());
    assertThat(s.tls()).isEmpty();
    assertThat(s.connectTimeout()).isEqualTo(MilvusSettings.DEFAULT_CONNECT_TIMEOUT);
    assertThat(s.callTimeout()).isEqualTo(MilvusSettings.DEFAULT_CALL_TIMEOUT);
    assertThat(s.reconnect())
        .isEqualTo(new MilvusSettings.Reconnect(Duration.ofSeconds(1), Duration.ofMinutes(1)));
    assertThat(s.vectorField()).isEmpty();
    assertThat(s.metric()).isEmpty();
    assertThat(s.consistencyLevel()).isEmpty();
    assertThat(s.expectedEntities()).isEmpty();
    assertThat(s.selfRecall().enabled()).isTrue();
  }

  @Test
  void tokenFromEnvironmentIsHiddenInToString() throws Exception {
    VecwatchConfig config =
        LOADER.parse(
            "inline.yml",
            """
        targets:
          - name: cloud
            kind: milvus
            uri: https://in01-abc.api.gcp-us-west1.zillizcloud.com:443
            token: ${VW_TOKEN}
            collection: docs
        """,
            DIR);
    MilvusSettings s = (MilvusSettings) config.targets().get(0).settings();

    assertThat(s.auth()).isEqualTo(new MilvusSettings.Token(Secret.of(SECRET)));
    assertThat(s.toString()).doesNotContain(SECRET).contains("<secret>");
    assertThat(config.toString()).doesNotContain(SECRET);
  }

  @Test
  void searchParamsKeepTheirJsonType() {
    assertThat(MilvusSettings.typed("64")).isEqualTo(64);
    assertThat(MilvusSettings.typed("10000000000")).isEqualTo(10_000_000_000L);
    assertThat(MilvusSettings.typed("0.25")).isEqualTo(0.25);
    assertThat(MilvusSettings.typed("true")).isEqualTo(true);
    assertThat(MilvusSettings.typed("high")).isEqualTo("high");
  }
}
