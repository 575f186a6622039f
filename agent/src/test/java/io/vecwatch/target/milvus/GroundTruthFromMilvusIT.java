package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.cli.Main;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.TexmexFiles;
import io.vecwatch.dataset.Vectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vecwatch groundtruth --from-milvus} against Milvus Lite: the ground truth it pulls and
 * computes equals brute force done here over the same vectors, keyed by the collection's primary
 * keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroundTruthFromMilvusIT {
  private static final int K = 10;
  private final String uri =
      System.getProperty("vecwatch.milvusLite.uri", "http://127.0.0.1:19540");
  private MilvusAdmin admin;
  private TestData data;
  private String collection;
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  void createCollection() {
    admin = new MilvusAdmin(uri, b -> {});
    data = TestData.generate("gt", Metric.L2, 3_000, 16, 40, 10, 23, K, i -> 500_000 + 7L * i);
    collection = "vw_gt_" + Long.toString(System.nanoTime(), 36);
    admin.createCollection(collection, data, 8, 32);
  }

  @AfterAll
  void drop() {
    admin.drop(collection);
    admin.close();
  }

  @BeforeEach
  void clearOutput() {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
  }

  private int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void groundTruthPulledPageByPageEqualsBruteForceByPrimaryKey() throws Exception {
    Path q = dir.resolve("q.fvecs");
    TexmexFiles.writeFvecs(q, Vectors.of(data.queries));
    Path gt = dir.resolve("gt.ivecs");
    Path gtd = dir.resolve("gt.fvecs");

    // small pages and chunks: 3000 rows arrive in 5 pages and are searched in 3 exact passes, then
    // merged
    int code =
        run(
            "groundtruth",
            "--from-milvus",
            "--uri",
            uri,
            "--collection",
            collection,
            "--queries",
            q.toString(),
            "--k",
            Integer.toString(K),
            "--metric",
            "l2",
            "--out",
            gt.toString(),
            "--distances-out",
            gtd.toString(),
            "--page-size",
            "700",
            "--chunk",
            "1100",
            "--threads",
            "2");

    assertThat(code).as(err.toString()).isZero();
    int[][] ids = TexmexFiles.readIvecs(gt);
    float[][] distances = TexmexFiles.readFvecsRows(gtd);
    assertThat(ids).hasNumberOfRows(data.queries.length);
    for (int i = 0; i < ids.length; i++) {
      long[] want = new long[K];
      for (int j = 0; j < K; j++) {
        want[j] = data.keys[data.groundTruth[i][j]];
        assertThat((double) distances[i][j])
            .isCloseTo(data.groundTruthDistances[i][j], Offset.offset(1e-4));
      }
      assertThat(Arrays.stream(ids[i]).asLongStream().toArray())
          .as("query %d", i)
          .containsExactly(want);
    }
    assertThat(out.toString())
        .contains(
            "40 queries x 10 neighbours (l2, 3000 rows of collection \""
                + collection
                + "\" at "
                + uri);
  }

  @Test
  void aMissingCollectionIsOneLineAndExitCodeTwo() throws Exception {
    Path q = dir.resolve("q2.fvecs");
    TexmexFiles.writeFvecs(q, Vectors.of(data.queries));

    int code =
        run(
            "groundtruth",
            "--from-milvus",
            "--uri",
            uri,
            "--collection",
            "nope",
            "--queries",
            q.toString(),
            "--k",
            "5",
            "--metric",
            "l2",
            "--out",
            dir.resolve("x.ivecs").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("vecwatch: --collection: collection \"nope\" does not exist at " + uri);
  }

  @Test
  void queriesOfAnotherDimensionAreOneLineAndExitCodeTwo() throws Exception {
    Path q = dir.resolve("q3.fvecs");
    TexmexFiles.writeFvecs(q, Vectors.of(new float[][] {{1f, 2f, 3f}}));

    int code =
        run(
            "groundtruth",
            "--from-milvus",
            "--uri",
            uri,
            "--collection",
            collection,
            "--queries",
            q.toString(),
            "--k",
            "5",
            "--metric",
            "l2",
            "--out",
            dir.resolve("y.ivecs").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "vecwatch: --queries: dimension 3 does not match field \"vec\" of "
                + "collection \""
                + collection
                + "\" (dimension 16)");
  }
}
