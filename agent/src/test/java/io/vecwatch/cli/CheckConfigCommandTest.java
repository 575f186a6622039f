package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.target.registry.TargetKinds;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code vecwatch check-config} through {@link Main#execute}, with stdout and stderr captured. */
class CheckConfigCommandTest {
  private static final Path DIR = Path.of("src/test/resources/config");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private static List<String> lines(StringWriter w) {
    String s = w.toString();
    return s.isEmpty() ? List.of() : List.of(s.split("\\R"));
  }

  /**
   * What the loader itself reports for {@code file}: the command must print exactly these lines.
   */
  private static List<String> loaderProblems(Path file) {
    return catchThrowableOfType(
            ConfigException.class,
            () -> ConfigLoader.withSystemEnv(TargetKinds.lookup()).load(file))
        .problems();
  }

  @Test
  void validFileIsOneOkLineOnStdoutAndExitZero() {
    Path f = DIR.resolve("valid-full.yml");

    assertThat(run("check-config", f.toString())).isZero();
    assertThat(lines(out)).containsExactly(f + ": ok (3 datasets, 3 targets, 3 probes)");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void validFileWithAMigrationCountsIt() {
    Path f = DIR.resolve("valid-migration.yml");

    assertThat(run("check-config", f.toString())).isZero();
    assertThat(lines(out))
        .containsExactly(f + ": ok (1 dataset, 2 targets, 2 probes, 1 migration)");
  }

  @Test
  void validFileWithoutTargetsSaysNothingWouldBeProbed() {
    Path f = DIR.resolve("valid-empty.yml");

    assertThat(run("check-config", f.toString())).isZero();
    assertThat(lines(out)).containsExactly(f + ": ok (no targets: nothing would be probed)");
  }

  @Test
  void invalidFilePrintsExactlyTheLoaderProblemLinesOnStderrAndExitsTwo() {
    Path f = DIR.resolve("invalid-many-problems.yml");

    assertThat(run("check-config", f.toString())).isEqualTo(2);
    assertThat(lines(err)).hasSize(12).containsExactlyElementsOf(loaderProblems(f));
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void missingFileIsOneLineAndExitTwo() {
    assertThat(run("check-config", "no-such-dir/vecwatch.yml")).isEqualTo(2);
    assertThat(lines(err)).containsExactly("no-such-dir/vecwatch.yml: file does not exist");
  }

  @Test
  void everyFileIsCheckedAndOneInvalidFileMakesTheExitCodeTwo() {
    Path good = DIR.resolve("valid-minimal.yml");
    Path bad = DIR.resolve("invalid-target-kind-unknown.yml");

    assertThat(run("check-config", bad.toString(), "missing.yml", good.toString())).isEqualTo(2);
    assertThat(lines(out)).containsExactly(good + ": ok (1 dataset, 1 target, 1 probe)");
    assertThat(lines(err))
        .containsExactly(
            bad + ": targets[0].kind: unknown kind \"faiss\" (known: flat, lucene_hnsw, milvus)",
            "missing.yml: file does not exist");
  }

  @Test
  void allValidFilesExitZero() {
    assertThat(
            run(
                "check-config",
                DIR.resolve("valid-minimal.yml").toString(),
                DIR.resolve("valid-anchors.yml").toString()))
        .isZero();
    assertThat(lines(out)).hasSize(2).allMatch(l -> l.contains(": ok ("));
  }

  @Test
  void noFileIsAUsageErrorWithExitTwo() {
    assertThat(run("check-config")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter").contains("FILE");
  }

  @Test
  void neverPrintsAStackTrace() {
    run("check-config", DIR.resolve("invalid-yaml-syntax.yml").toString(), DIR.toString(), "");

    assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(lines(err)).hasSize(3);
  }

  @Test
  void helpListsTheExitCodes() {
    assertThat(run("check-config", "--help")).isZero();
    assertThat(out.toString()).contains("check-config").contains("FILE...").contains("Exit codes:");
  }
}
