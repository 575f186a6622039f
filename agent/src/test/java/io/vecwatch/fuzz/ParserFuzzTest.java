package io.vecwatch.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.dataset.AnnBenchmarksHdf5;
import io.vecwatch.dataset.DatasetException;
import io.vecwatch.dataset.TexmexFiles;
import io.vecwatch.promtext.PromTextException;
import io.vecwatch.promtext.TextFormatParser;
import io.vecwatch.rules.fuzz.Bounded;
import io.vecwatch.target.registry.TargetKinds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzing (Jazzer) of the parsers users feed files to: whatever the bytes, each parser either
 * succeeds or throws its own one-line user error, never another exception, an {@link Error} (out of
 * memory, stack overflow) or a multi-line message, and never hangs. Each fuzz test takes the file's
 * bytes as they are; its seed corpus (valid and broken real-world files, and every input fuzzing
 * found) is under {@code src/test/resources/io/vecwatch/fuzz/ParserFuzzTestInputs/<method>/} and
 * runs in every build; {@code bench/fuzz.sh} fuzzes (docs/testing.md, "Fuzzing").
 */
class ParserFuzzTest {
  private static Path dir;

  @BeforeAll
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("vecwatch-fuzz");
  }

  @AfterAll
  static void tearDown() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  @FuzzTest
  void fvecsReaderAcceptsOrRejectsInOneLine(byte[] bytes) throws Throwable {
    texmex(bytes, ".fvecs");
  }

  @FuzzTest
  void ivecsReaderAcceptsOrRejectsInOneLine(byte[] bytes) throws Throwable {
    texmex(bytes, ".ivecs");
  }

  @FuzzTest
  void bvecsReaderAcceptsOrRejectsInOneLine(byte[] bytes) throws Throwable {
    texmex(bytes, ".bvecs");
  }

  private static void texmex(byte[] bytes, String ext) throws Throwable {
    Path f = Files.write(dir.resolve("fuzz" + ext), bytes);
    Bounded.call(
        () -> {
          try {
            if (ext.equals(".ivecs")) {
              int[][] rows = TexmexFiles.readIvecs(f);
              assertThat((long) rows.length * (rows.length == 0 ? 0 : rows[0].length) * 4)
                  .as("bytes the rows hold")
                  .isLessThanOrEqualTo(bytes.length);
            } else {
              assertThat(TexmexFiles.readVectors(f).count()).isPositive();
            }
          } catch (DatasetException e) {
            assertOneLine(e.getMessage(), f.toString());
          }
          return null;
        },
        bytes.length + " bytes");
  }

  @FuzzTest
  @DictionaryEntries({
    "# HELP ",
    "# TYPE ",
    " counter",
    " gauge",
    " histogram",
    " summary",
    " untyped",
    "le=\"",
    "quantile=\"",
    "+Inf",
    "-Inf",
    "NaN",
    "_bucket",
    "_sum",
    "_count",
    "{",
    "}",
    "=\"",
    "\",",
    "\\\"",
    "\\n",
    "\\\\"
  })
  void prometheusTextParserAcceptsOrRejectsInOneLine(byte[] bytes) throws Throwable {
    String page = new String(bytes, StandardCharsets.UTF_8);
    Bounded.call(
        () -> {
          try {
            TextFormatParser.parse(page);
          } catch (PromTextException e) {
            assertOneLine(e.getMessage(), "");
          }
          return null;
        },
        page);
  }

  @FuzzTest
  @DictionaryEntries({
    "datasets:",
    "targets:",
    "probes:",
    "telemetry:",
    "alerting:",
    "name: ",
    "kind: ",
    "metric: ",
    "generate:",
    "count: ",
    "dim: ",
    "uri: ",
    "rate: ",
    "window: ",
    "shutdown_timeout: ",
    "files:",
    "base: ",
    "- ",
    "  ",
    "l2",
    "cosine",
    "flat",
    "hnsw",
    "milvus",
    "1s",
    "-1",
    "1e400",
    "http://127.0.0.1:1",
    "${UNSET}",
    "${A:-b}",
    "[]",
    "{}",
    "*a",
    "&a ",
    "~",
    "'",
    "\"",
    "999999999999"
  })
  void configLoaderAcceptsOrReportsProblemsWithoutCrashing(byte[] bytes) throws Throwable {
    String yaml = new String(bytes, StandardCharsets.UTF_8);
    Bounded.call(
        () -> {
          try {
            new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("fuzz.yml", yaml, dir);
          } catch (ConfigException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\tat ");
          }
          return null;
        },
        yaml);
  }

  @FuzzTest
  void hdf5ReaderRejectsCorruptFilesInOneLine(byte[] bytes) throws Throwable {
    Path f = Files.write(dir.resolve("fuzz.hdf5"), bytes);
    Bounded.call(
        () -> {
          try {
            AnnBenchmarksHdf5.read(f);
          } catch (DatasetException e) {
            assertOneLine(e.getMessage(), f.toString());
          }
          return null;
        },
        bytes.length + " bytes");
  }

  private static void assertOneLine(String message, String startsWith) {
    assertThat(message).startsWith(startsWith).doesNotContain("\n");
  }
}
