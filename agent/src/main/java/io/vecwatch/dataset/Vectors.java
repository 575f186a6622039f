package io.vecwatch.dataset;

import java.util.Arrays;

/**
 * A dense row-major matrix of float vectors, immutable once built. Rows are read through {@link
 * #row(int)} (a copy) or, on hot paths, through {@link #data()} and {@link #offset(int)} without
 * copying.
 */
public final class Vectors {
  private final float[] data;
  private final int count;
  private final int dim;

  private Vectors(float[] data, int count, int dim) {
    this.data = data;
    this.count = count;
    this.dim = dim;
  }

  /**
   * Wraps {@code data} (not copied: the caller hands it over and must not change it afterwards).
   */
  public static Vectors wrap(float[] data, int count, int dim) {
    if (dim <= 0) {
      throw new IllegalArgumentException("dimension must be positive, got " + dim);
    }
    if ((long) count * dim != data.length) {
      throw new IllegalArgumentException(
          "data length " + data.length + " is not count " + count + " x dim " + dim);
    }
    return new Vectors(data, count, dim);
  }

  public static Vectors of(float[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("no vectors");
    }
    int dim = rows[0].length;
    float[] data = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != dim) {
        throw new IllegalArgumentException(
            "vector " + i + " has dimension " + rows[i].length + ", expected " + dim);
      }
      System.arraycopy(rows[i], 0, data, i * dim, dim);
    }
    return new Vectors(data, rows.length, dim);
  }

  public int count() {
    return count;
  }

  public int dim() {
    return dim;
  }

  /** A copy of row {@code i}. */
  public float[] row(int i) {
    return Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
  }

  /** The backing array; read only. */
  public float[] data() {
    return data;
  }

  public int offset(int i) {
    return i * dim;
  }
}
