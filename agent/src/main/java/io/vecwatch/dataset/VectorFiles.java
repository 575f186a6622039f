package io.vecwatch.dataset;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads vectors from any supported file, chosen by extension: Texmex .fvecs/.bvecs or
 * ann-benchmarks HDF5.
 */
public final class VectorFiles {
  private VectorFiles() {}

  /**
   * @param hdf5Dataset which dataset to take from an HDF5 file ({@code train} for base vectors,
   *     {@code test} for queries); ignored for Texmex files
   */
  public static Vectors read(Path file, String hdf5Dataset) throws DatasetException {
    return isHdf5(file)
        ? AnnBenchmarksHdf5.readVectors(file, hdf5Dataset)
        : TexmexFiles.readVectors(file);
  }

  public static boolean isHdf5(Path file) {
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".hdf5") || n.endsWith(".h5");
  }
}
