package io.vecwatch.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Makes corrupt HDF5 files for tests: rewrites a dataset's declared shape in its dataspace message.
 */
public final class Hdf5Corruption {
  private Hdf5Corruption() {}

  /**
   * Replaces every occurrence of the shape {@code rows x cols} (two little-endian 8-byte sizes, as
   * a dataspace message stores them) by {@code newRows x newCols}; the data stays as it was, so the
   * header lies about it.
   */
  public static void setShape(Path file, long rows, long cols, long newRows, long newCols)
      throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    byte[] from = pair(rows, cols);
    byte[] to = pair(newRows, newCols);
    int found = 0;
    for (int i = 0; i + from.length <= bytes.length; i++) {
      if (ByteBuffer.wrap(bytes, i, from.length).equals(ByteBuffer.wrap(from))) {
        System.arraycopy(to, 0, bytes, i, to.length);
        found++;
      }
    }
    if (found == 0) {
      throw new IllegalStateException("shape " + rows + " x " + cols + " not found in " + file);
    }
    Files.write(file, bytes);
  }

  /**
   * A copy of the h5py-written fixture (train 40 x 6, test 4 x 6). h5py writes version-1 object
   * headers, which carry no checksum, so a rewritten shape is read as declared (jhdf's own
   * version-2 headers would fail their checksum instead).
   */
  public static Path copyOfH5pyFixture(Path to) throws IOException {
    try (InputStream in = Hdf5Corruption.class.getResourceAsStream("ann-angular-h5py.hdf5")) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
    return to;
  }

  private static byte[] pair(long a, long b) {
    return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(a).putLong(b).array();
  }
}
