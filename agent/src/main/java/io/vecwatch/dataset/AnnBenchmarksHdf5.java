package io.vecwatch.dataset;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * ann-benchmarks HDF5 files: datasets {@code train} (base vectors), {@code test} (queries), {@code
 * neighbors} (ground-truth ids) and {@code distances}, and a {@code distance} attribute on the root
 * ({@code euclidean}, {@code angular}, {@code dot}, ...). Read with jhdf (pure Java). Float64
 * vectors are narrowed to float32; int64 ids to int32.
 *
 * <pre>{@code
 * AnnBenchmarksHdf5.Contents c = AnnBenchmarksHdf5.read(Path.of("glove-100-angular.hdf5"));
 * }</pre>
 */
public final class AnnBenchmarksHdf5 {
  /** What the file holds; {@code neighbors}, {@code distances} and {@code metric} may be absent. */
  public record Contents(
      Vectors train,
      Vectors test,
      Optional<int[][]> neighbors,
      Optional<float[][]> distances,
      Optional<Metric> metric) {}

  public static final String TRAIN = "train";
  public static final String TEST = "test";
  public static final String NEIGHBORS = "neighbors";
  public static final String DISTANCES = "distances";
  public static final String DISTANCE_ATTRIBUTE = "distance";

  /**
   * Largest Java array we ask for (a little below Integer.MAX_VALUE, as the JDK collections do).
   */
  private static final long MAX_VALUES = Integer.MAX_VALUE - 16;

  /**
   * Deflate expands at most about 1032:1; data compressed further by another codec is refused, not
   * allocated.
   */
  private static final long MAX_EXPANSION = 1032;

  private AnnBenchmarksHdf5() {}

  /** Reads every part ann-benchmarks defines; {@code train} and {@code test} must be there. */
  public static Contents read(Path file) throws DatasetException {
    try (HdfFile h = open(file)) {
      Vectors train = vectors(file, h, TRAIN);
      Vectors test = vectors(file, h, TEST);
      if (train.dim() != test.dim()) {
        throw DatasetException.in(
            file, TEST + " has dimension " + test.dim() + " but " + TRAIN + " has " + train.dim());
      }
      Optional<int[][]> neighbors =
          h.getChildren().containsKey(NEIGHBORS)
              ? Optional.of(ints(file, dataset(file, h, NEIGHBORS)))
              : Optional.empty();
      Optional<float[][]> distances =
          h.getChildren().containsKey(DISTANCES)
              ? Optional.of(floatRows(file, dataset(file, h, DISTANCES)))
              : Optional.empty();
      return new Contents(train, test, neighbors, distances, metric(file, h));
    } catch (RuntimeException e) {
      throw unreadable(file, e);
    } catch (OutOfMemoryError e) {
      throw tooLarge(file);
    }
  }

  /**
   * Reads one 2-D float dataset, e.g. {@code train} for base vectors or {@code test} for queries.
   */
  public static Vectors readVectors(Path file, String name) throws DatasetException {
    try (HdfFile h = open(file)) {
      return vectors(file, h, name);
    } catch (RuntimeException e) {
      throw unreadable(file, e);
    } catch (OutOfMemoryError e) {
      throw tooLarge(file);
    }
  }

  private static HdfFile open(Path file) throws DatasetException {
    if (!Files.exists(file)) {
      throw DatasetException.in(file, "no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw DatasetException.in(file, Files.isDirectory(file) ? "is a directory" : "cannot read");
    }
    try {
      return new HdfFile(file);
    } catch (RuntimeException e) {
      throw DatasetException.in(file, "not an HDF5 file (" + e.getMessage() + ")");
    }
  }

  /**
   * jhdf sizes its read buffers from the file's headers before it can check them: a corrupt
   * object-header size asks for gigabytes (found by fuzzing). That one allocation fails whole, so
   * nothing else is left half-built.
   */
  private static DatasetException tooLarge(Path file) {
    return DatasetException.in(
        file, "corrupt HDF5 file: a header declares more data than the heap can hold");
  }

  private static DatasetException unreadable(Path file, RuntimeException e) {
    return new DatasetException(file + ": cannot read HDF5 content (" + e.getMessage() + ")", e);
  }

  private static Dataset dataset(Path file, HdfFile h, String name) throws DatasetException {
    Node node = h.getChildren().get(name);
    if (node == null) {
      throw DatasetException.in(file, "missing dataset \"" + name + "\"");
    }
    if (!(node instanceof Dataset ds)) {
      throw DatasetException.in(
          file, "\"" + name + "\" is a " + node.getType() + ", not a dataset");
    }
    long[] dims = ds.getDimensionsAsLong();
    if (dims.length != 2) {
      throw DatasetException.in(
          file, "dataset \"" + name + "\" has " + dims.length + " dimensions, expected 2");
    }
    if (dims[0] == 0 || dims[1] == 0) {
      throw DatasetException.in(file, "dataset \"" + name + "\" is empty");
    }
    checkShapeFitsTheFile(file, name, ds, dims);
    return ds;
  }

  /**
   * A corrupt or hostile header can declare any shape; the reader would allocate it before finding
   * out. The shape is checked against what the file can hold first: without compression the data
   * must fit in the file; with filters, no more than {@link #MAX_EXPANSION} times the file
   * (deflate's ceiling); always within one Java array and the heap.
   */
  private static void checkShapeFitsTheFile(Path file, String name, Dataset ds, long[] dims)
      throws DatasetException {
    String shape = "dataset \"" + name + "\" declares shape " + dims[0] + " x " + dims[1];
    if (dims[0] < 0 || dims[1] < 0 || dims[0] > MAX_VALUES / dims[1]) {
      throw DatasetException.in(
          file, shape + ", more than the " + MAX_VALUES + " values one array can hold");
    }
    long values = dims[0] * dims[1];
    long declared = values * Math.max(1, ds.getDataType().getSize());
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw DatasetException.in(file, "cannot read: " + e.getMessage());
    }
    boolean filtered = !ds.getFilters().isEmpty();
    long limit = filtered ? size * MAX_EXPANSION : size;
    if (declared > limit) {
      throw DatasetException.in(
          file,
          shape
              + " ("
              + declared
              + " bytes), but the file has only "
              + size
              + " bytes"
              + (filtered ? " (at most " + MAX_EXPANSION + "x that compressed)" : "")
              + ": corrupt header");
    }
    // the reader holds the file's values and our float copy at once
    long need = values * (Math.max(4, ds.getDataType().getSize()) + 4L);
    long heap = Runtime.getRuntime().maxMemory();
    if (need > heap) {
      throw DatasetException.in(
          file,
          shape
              + ": reading it needs about "
              + (need >> 20)
              + " MiB, more than the "
              + (heap >> 20)
              + " MiB heap (raise -Xmx)");
    }
  }

  private static Vectors vectors(Path file, HdfFile h, String name) throws DatasetException {
    Dataset ds = dataset(file, h, name);
    int[] dims = ds.getDimensions();
    Object flat = ds.getDataFlat();
    float[] data;
    if (flat instanceof float[] f) {
      data = f;
    } else if (flat instanceof double[] d) {
      data = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        data[i] = (float) d[i];
      }
    } else {
      throw DatasetException.in(
          file, "dataset \"" + name + "\" holds " + typeName(flat) + ", expected floats");
    }
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw DatasetException.in(
            file,
            "dataset \""
                + name
                + "\" row "
                + i / dims[1]
                + " has a non-finite value ("
                + data[i]
                + ") at index "
                + i % dims[1]);
      }
    }
    return Vectors.wrap(data, dims[0], dims[1]);
  }

  private static int[][] ints(Path file, Dataset ds) throws DatasetException {
    int[] dims = ds.getDimensions();
    Object flat = ds.getDataFlat();
    int[][] rows = new int[dims[0]][dims[1]];
    if (flat instanceof int[] a) {
      for (int r = 0; r < dims[0]; r++) {
        System.arraycopy(a, r * dims[1], rows[r], 0, dims[1]);
      }
    } else if (flat instanceof long[] a) {
      for (int i = 0; i < a.length; i++) {
        long v = a[i];
        // out-of-int ids cannot be base positions; keep them visibly out of range for the range
        // check
        rows[i / dims[1]][i % dims[1]] =
            v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? -1 : (int) v;
      }
    } else {
      throw DatasetException.in(
          file, "dataset \"" + ds.getName() + "\" holds " + typeName(flat) + ", expected integers");
    }
    return rows;
  }

  private static float[][] floatRows(Path file, Dataset ds) throws DatasetException {
    int[] dims = ds.getDimensions();
    Object flat = ds.getDataFlat();
    float[][] rows = new float[dims[0]][dims[1]];
    if (flat instanceof float[] a) {
      for (int r = 0; r < dims[0]; r++) {
        System.arraycopy(a, r * dims[1], rows[r], 0, dims[1]);
      }
    } else if (flat instanceof double[] a) {
      for (int i = 0; i < a.length; i++) {
        rows[i / dims[1]][i % dims[1]] = (float) a[i];
      }
    } else {
      throw DatasetException.in(
          file, "dataset \"" + ds.getName() + "\" holds " + typeName(flat) + ", expected floats");
    }
    return rows;
  }

  private static Optional<Metric> metric(Path file, HdfFile h) throws DatasetException {
    Attribute attr = h.getAttribute(DISTANCE_ATTRIBUTE);
    if (attr == null) {
      return Optional.empty();
    }
    Object v = attr.getData();
    String text;
    if (v instanceof String s) {
      text = s;
    } else if (v instanceof String[] a && a.length == 1) {
      text = a[0];
    } else {
      throw DatasetException.in(
          file, "attribute \"distance\" is " + typeName(v) + ", expected a string");
    }
    return Optional.of(
        Metric.parse(text)
            .orElseThrow(
                () ->
                    DatasetException.in(
                        file,
                        "unknown distance \""
                            + text
                            + "\" (supported: euclidean, angular, dot, l2, ip, cosine)")));
  }

  private static String typeName(Object o) {
    return o == null ? "nothing" : o.getClass().getSimpleName();
  }
}
