package io.vecwatch.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TexmexFilesTest {
  @TempDir Path dir;

  @Test
  void fvecsRoundTripsThroughWriterAndReader() throws Exception {
    float[][] rows = {{1.5f, -2f, 3f}, {0f, 1e-7f, -4e5f}, {7f, 8f, 9f}};
    Path f = dir.resolve("v.fvecs");
    TexmexFiles.writeFvecs(f, rows);
    Vectors v = TexmexFiles.readVectors(f);
    assertThat(v.count()).isEqualTo(3);
    assertThat(v.dim()).isEqualTo(3);
    for (int i = 0; i < rows.length; i++) {
      assertThat(v.row(i)).containsExactly(rows[i]);
    }
    assertThat(TexmexFiles.readFvecsRows(f)).isDeepEqualTo(rows);
  }

  @Test
  void fvecsLayoutIsLittleEndianDimensionThenValues() throws Exception {
    Path f = dir.resolve("v.fvecs");
    TexmexFiles.writeFvecs(f, new float[][] {{1f, 2f}});
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.remaining()).isEqualTo(12);
    assertThat(b.getInt()).isEqualTo(2);
    assertThat(b.getFloat()).isEqualTo(1f);
    assertThat(b.getFloat()).isEqualTo(2f);
  }

  @Test
  void ivecsRoundTrips() throws Exception {
    int[][] rows = {{3, 1, 2}, {0, Integer.MAX_VALUE, -1}};
    Path f = dir.resolve("gt.ivecs");
    TexmexFiles.writeIvecs(f, rows);
    assertThat(TexmexFiles.readIvecs(f)).isDeepEqualTo(rows);
  }

  @Test
  void bvecsBytesAreReadAsUnsignedValues() throws Exception {
    Path f = dir.resolve("v.bvecs");
    ByteBuffer b = ByteBuffer.allocate(2 * (4 + 3)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(3).put((byte) 0).put((byte) 127).put((byte) 255);
    b.putInt(3).put((byte) 200).put((byte) 1).put((byte) 128);
    Files.write(f, b.array());
    Vectors v = TexmexFiles.readVectors(f);
    assertThat(v.row(0)).containsExactly(0f, 127f, 255f);
    assertThat(v.row(1)).containsExactly(200f, 1f, 128f);
  }

  @Test
  void readsFilesLargerThanTheReadBuffer() throws Exception {
    // 3,000 vectors of 200 floats = 2.4 MB, over two buffer refills with records split across them
    int n = 3000;
    int dim = 200;
    float[][] rows = new float[n][dim];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dim; d++) {
        rows[i][d] = i * 1000 + d;
      }
    }
    Path f = dir.resolve("big.fvecs");
    TexmexFiles.writeFvecs(f, rows);
    Vectors v = TexmexFiles.readVectors(f);
    assertThat(v.count()).isEqualTo(n);
    assertThat(v.row(n - 1)).containsExactly(rows[n - 1]);
    assertThat(v.row(1311)).containsExactly(rows[1311]);
  }

  @Test
  void writingReplacesAnExistingFileWhole() throws Exception {
    Path f = dir.resolve("gt.ivecs");
    TexmexFiles.writeIvecs(f, new int[][] {{1, 2, 3, 4, 5, 6}});
    TexmexFiles.writeIvecs(f, new int[][] {{9}});
    assertThat(TexmexFiles.readIvecs(f)).isDeepEqualTo(new int[][] {{9}});
    assertThat(Files.list(dir)).containsExactly(f);
  }

  @Test
  void writtenFilesGetTheUsualPermissionsNotATempFilesOwnerOnlyOnes() throws Exception {
    Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path f = dir.resolve("gt.ivecs");
    TexmexFiles.writeIvecs(f, new int[][] {{1}});
    Path plain = Files.createFile(dir.resolve("plain"));
    assertThat(Files.getPosixFilePermissions(f)).isEqualTo(Files.getPosixFilePermissions(plain));
  }

  @Test
  void truncatedLastVectorIsReportedWithItsIndexAndSizes() throws Exception {
    Path f = dir.resolve("base.fvecs");
    float[][] rows = new float[18][128];
    TexmexFiles.writeFvecs(f, rows);
    byte[] all = Files.readAllBytes(f);
    // keep 17 whole vectors (17 x 516 bytes) and 200 bytes of the 18th
    Files.write(f, Arrays.copyOf(all, 17 * 516 + 200));
    assertThatThrownBy(() -> TexmexFiles.readVectors(f))
        .isInstanceOf(DatasetException.class)
        .hasMessage(f + ": truncated: vector 17 needs 516 bytes, 200 left");
  }

  @Test
  void fileShorterThanOneVectorIsTruncated() throws Exception {
    Path f = dir.resolve("q.fvecs");
    Files.write(f, le(4, 0, 0));
    assertThatThrownBy(() -> TexmexFiles.readVectors(f))
        .hasMessage(
            f
                + ": vector 0 declares dimension 4 (20 bytes), but the file has only 12 bytes: truncated, or a"
                + " corrupt header");
    Files.write(f, new byte[] {4, 0});
    assertThatThrownBy(() -> TexmexFiles.readVectors(f))
        .hasMessage(f + ": truncated: vector 0 needs at least 4 bytes (its dimension), 2 left");
  }

  @Test
  void inconsistentDimensionNamesTheVector() throws Exception {
    Path f = dir.resolve("base.fvecs");
    // vectors 0 and 1 have dimension 2; vector 2 claims 3 (same byte length as two 2-d records
    // would need)
    Files.write(f, le(2, 0, 0, 2, 0, 0, 3, 0, 0));
    assertThatThrownBy(() -> TexmexFiles.readVectors(f))
        .hasMessage(f + ": vector 2 has dimension 3, but vector 0 has 2");
  }

  @Test
  void nonPositiveDimensionIsRejected() throws Exception {
    Path f = dir.resolve("base.fvecs");
    Files.write(f, le(-3, 0, 0));
    assertThatThrownBy(() -> TexmexFiles.readVectors(f))
        .hasMessage(f + ": vector 0 has dimension -3, must be positive");
  }

  @Test
  void emptyFileIsRejected() throws Exception {
    Path f = Files.createFile(dir.resolve("base.fvecs"));
    assertThatThrownBy(() -> TexmexFiles.readVectors(f)).hasMessage(f + ": empty file, no vectors");
  }

  @Test
  void nonFiniteValueIsRejected() throws Exception {
    Path f = dir.resolve("base.fvecs");
    TexmexFiles.writeFvecs(f, new float[][] {{1, 2}, {3, Float.NaN}});
    assertThatThrownBy(() -> TexmexFiles.readVectors(f))
        .hasMessage(f + ": vector 1 has a non-finite value (NaN) at index 1");
  }

  @Test
  void wrongExtensionsAreRejected() throws Exception {
    Path txt = Files.writeString(dir.resolve("base.txt"), "1 2 3");
    assertThatThrownBy(() -> TexmexFiles.readVectors(txt))
        .hasMessage(txt + ": unknown file type, expected .fvecs or .bvecs");
    Path ivecs = dir.resolve("gt.ivecs");
    TexmexFiles.writeIvecs(ivecs, new int[][] {{1}});
    assertThatThrownBy(() -> TexmexFiles.readVectors(ivecs))
        .hasMessage(ivecs + ": holds integers (.ivecs); vectors must be .fvecs or .bvecs");
    Path fvecs = dir.resolve("gt.fvecs");
    TexmexFiles.writeFvecs(fvecs, new float[][] {{1}});
    assertThatThrownBy(() -> TexmexFiles.readIvecs(fvecs))
        .hasMessage(fvecs + ": unknown file type, expected .ivecs");
  }

  @Test
  void missingFileIsNamed() {
    Path f = dir.resolve("nope.fvecs");
    assertThatThrownBy(() -> TexmexFiles.readVectors(f)).hasMessage(f + ": no such file");
  }

  @Test
  void aHugeDimensionInTheHeaderIsRejectedBeforeAnythingIsAllocated() throws Exception {
    // 68 bytes whose first int says 2^30: sizing a buffer from it asked for 4 GiB of direct memory
    for (String ext : new String[] {".fvecs", ".ivecs", ".bvecs"}) {
      Path f = dir.resolve("corrupt" + ext);
      Files.write(
          f, ByteBuffer.allocate(68).order(ByteOrder.LITTLE_ENDIAN).putInt(1 << 30).array());
      long recordBytes = 4 + (1L << 30) * (ext.equals(".bvecs") ? 1 : 4);
      String expected =
          f
              + ": vector 0 declares dimension 1073741824 ("
              + recordBytes
              + " bytes), but the file has only 68 bytes: truncated, or a corrupt header";
      if (ext.equals(".ivecs")) {
        assertThatThrownBy(() -> TexmexFiles.readIvecs(f))
            .isInstanceOf(DatasetException.class)
            .hasMessage(expected);
      } else {
        assertThatThrownBy(() -> TexmexFiles.readVectors(f))
            .isInstanceOf(DatasetException.class)
            .hasMessage(expected);
      }
    }
  }

  @Test
  void aDimensionOfMaxIntIsBoundedByTheFileSize() throws Exception {
    // Integer.MAX_VALUE as the dimension of a .bvecs file: one record would be 2 GiB + 3 bytes
    Path f = dir.resolve("max.bvecs");
    Files.write(
        f,
        ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MAX_VALUE).array());
    assertThatThrownBy(() -> TexmexFiles.readVectors(f))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("declares dimension 2147483647")
        .hasMessageContaining("only 4096 bytes");
  }

  /** Little-endian int32 words (a float 0 is also int 0). */
  static byte[] le(int... words) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int w : words) {
      b.putInt(w);
    }
    return b.array();
  }
}
