package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.config.DatasetConfig.Files;
import io.vecwatch.config.DatasetConfig.Generated;
import io.vecwatch.config.DatasetConfig.Hdf5;
import io.vecwatch.dataset.Metric;
import io.vecwatch.target.FlatTarget;
import io.vecwatch.target.LuceneHnswTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The valid fixtures load to exactly the records written out here by hand. */
class ValidConfigFixturesTest {
  private static final WebConfig DEFAULT_WEB = new WebConfig("0.0.0.0", 9477);
  private static final Generated DEFAULT_GENERATED =
      new Generated(20_000, 128, 200, 64, 42L, 100, 1.0);

  private static VecwatchConfig load(String name) throws ConfigException {
    return Fixtures.loader().load(Fixtures.file(name));
  }

  private static Path data(String name) {
    return Fixtures.DIR.resolve("data").resolve(name).toAbsolutePath().normalize();
  }

  private static TargetConfig flat(String name, String dataset, Map<String, String> labels) {
    return new TargetConfig(name, "flat", Optional.of(dataset), labels, new FlatTarget.Settings());
  }

  private static ProbeConfig probe(String target, String dataset, List<Integer> ks) {
    ProbeConfig d = ProbeConfig.defaults(target, dataset);
    return new ProbeConfig(
        target,
        dataset,
        d.rate(),
        d.concurrency(),
        d.timeout(),
        ks,
        d.window(),
        d.healthInterval());
  }

  @Test
  void emptyFileIsAValidConfigWithDefaultsAndNothingToProbe() throws Exception {
    assertThat(load("valid-empty.yml"))
        .isEqualTo(new VecwatchConfig(DEFAULT_WEB, List.of(), List.of(), List.of()));
  }

  @Test
  void minimalConfigGetsEveryDefaultAndADefaultProbePerTarget() throws Exception {
    assertThat(load("valid-minimal.yml"))
        .isEqualTo(
            new VecwatchConfig(
                DEFAULT_WEB,
                List.of(new DatasetConfig("gen", Optional.of(Metric.L2), DEFAULT_GENERATED)),
                List.of(flat("exact", "gen", Map.of())),
                List.of(ProbeConfig.defaults("exact", "gen"))));
  }

  @Test
  void fullConfigSetsEveryKey() throws Exception {
    VecwatchConfig expected =
        new VecwatchConfig(
            new WebConfig("127.0.0.1", 19477),
            List.of(
                new DatasetConfig(
                    "gen",
                    Optional.of(Metric.COSINE),
                    new Generated(5_000, 64, 50, 16, 7L, 50, 0.5)),
                new DatasetConfig(
                    "tiny",
                    Optional.of(Metric.L2),
                    new Files(
                        data("tiny-base.fvecs"),
                        data("tiny-queries.fvecs"),
                        Optional.of(data("tiny-gt.ivecs")),
                        Optional.of(data("tiny-gt-distances.fvecs")),
                        3)),
                new DatasetConfig(
                    "glove", Optional.of(Metric.COSINE), new Hdf5(data("empty.hdf5")))),
            List.of(
                flat("exact", "gen", Map.of("team", "search", "env", "prod")),
                new TargetConfig(
                    "hnsw",
                    "lucene_hnsw",
                    Optional.of("gen"),
                    Map.of(),
                    new LuceneHnswTarget.Settings(8, 64, 24)),
                flat("tiny-exact", "tiny", Map.of())),
            List.of(
                new ProbeConfig(
                    "exact",
                    "gen",
                    20.0,
                    8,
                    Duration.ofMillis(250),
                    List.of(1, 10, 50),
                    Duration.ofMinutes(2),
                    Duration.ofSeconds(10)),
                probe("hnsw", "gen", List.of(10)),
                probe("tiny-exact", "tiny", List.of(3))));

    assertThat(load("valid-full.yml")).isEqualTo(expected);
  }

  @Test
  void environmentIsSubstitutedInEveryKindOfValue() throws Exception {
    VecwatchConfig c = load("valid-env.yml");

    assertThat(c.web()).isEqualTo(new WebConfig("127.0.0.1", 9477));
    assertThat(c.datasets())
        .containsExactly(
            new DatasetConfig(
                "gen", Optional.of(Metric.IP), new Generated(20_000, 32, 200, 64, 42L, 100, 1.0)));
    assertThat(c.targets().get(0).dataset()).contains("gen");
    assertThat(c.targets().get(0).labels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "price", "$5", "owner", "nobody", "note", "", "pattern", "^a$", "nested", "gen-x"));
    assertThat(c.probes()).extracting(ProbeConfig::rate).containsExactly(7.5);
  }

  @Test
  void anchorsAliasesAndMergeKeysAreResolved() throws Exception {
    VecwatchConfig c = load("valid-anchors.yml");
    Generated small = new Generated(2_000, 32, 200, 64, 42L, 100, 1.0);

    assertThat(c.datasets())
        .containsExactly(
            new DatasetConfig("gen", Optional.of(Metric.L2), small),
            new DatasetConfig("gen2", Optional.of(Metric.IP), small));
    assertThat(c.targets())
        .containsExactly(
            new TargetConfig(
                "hnsw-a",
                "lucene_hnsw",
                Optional.of("gen"),
                Map.of("team", "search"),
                new LuceneHnswTarget.Settings(8, 100, 40)),
            new TargetConfig(
                "hnsw-b",
                "lucene_hnsw",
                Optional.of("gen"),
                Map.of("team", "search"),
                new LuceneHnswTarget.Settings(8, 100, 100)));
    assertThat(c.probes())
        .extracting(ProbeConfig::recallK)
        .containsExactly(List.of(1, 10), List.of(1, 10));
  }

  @Test
  void scalarsAreReadAsWrittenNotAsYaml11Guesses() throws Exception {
    VecwatchConfig c = load("valid-scalars-as-written.yml");

    assertThat(c.datasets().get(0).name()).isEqualTo("1.10");
    assertThat(((Generated) c.datasets().get(0).source()).seed())
        .isEqualTo(12L); // decimal, not octal 10
    assertThat(((Generated) c.datasets().get(0).source()).count()).isEqualTo(1_000);
    assertThat(c.targets().get(0).name()).isEqualTo("007");
    assertThat(c.targets().get(0).labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("version", "1.10", "enabled", "yes"));
  }

  static Stream<Path> validFixtures() {
    return Fixtures.named("valid-");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFixtures")
  void everyValidFixtureLoads(Path fixture) throws Exception {
    assertThat(Fixtures.loader().load(fixture)).isNotNull();
  }

  @Test
  void recordsAreImmutable() throws Exception {
    VecwatchConfig c = load("valid-full.yml");

    assertThat(c.targets()).isUnmodifiable();
    assertThat(c.probes().get(0).recallK()).isUnmodifiable();
    assertThat(c.targets().get(0).labels()).isUnmodifiable();
  }
}
