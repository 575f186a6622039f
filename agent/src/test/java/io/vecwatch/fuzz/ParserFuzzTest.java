package io.vecwatch.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.config.ConfigException;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.dataset.AnnBenchmarksHdf5;
import io.vecwatch.dataset.DatasetException;
import io.vecwatch.dataset.TexmexFiles;
import io.vecwatch.promtext.PromTextException;
import io.vecwatch.promtext.TextFormatParser;
import io.vecwatch.target.registry.TargetKinds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of the parsers users feed files to: whatever the input, each parser either
 * succeeds or throws its own one-line user error, never another exception, an {@link Error} (out of
 * memory, stack overflow) or a multi-line message. Inputs are random but shaped like the real thing
 * (headers with random dimensions, pages with random metric lines, YAML built from config keys,
 * HDF5 files with random bytes overwritten), so the interesting paths are reached. Tries per
 * property: {@code jqwik.tries.default} (200 in CI, see junit-platform.properties; {@code
 * -Djqwik.tries.default=20000} for a long run).
 */
class ParserFuzzTest {
  private static Path dir;
  private static byte[] hdf5Fixture;

  @BeforeContainer
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("vecwatch-fuzz");
    try (InputStream in = AnnBenchmarksHdf5.class.getResourceAsStream("ann-angular-h5py.hdf5")) {
      hdf5Fixture = in.readAllBytes();
    }
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  @Property
  void texmexReadersAcceptOrRejectInOneLine(
      @ForAll("texmexFiles") byte[] bytes, @ForAll("texmexExtension") String ext)
      throws IOException {
    Path f = Files.write(dir.resolve("fuzz" + ext), bytes);
    try {
      if (ext.equals(".ivecs")) {
        int[][] rows = TexmexFiles.readIvecs(f);
        assertThat((long) rows.length * (rows.length == 0 ? 0 : rows[0].length) * 4)
            .isLessThanOrEqualTo(bytes.length);
      } else {
        assertThat(TexmexFiles.readVectors(f).count()).isPositive();
      }
    } catch (DatasetException e) {
      assertOneLine(e.getMessage(), f.toString());
    }
  }

  @Property
  void prometheusTextParserAcceptsOrRejectsInOneLine(@ForAll("metricPages") String page) {
    try {
      TextFormatParser.parse(page);
    } catch (PromTextException e) {
      assertOneLine(e.getMessage(), "");
    }
  }

  @Property
  void configLoaderAcceptsOrReportsProblemsWithoutCrashing(@ForAll("configs") String yaml) {
    try {
      new ConfigLoader(Map.of(), TargetKinds.lookup()).parse("fuzz.yml", yaml, dir);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\tat ");
    }
  }

  @Property
  void hdf5ReaderRejectsCorruptFilesInOneLine(@ForAll("hdf5Corruptions") List<int[]> edits)
      throws IOException {
    byte[] bytes = hdf5Fixture.clone();
    for (int[] e : edits) {
      bytes[e[0] % bytes.length] = (byte) e[1];
    }
    Path f = Files.write(dir.resolve("fuzz.hdf5"), bytes);
    try {
      AnnBenchmarksHdf5.read(f);
    } catch (DatasetException e) {
      assertOneLine(e.getMessage(), f.toString());
    }
  }

  private static void assertOneLine(String message, String startsWith) {
    assertThat(message).startsWith(startsWith).doesNotContain("\n");
  }

  @Provide
  Arbitrary<String> texmexExtension() {
    return Arbitraries.of(".fvecs", ".ivecs", ".bvecs");
  }

  /**
   * A few records: each a little-endian dimension (often plausible, sometimes wild) and random
   * payload.
   */
  @Provide
  Arbitrary<byte[]> texmexFiles() {
    Arbitrary<Integer> dims =
        Arbitraries.oneOf(
            Arbitraries.integers().between(-2, 16),
            Arbitraries.integers(),
            Arbitraries.of(1 << 30, Integer.MAX_VALUE, Integer.MIN_VALUE));
    Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(96);
    Arbitrary<byte[]> record =
        Combinators.combine(dims, payload)
            .as(
                (d, p) ->
                    ByteBuffer.allocate(4 + p.length)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(d)
                        .put(p)
                        .array());
    return record
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(
            rs -> {
              int n = rs.stream().mapToInt(r -> r.length).sum();
              ByteBuffer b = ByteBuffer.allocate(n);
              rs.forEach(b::put);
              return b.array();
            });
  }

  /**
   * Pages of lines that look like the exposition format: comments, names, labels, values, some
   * broken.
   */
  @Provide
  Arbitrary<String> metricPages() {
    Arbitrary<String> name =
        Arbitraries.of("milvus_proxy_req_count", "a", "_x:y", "9bad", "", "x{");
    Arbitrary<String> label =
        Combinators.combine(
                Arbitraries.of("function_name", "le", "quantile", "", "1x"),
                Arbitraries.strings().withChars("abc\"\\\n{},= ").ofMaxLength(6))
            .as((k, v) -> k + "=\"" + v + "\"");
    Arbitrary<String> labels =
        label.list().ofMaxSize(3).map(l -> l.isEmpty() ? "" : "{" + String.join(",", l) + "}");
    Arbitrary<String> value =
        Arbitraries.of("1", "-0.5", "+Inf", "NaN", "1e309", "", "x", "0x10", "1 2", "1 123");
    Arbitrary<String> sample =
        Combinators.combine(name, labels, value).as((n, l, v) -> n + l + " " + v);
    Arbitrary<String> comment =
        Arbitraries.of("# HELP a help", "# TYPE a counter", "# TYPE a nonsense", "#", "# TYPE");
    Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(20);
    return Arbitraries.frequencyOf(Tuple.of(6, sample), Tuple.of(2, comment), Tuple.of(1, noise))
        .list()
        .ofMaxSize(12)
        .map(lines -> String.join("\n", lines));
  }

  /** YAML built from real config keys with random scalars and nesting, plus raw noise. */
  @Provide
  Arbitrary<String> configs() {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.of(
                "l2",
                "flat",
                "milvus",
                "1s",
                "-1",
                "1e400",
                "http://x:1",
                "${UNSET}",
                "[]",
                "{}",
                "*a",
                "&a 1",
                "~",
                "'unterminated",
                "999999999999"),
            Arbitraries.strings().ofMaxLength(8));
    Arbitrary<String> key =
        Arbitraries.of(
            "datasets",
            "targets",
            "probes",
            "telemetry",
            "name",
            "kind",
            "metric",
            "generate",
            "count",
            "dim",
            "uri",
            "rate",
            "window",
            "shutdown_timeout",
            "files",
            "base",
            "unknown_key");
    Arbitrary<String> line =
        Combinators.combine(
                Arbitraries.integers().between(0, 3), Arbitraries.of("", "- "), key, scalar)
            .as((indent, dash, k, v) -> "  ".repeat(indent) + dash + k + ": " + v);
    return Arbitraries.oneOf(
        line.list().ofMaxSize(10).map(l -> String.join("\n", l)),
        Arbitraries.strings().ofMaxLength(60));
  }

  /** Up to eight bytes of the h5py fixture overwritten at random offsets. */
  @Provide
  Arbitrary<List<int[]>> hdf5Corruptions() {
    return Combinators.combine(
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.integers().between(0, 255))
        .as((o, v) -> new int[] {o, v})
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }
}
