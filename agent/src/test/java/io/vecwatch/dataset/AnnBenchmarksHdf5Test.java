package io.vecwatch.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.vecwatch.knn.NaiveKnn;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnBenchmarksHdf5Test {
  @TempDir Path dir;

  @Test
  void readsAFileWrittenByH5pyLikeAnnBenchmarks() throws Exception {
    // written by h5py (see ann-angular-h5py.py beside it): a variable-length string attribute and
    // int64 ids
    Path f = Path.of(getClass().getResource("ann-angular-h5py.hdf5").toURI());
    AnnBenchmarksHdf5.Contents c = AnnBenchmarksHdf5.read(f);
    assertThat(c.metric()).contains(Metric.COSINE);
    assertThat(c.train().count()).isEqualTo(40);
    assertThat(c.test().count()).isEqualTo(4);
    assertThat(c.train().dim()).isEqualTo(6);
    // numpy's neighbours agree with our own naive reference on the vectors jhdf read
    NaiveKnn want = NaiveKnn.of(c.train(), c.test(), Metric.COSINE, 10);
    int[][] neighbors = c.neighbors().orElseThrow();
    float[][] distances = c.distances().orElseThrow();
    for (int q = 0; q < 4; q++) {
      assertThat(neighbors[q]).containsExactly(want.ids[q]);
      for (int j = 0; j < 10; j++) {
        assertThat((double) distances[q][j]).isCloseTo(want.distances[q][j], Offset.offset(1e-6));
      }
    }
  }

  @Test
  void readsEveryPartOfAFileWrittenByJhdf() throws Exception {
    float[][] train = {{1, 2}, {3, 4}, {5, 6}};
    float[][] test = {{0, 1}};
    Path f =
        write(
            "e.hdf5", "euclidean", train, test, new int[][] {{0, 1}}, new float[][] {{1.4f, 4.2f}});
    AnnBenchmarksHdf5.Contents c = AnnBenchmarksHdf5.read(f);
    assertThat(c.metric()).contains(Metric.L2);
    assertThat(c.train().row(2)).containsExactly(5f, 6f);
    assertThat(c.test().row(0)).containsExactly(0f, 1f);
    assertThat(c.neighbors().orElseThrow()).isDeepEqualTo(new int[][] {{0, 1}});
    assertThat(c.distances().orElseThrow()).isDeepEqualTo(new float[][] {{1.4f, 4.2f}});
    assertThat(AnnBenchmarksHdf5.readVectors(f, "test").row(0)).containsExactly(0f, 1f);
  }

  @Test
  void neighborsAndDistanceAttributeAreOptional() throws Exception {
    Path f = write("bare.hdf5", null, new float[][] {{1}}, new float[][] {{2}}, null, null);
    AnnBenchmarksHdf5.Contents c = AnnBenchmarksHdf5.read(f);
    assertThat(c.neighbors()).isEmpty();
    assertThat(c.distances()).isEmpty();
    assertThat(c.metric()).isEmpty();
  }

  @Test
  void unknownDistanceAttributeIsRejected() throws Exception {
    Path f = write("h.hdf5", "hamming", new float[][] {{1}}, new float[][] {{2}}, null, null);
    assertThatThrownBy(() -> AnnBenchmarksHdf5.read(f))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            f
                + ": unknown distance \"hamming\" (supported: euclidean, angular, dot, l2, ip, cosine)");
  }

  @Test
  void missingDatasetIsNamed() throws Exception {
    Path f = dir.resolve("no-test.hdf5");
    try (WritableHdfFile w = HdfFile.write(f)) {
      w.putDataset("train", new float[][] {{1, 2}});
      w.putAttribute("distance", "euclidean");
    }
    assertThatThrownBy(() -> AnnBenchmarksHdf5.read(f))
        .hasMessage(f + ": missing dataset \"test\"");
  }

  @Test
  void trainAndTestOfDifferentDimensionsAreRejected() throws Exception {
    Path f =
        write(
            "dims.hdf5",
            "euclidean",
            new float[][] {{1, 2, 3}},
            new float[][] {{1, 2}},
            null,
            null);
    assertThatThrownBy(() -> AnnBenchmarksHdf5.read(f))
        .hasMessage(f + ": test has dimension 2 but train has 3");
  }

  @Test
  void integerVectorsAreRejected() throws Exception {
    Path f = dir.resolve("ints.hdf5");
    try (WritableHdfFile w = HdfFile.write(f)) {
      w.putDataset("train", new int[][] {{1, 2}});
      w.putDataset("test", new float[][] {{1, 2}});
    }
    assertThatThrownBy(() -> AnnBenchmarksHdf5.read(f))
        .hasMessage(f + ": dataset \"train\" holds int[], expected floats");
  }

  @Test
  void aFileThatIsNotHdf5IsRejected() throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("fake.hdf5"), "this is not HDF5 at all, just text padding it out");
    assertThatThrownBy(() -> AnnBenchmarksHdf5.read(f))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(f + ": not an HDF5 file (");
  }

  @Test
  void missingFileIsNamed() {
    Path f = dir.resolve("none.hdf5");
    assertThatThrownBy(() -> AnnBenchmarksHdf5.read(f)).hasMessage(f + ": no such file");
  }

  @Test
  void aDeclaredShapeLargerThanTheFileIsRejectedBeforeReading() throws Exception {
    Path f = Hdf5Corruption.copyOfH5pyFixture(dir.resolve("big.hdf5"));
    Hdf5Corruption.setShape(f, 40, 6, 1L << 28, 6);
    assertThatThrownBy(() -> AnnBenchmarksHdf5.read(f))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            f
                + ": dataset \"train\" declares shape 268435456 x 6 (6442450944 bytes), but the file has only "
                + Files.size(f)
                + " bytes: corrupt header");
  }

  @Test
  void aDeclaredShapeBeyondOneArrayIsRejected() throws Exception {
    Path f = Hdf5Corruption.copyOfH5pyFixture(dir.resolve("huge.hdf5"));
    Hdf5Corruption.setShape(f, 40, 6, 1L << 40, 6);
    assertThatThrownBy(() -> AnnBenchmarksHdf5.readVectors(f, "train"))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            f
                + ": dataset \"train\" declares shape 1099511627776 x 6, more than the 2147483631 values one"
                + " array can hold");
  }

  @Test
  void everyFourByteFieldSetHugeIsAOneLineErrorNeverAnError() throws Exception {
    // Regression for a fuzzing finding: a corrupt object-header size made the reader allocate
    // gigabytes
    // (OutOfMemoryError). Here every 4-byte-aligned field of the h5py file in turn declares ~2 GiB.
    byte[] original;
    try (InputStream in = getClass().getResourceAsStream("ann-angular-h5py.hdf5")) {
      original = in.readAllBytes();
    }
    Path f = dir.resolve("huge-field.hdf5");
    int rejected = 0;
    for (int off = 0; off + 4 <= original.length; off += 4) {
      byte[] b = original.clone();
      ByteBuffer.wrap(b, off, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7FFF_FFF0);
      Files.write(f, b);
      try {
        AnnBenchmarksHdf5.read(f);
      } catch (DatasetException e) {
        assertThat(e.getMessage()).startsWith(f + ": ").doesNotContain("\n");
        rejected++;
      }
    }
    assertThat(rejected).isPositive();
  }

  private Path write(
      String name,
      String distance,
      float[][] train,
      float[][] test,
      int[][] neighbors,
      float[][] distances) {
    Path f = dir.resolve(name);
    try (WritableHdfFile w = HdfFile.write(f)) {
      w.putDataset("train", train);
      w.putDataset("test", test);
      if (neighbors != null) {
        w.putDataset("neighbors", neighbors);
      }
      if (distances != null) {
        w.putDataset("distances", distances);
      }
      if (distance != null) {
        w.putAttribute("distance", distance);
      }
    }
    return f;
  }
}
