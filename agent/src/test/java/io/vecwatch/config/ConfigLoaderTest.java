package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vecwatch.target.registry.TargetKinds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of(), TargetKinds.lookup());

  private List<String> problemsOf(Path file) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(file));
    assertThat(e).as("expected %s to be rejected", file).isNotNull();
    return e.problems();
  }

  @Test
  void missingFileIsOneLineNamingTheFileAsGiven() {
    assertThat(problemsOf(Path.of("no/such/vecwatch.yml")))
        .containsExactly("no/such/vecwatch.yml: file does not exist");
  }

  @Test
  void emptyFileNameIsRejected() {
    assertThat(problemsOf(Path.of(""))).containsExactly("\"\": empty file name");
  }

  @Test
  void directoryIsNotAConfigFile(@TempDir Path dir) {
    assertThat(problemsOf(dir)).containsExactly(dir + ": is a directory, not a file");
  }

  @Test
  void textThatIsNotUtf8IsRejected(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("latin1.yml");
    Files.write(
        f, "web: {listen_address: \":9477\"} # caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));

    assertThat(problemsOf(f)).containsExactly(f + ": not valid UTF-8 text");
  }

  @Test
  void emptyOrCommentOnlyOrNullDocumentIsTheDefaultConfig(@TempDir Path dir) throws Exception {
    VecwatchConfig defaults =
        new VecwatchConfig(
            WebConfig.parseAddress(WebConfig.DEFAULT_LISTEN_ADDRESS),
            List.of(),
            List.of(),
            List.of());
    for (String text : List.of("", "\n\n", "# nothing yet\n", "~\n", "---\n")) {
      Path f = dir.resolve("c.yml");
      Files.writeString(f, text);
      assertThat(loader.load(f)).as("%s", text).isEqualTo(defaults);
    }
  }

  @Test
  void byteOrderMarkIsIgnored(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bom.yml");
    Files.writeString(f, "\uFEFFweb:\n  listen_address: 127.0.0.1:1234\n");

    assertThat(loader.load(f).web()).isEqualTo(new WebConfig("127.0.0.1", 1234));
  }

  @Test
  void relativePathsResolveAgainstTheConfigFolderNotTheWorkingDirectory(@TempDir Path dir)
      throws Exception {
    Path sub = Files.createDirectories(dir.resolve("conf/data"));
    Files.write(sub.resolve("v.h5"), new byte[] {1});
    Path f = dir.resolve("conf/vecwatch.yml");
    Files.writeString(f, "datasets:\n  - name: d\n    hdf5: {path: data/v.h5}\n");

    DatasetConfig d = loader.load(f).datasets().get(0);

    assertThat(((DatasetConfig.Hdf5) d.source()).path())
        .isEqualTo(sub.resolve("v.h5").toAbsolutePath());
  }

  @Test
  void aProbeOfATargetWhoseDatasetIsUnknownIsReportedOnceNotACrash() {
    // Found by fuzzing: the probe took the target's dataset and looked it up unchecked (a
    // NullPointerException).
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                loader.parse(
                    "<inline>",
                    "targets: [{name: exact, kind: flat, dataset: gen}]\nprobes: [{target: exact}]\n",
                    Path.of(".")));

    assertThat(e.problems())
        .containsExactly(
            "<inline>: targets[0].dataset: no dataset named \"gen\" (none are defined)");
  }

  @Test
  void parseNamesTheSourceAsGivenInEveryLine() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> loader.parse("<inline>", "web: {listen_address: x}\nfoo: 1\n", Path.of(".")));

    assertThat(e.problems())
        .containsExactly(
            "<inline>: web.listen_address: must be HOST:PORT, :PORT or [IPv6]:PORT with a port in 0-65535, got \"x\"",
            "<inline>: foo: unknown key");
  }

  @Test
  void environmentComesFromTheLoaderNotTheProcess() throws Exception {
    ConfigLoader withEnv = new ConfigLoader(Map.of("ADDR", "127.0.0.1:4321"), TargetKinds.lookup());

    VecwatchConfig c = withEnv.parse("t", "web: {listen_address: \"${ADDR}\"}", Path.of("."));

    assertThat(c.web()).isEqualTo(new WebConfig("127.0.0.1", 4321));
  }

  @Test
  void defaultProbeRecallKIsCutToTheGroundTruthDepth() throws Exception {
    VecwatchConfig c =
        loader.parse(
            "t",
            """
        datasets:
          - {name: shallow, metric: l2, generate: {count: 500, ground_truth_k: 5}}
          - {name: medium, metric: l2, generate: {count: 500, ground_truth_k: 50}}
        targets:
          - {name: a, kind: flat, dataset: shallow}
          - {name: b, kind: flat, dataset: medium}
        """,
            Path.of("."));

    assertThat(c.probes())
        .extracting(ProbeConfig::recallK)
        .containsExactly(List.of(5), List.of(10));
  }

  @Test
  void targetsWithoutAProbeGetOneAfterTheListedProbes() throws Exception {
    VecwatchConfig c =
        loader.parse(
            "t",
            """
        datasets: [{name: d, metric: l2, generate: {count: 500}}]
        targets:
          - {name: a, kind: flat, dataset: d}
          - {name: b, kind: flat, dataset: d}
        probes:
          - {target: b, rate: 9}
        """,
            Path.of("."));

    assertThat(c.probes())
        .extracting(ProbeConfig::target, ProbeConfig::rate)
        .containsExactly(Tuple.tuple("b", 9.0), Tuple.tuple("a", ProbeConfig.DEFAULT_RATE));
  }
}
