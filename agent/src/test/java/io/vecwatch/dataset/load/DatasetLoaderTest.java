package io.vecwatch.dataset.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.vecwatch.config.DatasetConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.DatasetException;
import io.vecwatch.dataset.GaussianMixture;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.TexmexFiles;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.knn.NaiveKnn;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {
  @TempDir Path dir;

  @Test
  void generatedDatasetCarriesExactGroundTruth() throws Exception {
    DatasetConfig cfg = generated(Metric.COSINE, 600, 12, 25, 10);
    Dataset d = DatasetLoader.load(cfg, 2);
    GaussianMixture mix = GaussianMixture.of(12, 6, 1.0, 77L);
    Vectors base = mix.base(600);
    Vectors queries = mix.queries(25);
    assertThat(d.base().orElseThrow().data()).containsExactly(base.data());
    assertThat(d.queries().data()).containsExactly(queries.data());
    assertThat(d.groundTruthDepth()).isEqualTo(10);
    NaiveKnn want = NaiveKnn.of(base, queries, Metric.COSINE, 10);
    for (int q = 0; q < 25; q++) {
      assertThat(d.groundTruth(q)).containsExactly(want.ids[q]);
      float[] dist = d.groundTruthDistances(q).orElseThrow();
      for (int j = 0; j < 10; j++) {
        assertThat(dist[j]).isEqualTo((float) want.distances[q][j]);
      }
    }
  }

  @Test
  void generatedDatasetIsTheSameOnEveryLoad() throws Exception {
    Dataset a = DatasetLoader.load(generated(Metric.L2, 400, 8, 10, 5), 1);
    Dataset b = DatasetLoader.load(generated(Metric.L2, 400, 8, 10, 5), 3);
    assertThat(a.base().orElseThrow().data()).containsExactly(b.base().orElseThrow().data());
    for (int q = 0; q < 10; q++) {
      assertThat(a.groundTruth(q)).containsExactly(b.groundTruth(q));
    }
  }

  @Test
  void filesWithoutGroundTruthGetItComputedAtMostAsDeepAsTheBase() throws Exception {
    Vectors base = GaussianMixture.of(5, 3, 1.0, 1L).base(30);
    Vectors queries = GaussianMixture.of(5, 3, 1.0, 1L).queries(4);
    Path b = fvecs("base.fvecs", base);
    Path q = fvecs("q.fvecs", queries);
    Dataset d = DatasetLoader.load(files(Metric.IP, b, q, null, null, 100), 2);
    assertThat(d.groundTruthDepth()).isEqualTo(30);
    NaiveKnn want = NaiveKnn.of(base, queries, Metric.IP, 30);
    for (int i = 0; i < 4; i++) {
      assertThat(d.groundTruth(i)).containsExactly(want.ids[i]);
    }
  }

  @Test
  void filesWithGroundTruthUseIt() throws Exception {
    Path b = fvecs("base.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).base(10));
    Path q = fvecs("q.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).queries(2));
    Path gt = dir.resolve("gt.ivecs");
    TexmexFiles.writeIvecs(gt, new int[][] {{9, 8, 7}, {0, 1, 2}});
    Path gtd = dir.resolve("gt.fvecs");
    TexmexFiles.writeFvecs(gtd, new float[][] {{1, 2, 3}, {4, 5, 6}});
    Dataset d = DatasetLoader.load(files(Metric.L2, b, q, gt, gtd, 100), 1);
    assertThat(d.groundTruth(0)).containsExactly(9, 8, 7);
    assertThat(d.groundTruthDistances(1).orElseThrow()).containsExactly(4f, 5f, 6f);
  }

  @Test
  void baseAndQueriesOfDifferentDimensionsAreRejected() throws Exception {
    Path b = fvecs("base.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).base(10));
    Path q = fvecs("q.fvecs", GaussianMixture.of(3, 2, 1.0, 1L).queries(2));
    assertThatThrownBy(() -> DatasetLoader.load(files(Metric.L2, b, q, null, null, 5), 1))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            q + ": dimension 3 does not match the base vectors (" + b + " has dimension 4)");
  }

  @Test
  void groundTruthWithAnotherRowCountThanQueriesIsRejected() throws Exception {
    Path b = fvecs("base.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).base(10));
    Path q = fvecs("q.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).queries(3));
    Path gt = dir.resolve("gt.ivecs");
    TexmexFiles.writeIvecs(gt, new int[][] {{1}, {2}});
    assertThatThrownBy(() -> DatasetLoader.load(files(Metric.L2, b, q, gt, null, 5), 1))
        .hasMessage(gt + ": 2 rows, but " + q + " has 3 queries");
  }

  @Test
  void groundTruthIdsOutsideTheBaseAreRejected() throws Exception {
    Path b = fvecs("base.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).base(10));
    Path q = fvecs("q.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).queries(2));
    Path gt = dir.resolve("gt.ivecs");
    TexmexFiles.writeIvecs(gt, new int[][] {{1, 2}, {3, 10}});
    assertThatThrownBy(() -> DatasetLoader.load(files(Metric.L2, b, q, gt, null, 5), 1))
        .hasMessage(
            gt + ": row 1 holds id 10, outside the base (" + b + " has 10 vectors, ids 0..9)");
  }

  @Test
  void groundTruthDistancesOfAnotherShapeAreRejected() throws Exception {
    Path b = fvecs("base.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).base(10));
    Path q = fvecs("q.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).queries(2));
    Path gt = dir.resolve("gt.ivecs");
    TexmexFiles.writeIvecs(gt, new int[][] {{1, 2}, {3, 4}});
    Path gtd = dir.resolve("gtd.fvecs");
    TexmexFiles.writeFvecs(gtd, new float[][] {{1}, {2}});
    assertThatThrownBy(() -> DatasetLoader.load(files(Metric.L2, b, q, gt, gtd, 5), 1))
        .hasMessage(gtd + ": 2 rows of 1 distances, but " + gt + " has 2 rows of 2 ids");
  }

  @Test
  void groundTruthDistancesWithoutIdsAreRejected() throws Exception {
    Path b = fvecs("base.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).base(10));
    Path q = fvecs("q.fvecs", GaussianMixture.of(4, 2, 1.0, 1L).queries(2));
    Path gtd = dir.resolve("gtd.fvecs");
    TexmexFiles.writeFvecs(gtd, new float[][] {{1}, {2}});
    assertThatThrownBy(() -> DatasetLoader.load(files(Metric.L2, b, q, null, gtd, 5), 1))
        .hasMessage(
            gtd + ": ground-truth distances given without ground-truth ids (set groundtruth too)");
  }

  @Test
  void hdf5NeighboursAreUsedAndCheckedAgainstTheQueries() throws Exception {
    Path f = hdf5("a.hdf5", "euclidean", new int[][] {{2, 0}, {1, 2}});
    Dataset d = DatasetLoader.load(hdf5Config(f, null), 1);
    assertThat(d.metric()).isEqualTo(Metric.L2);
    assertThat(d.groundTruth(1)).containsExactly(1, 2);

    Path bad = hdf5("bad.hdf5", "euclidean", new int[][] {{2, 0}});
    assertThatThrownBy(() -> DatasetLoader.load(hdf5Config(bad, null), 1))
        .hasMessage(bad + ": neighbors: 1 rows, but test has 2 queries");
    Path outOfRange = hdf5("range.hdf5", "euclidean", new int[][] {{2, 0}, {3, 1}});
    assertThatThrownBy(() -> DatasetLoader.load(hdf5Config(outOfRange, null), 1))
        .hasMessage(
            outOfRange
                + ": neighbors: row 1 holds id 3, outside the base (train has 3 vectors, ids 0..2)");
  }

  @Test
  void hdf5WithoutNeighboursGetsThemComputed() throws Exception {
    Path f = hdf5("a.hdf5", "angular", null);
    Dataset d = DatasetLoader.load(hdf5Config(f, null), 2);
    assertThat(d.metric()).isEqualTo(Metric.COSINE);
    assertThat(d.groundTruthDepth())
        .isEqualTo(3); // ann-benchmarks depth 100, capped by the 3 base vectors
    NaiveKnn want = NaiveKnn.of(d.base().orElseThrow(), d.queries(), Metric.COSINE, 3);
    assertThat(d.groundTruth(0)).containsExactly(want.ids[0]);
    assertThat(d.groundTruth(1)).containsExactly(want.ids[1]);
  }

  @Test
  void hdf5MetricComesFromTheConfigWhenTheFileHasNone() throws Exception {
    Path f = hdf5("a.hdf5", null, null);
    assertThat(DatasetLoader.load(hdf5Config(f, Metric.IP), 1).metric()).isEqualTo(Metric.IP);
    assertThatThrownBy(() -> DatasetLoader.load(hdf5Config(f, null), 1))
        .hasMessage(f + ": no \"distance\" attribute; set metric in the dataset config");
  }

  @Test
  void hdf5MetricThatContradictsTheConfigIsRejected() throws Exception {
    Path f = hdf5("a.hdf5", "angular", null);
    assertThatThrownBy(() -> DatasetLoader.load(hdf5Config(f, Metric.L2), 1))
        .hasMessage(f + ": its distance attribute means cosine but the config sets metric l2");
  }

  private static DatasetConfig generated(Metric metric, int count, int dim, int queries, int k) {
    return new DatasetConfig(
        "g", Optional.of(metric), new DatasetConfig.Generated(count, dim, queries, 6, 77L, k, 1.0));
  }

  private static DatasetConfig files(
      Metric metric, Path base, Path queries, Path gt, Path gtd, int k) {
    return new DatasetConfig(
        "f",
        Optional.of(metric),
        new DatasetConfig.Files(
            base, queries, Optional.ofNullable(gt), Optional.ofNullable(gtd), k));
  }

  private static DatasetConfig hdf5Config(Path file, Metric metric) {
    return new DatasetConfig("h", Optional.ofNullable(metric), new DatasetConfig.Hdf5(file));
  }

  private Path fvecs(String name, Vectors v) throws Exception {
    Path f = dir.resolve(name);
    TexmexFiles.writeFvecs(f, v);
    return f;
  }

  private Path hdf5(String name, String distance, int[][] neighbors) {
    Path f = dir.resolve(name);
    try (WritableHdfFile w = HdfFile.write(f)) {
      w.putDataset("train", new float[][] {{1, 0}, {0, 1}, {1, 1}});
      w.putDataset("test", new float[][] {{1, 0.1f}, {0.2f, 1}});
      if (neighbors != null) {
        w.putDataset("neighbors", neighbors);
      }
      if (distance != null) {
        w.putAttribute("distance", distance);
      }
    }
    return f;
  }
}
