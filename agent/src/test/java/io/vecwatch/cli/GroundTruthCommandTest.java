package io.vecwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.vecwatch.dataset.GaussianMixture;
import io.vecwatch.dataset.Hdf5Corruption;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.TexmexFiles;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.knn.NaiveKnn;
import io.vecwatch.time.ManualClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthCommandTest {
  @TempDir Path dir;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @Test
  void writesIdsAndDistancesEqualToTheNaiveReference() throws Exception {
    GaussianMixture mix = GaussianMixture.of(21, 4, 1.0, 5L);
    Vectors base = mix.base(700);
    Vectors queries = mix.queries(31);
    Path b = fvecs("base.fvecs", base);
    Path q = fvecs("queries.fvecs", queries);
    for (Metric metric : Metric.values()) {
      Path gt = dir.resolve("gt-" + metric.id() + ".ivecs");
      Path gtd = dir.resolve("gt-" + metric.id() + ".fvecs");
      int code =
          run(
              "groundtruth",
              "--base",
              b.toString(),
              "--queries",
              q.toString(),
              "--k",
              "15",
              "--metric",
              metric.id(),
              "--out",
              gt.toString(),
              "--distances-out",
              gtd.toString(),
              "--threads",
              "2");
      assertThat(code).as(err()).isZero();
      int[][] ids = TexmexFiles.readIvecs(gt);
      float[][] distances = TexmexFiles.readFvecsRows(gtd);
      NaiveKnn want = NaiveKnn.of(base, queries, metric, 15);
      assertThat(ids).hasNumberOfRows(31);
      for (int i = 0; i < 31; i++) {
        assertThat(ids[i]).as(metric + " query " + i).containsExactly(want.ids[i]);
        for (int j = 0; j < 15; j++) {
          assertThat(distances[i][j]).isEqualTo((float) want.distances[i][j]);
        }
      }
    }
    assertThat(out.toString()).contains("31 queries x 15 neighbours");
    // not a terminal: no progress on stderr
    assertThat(err()).isEmpty();
  }

  @Test
  void readsHdf5BaseAndQueriesFromTrainAndTest() throws Exception {
    Path h = dir.resolve("d.hdf5");
    float[][] train = {{0, 0}, {5, 5}, {1, 1}, {9, 0}};
    try (WritableHdfFile w = HdfFile.write(h)) {
      w.putDataset("train", train);
      w.putDataset("test", new float[][] {{1.2f, 1.1f}, {8, 0}});
    }
    Path gt = dir.resolve("gt.ivecs");
    int code =
        run(
            "groundtruth",
            "--base",
            h.toString(),
            "--queries",
            h.toString(),
            "--k",
            "2",
            "--metric",
            "l2",
            "--out",
            gt.toString());
    assertThat(code).as(err()).isZero();
    NaiveKnn want =
        NaiveKnn.of(
            Vectors.of(train), Vectors.of(new float[][] {{1.2f, 1.1f}, {8, 0}}), Metric.L2, 2);
    assertThat(TexmexFiles.readIvecs(gt)).isDeepEqualTo(want.ids);
  }

  @Test
  void truncatedInputIsOneLineAndExitCodeTwo() throws Exception {
    Path b = fvecs("base.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).base(10));
    byte[] bytes = Files.readAllBytes(b);
    Files.write(b, Arrays.copyOf(bytes, bytes.length - 3));
    Path q = fvecs("q.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).queries(2));
    int code =
        run(
            "groundtruth",
            "--base",
            b.toString(),
            "--queries",
            q.toString(),
            "--k",
            "3",
            "--metric",
            "l2",
            "--out",
            dir.resolve("gt.ivecs").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "vecwatch: "
                + b
                + ": truncated: vector 9 needs 20 bytes, 17 left"
                + System.lineSeparator());
    assertThat(Files.exists(dir.resolve("gt.ivecs"))).isFalse();
  }

  @Test
  void dimensionMismatchIsOneLineAndExitCodeTwo() throws Exception {
    Path b = fvecs("base.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).base(10));
    Path q = fvecs("q.fvecs", GaussianMixture.of(5, 2, 1.0, 1L).queries(2));
    int code =
        run(
            "groundtruth",
            "--base",
            b.toString(),
            "--queries",
            q.toString(),
            "--k",
            "3",
            "--metric",
            "l2",
            "--out",
            dir.resolve("gt.ivecs").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "vecwatch: "
                + q
                + ": dimension 5 does not match the base vectors ("
                + b
                + " has dimension 4)"
                + System.lineSeparator());
  }

  @Test
  void kAboveTheBaseCountIsOneLineAndExitCodeTwo() throws Exception {
    Path b = fvecs("base.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).base(10));
    int code =
        run(
            "groundtruth",
            "--base",
            b.toString(),
            "--queries",
            b.toString(),
            "--k",
            "11",
            "--metric",
            "ip",
            "--out",
            dir.resolve("gt.ivecs").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "vecwatch: --k: 11 exceeds the number of base vectors (10 in "
                + b
                + ")"
                + System.lineSeparator());
  }

  @Test
  void badFlagsAreOneLineAndExitCodeTwo() throws Exception {
    Path b = fvecs("base.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).base(10));
    assertThat(
            run(
                "groundtruth",
                "--base",
                b.toString(),
                "--queries",
                b.toString(),
                "--k",
                "3",
                "--metric",
                "hamming",
                "--out",
                dir.resolve("gt.ivecs").toString()))
        .isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "vecwatch: --metric: must be one of l2, ip, cosine, got \"hamming\""
                + System.lineSeparator());
    err = new StringWriter();
    assertThat(
            run(
                "groundtruth",
                "--base",
                b.toString(),
                "--queries",
                b.toString(),
                "--k",
                "3",
                "--metric",
                "l2",
                "--out",
                dir.resolve("gt.txt").toString()))
        .isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "vecwatch: --out: must be a .ivecs file, got "
                + dir.resolve("gt.txt")
                + System.lineSeparator());
    err = new StringWriter();
    assertThat(
            run(
                "groundtruth",
                "--queries",
                b.toString(),
                "--k",
                "3",
                "--metric",
                "l2",
                "--out",
                "x.ivecs"))
        .isEqualTo(2);
    assertThat(err()).startsWith("vecwatch: Error: Missing required argument");
  }

  @Test
  void fromMilvusWithAUriWithoutPortIsOneLineFromTheMilvusKindAndExitCodeTwo() throws Exception {
    Path q = fvecs("q.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).queries(2));
    assertThat(
            run(
                "groundtruth",
                "--from-milvus",
                "--uri",
                "http://127.0.0.1",
                "--collection",
                "docs",
                "--queries",
                q.toString(),
                "--k",
                "3",
                "--metric",
                "l2",
                "--out",
                dir.resolve("gt.ivecs").toString()))
        .isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "vecwatch: --uri: must name a port (Milvus listens on 19530 by default), got "
                + "\"http://127.0.0.1\""
                + System.lineSeparator());
  }

  @Test
  void fromMilvusWithAUserButNoPasswordFileIsOneLineAndExitCodeTwo() throws Exception {
    Path q = fvecs("q.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).queries(2));
    assertThat(
            run(
                "groundtruth",
                "--from-milvus",
                "--uri",
                "http://127.0.0.1:19530",
                "--collection",
                "docs",
                "--user",
                "vecwatch",
                "--queries",
                q.toString(),
                "--k",
                "3",
                "--metric",
                "l2",
                "--out",
                dir.resolve("gt.ivecs").toString()))
        .isEqualTo(2);
    assertThat(err())
        .isEqualTo("vecwatch: --user and --password-file go together" + System.lineSeparator());
  }

  @Test
  void progressLineShowsPercentAndRateAtMostFiveTimesASecond() {
    ManualClock clock = new ManualClock();
    StringWriter text = new StringWriter();
    GroundTruthCommand.ProgressLine line =
        new GroundTruthCommand.ProgressLine(new PrintWriter(text), clock, 1000);
    clock.advance(Duration.ofMillis(100));
    line.advanced(10, 100); // too soon after the start: not shown
    assertThat(text.toString()).isEmpty();
    clock.advance(Duration.ofMillis(400));
    line.advanced(25, 100); // 250 queries in 0.5 s
    assertThat(text.toString()).isEqualTo("\rground truth:  25% (500 queries/s)");
    clock.advance(Duration.ofMillis(500));
    line.advanced(100, 100); // the end is always shown, with a newline
    assertThat(text.toString())
        .endsWith("\rground truth: 100% (1000 queries/s)" + System.lineSeparator());
  }

  @Test
  void aCorruptHeaderIsOneLineAndExitCodeTwoNotAnOutOfMemoryError() throws Exception {
    Path b = dir.resolve("base.fvecs");
    Files.write(b, ByteBuffer.allocate(68).order(ByteOrder.LITTLE_ENDIAN).putInt(1 << 30).array());
    int code =
        run(
            "groundtruth",
            "--base",
            b.toString(),
            "--queries",
            b.toString(),
            "--k",
            "3",
            "--metric",
            "l2",
            "--out",
            dir.resolve("gt.ivecs").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "vecwatch: "
                + b
                + ": vector 0 declares dimension 1073741824 (4294967300 bytes), but"
                + " the file has only 68 bytes: truncated, or a corrupt header"
                + System.lineSeparator());
  }

  @Test
  void anHdf5ShapeLargerThanTheFileIsOneLineAndExitCodeTwo() throws Exception {
    Path h = Hdf5Corruption.copyOfH5pyFixture(dir.resolve("d.hdf5"));
    Hdf5Corruption.setShape(h, 40, 6, 1L << 28, 6);
    int code =
        run(
            "groundtruth",
            "--base",
            h.toString(),
            "--queries",
            h.toString(),
            "--k",
            "3",
            "--metric",
            "l2",
            "--out",
            dir.resolve("gt.ivecs").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .startsWith(
            "vecwatch: "
                + h
                + ": dataset \"train\" declares shape 268435456 x 6 (6442450944"
                + " bytes), but the file has only ")
        .endsWith(" bytes: corrupt header" + System.lineSeparator());
    assertThat(err().lines()).hasSize(1);
  }

  private int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private String err() {
    return err.toString();
  }

  private Path fvecs(String name, Vectors v) throws Exception {
    Path f = dir.resolve(name);
    TexmexFiles.writeFvecs(f, v);
    return f;
  }
}
