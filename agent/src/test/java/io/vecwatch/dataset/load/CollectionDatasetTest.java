package io.vecwatch.dataset.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vecwatch.config.DatasetConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.TexmexFiles;
import io.vecwatch.dataset.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Datasets for a remote collection: ground truth by key without base vectors, and base vectors with
 * their keys.
 */
class CollectionDatasetTest {
  @TempDir Path dir;

  private Path queries() throws Exception {
    Path q = dir.resolve("q.fvecs");
    TexmexFiles.writeFvecs(q, Vectors.of(new float[][] {{1, 0}, {0, 1}}));
    return q;
  }

  @Test
  void groundTruthWithoutBaseHoldsTheCollectionsKeys() throws Exception {
    Path gt = dir.resolve("gt.ivecs");
    TexmexFiles.writeIvecs(gt, new int[][] {{500_007, 42}, {9, 1_000_000}});
    DatasetConfig c =
        new DatasetConfig(
            "remote",
            Optional.of(Metric.L2),
            new DatasetConfig.Files(
                Optional.empty(),
                queries(),
                Optional.of(gt),
                Optional.empty(),
                100,
                Optional.empty()));

    Dataset d = DatasetLoader.load(c, 1);

    assertThat(d.base()).isEmpty();
    assertThat(d.groundTruthDepth()).isEqualTo(2);
    assertThat(d.keyOf(d.groundTruth(0)[0])).isEqualTo(500_007L);
    assertThat(d.keyOf(d.groundTruth(1)[1])).isEqualTo(1_000_000L);
  }

  @Test
  void baseIdsGiveEachBaseVectorItsKey() throws Exception {
    Path base = dir.resolve("b.fvecs");
    TexmexFiles.writeFvecs(base, Vectors.of(new float[][] {{1, 0}, {0, 1}, {1, 1}}));
    Path ids = dir.resolve("ids.txt");
    Files.writeString(ids, "# primary keys\n7000000000\n12\n\n-3\n");
    DatasetConfig c =
        new DatasetConfig(
            "keyed",
            Optional.of(Metric.L2),
            new DatasetConfig.Files(
                Optional.of(base),
                queries(),
                Optional.empty(),
                Optional.empty(),
                2,
                Optional.of(ids)));

    Dataset d = DatasetLoader.load(c, 1);

    assertThat(d.keyOf(0)).isEqualTo(7_000_000_000L);
    assertThat(d.keyOf(1)).isEqualTo(12L);
    assertThat(d.keyOf(2)).isEqualTo(-3L);
    // the query (1,0) is nearest to base vector 0: ground truth stays positions, keys map them
    assertThat(d.keyOf(d.groundTruth(0)[0])).isEqualTo(7_000_000_000L);
  }

  @Test
  void aKeyFileOfTheWrongLengthIsOneLineNamingBothFiles() throws Exception {
    Path base = dir.resolve("b.fvecs");
    TexmexFiles.writeFvecs(base, Vectors.of(new float[][] {{1, 0}, {0, 1}, {1, 1}}));
    Path ids = dir.resolve("ids.txt");
    Files.writeString(ids, "1\n2\n");
    DatasetConfig c =
        new DatasetConfig(
            "keyed",
            Optional.of(Metric.L2),
            new DatasetConfig.Files(
                Optional.of(base),
                queries(),
                Optional.empty(),
                Optional.empty(),
                2,
                Optional.of(ids)));

    assertThatThrownBy(() -> DatasetLoader.load(c, 1))
        .hasMessage(ids + ": 2 keys, but " + base + " has 3 base vectors");
  }

  @Test
  void aKeyThatIsNotAnIntegerIsNamedWithItsLine() throws Exception {
    Path base = dir.resolve("b.fvecs");
    TexmexFiles.writeFvecs(base, Vectors.of(new float[][] {{1, 0}}));
    Path ids = dir.resolve("ids.txt");
    Files.writeString(ids, "doc-1\n");
    DatasetConfig c =
        new DatasetConfig(
            "keyed",
            Optional.of(Metric.L2),
            new DatasetConfig.Files(
                Optional.of(base),
                queries(),
                Optional.empty(),
                Optional.empty(),
                1,
                Optional.of(ids)));

    assertThatThrownBy(() -> DatasetLoader.load(c, 1))
        .hasMessage(ids + ": line 1: not an integer key: \"doc-1\"");
  }
}
