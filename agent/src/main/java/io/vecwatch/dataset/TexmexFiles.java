package io.vecwatch.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Texmex vector files (the SIFT/GIST corpus format): each vector is a little-endian int32 dimension
 * followed by that many float32 ({@code .fvecs}), int32 ({@code .ivecs}) or uint8 ({@code .bvecs})
 * values. Reads stream through a {@link FileChannel} in large buffers; every problem is a {@link
 * DatasetException} naming the file and the first vector that is wrong.
 *
 * <pre>{@code
 * Vectors base = TexmexFiles.readVectors(Path.of("sift_base.fvecs"));
 * int[][] gt = TexmexFiles.readIvecs(Path.of("sift_groundtruth.ivecs"));
 * TexmexFiles.writeIvecs(Path.of("gt.ivecs"), gt);
 * }</pre>
 */
public final class TexmexFiles {
  /** The three Texmex formats, by file extension. */
  public enum Format {
    FVECS(".fvecs", 4),
    IVECS(".ivecs", 4),
    BVECS(".bvecs", 1);

    private final String extension;
    private final int valueBytes;

    Format(String extension, int valueBytes) {
      this.extension = extension;
      this.valueBytes = valueBytes;
    }

    public String extension() {
      return extension;
    }

    /** The format a file name's extension names (case-insensitive), if any. */
    public static Optional<Format> of(Path file) {
      Path name = file.getFileName();
      String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
      for (Format f : values()) {
        if (n.endsWith(f.extension)) {
          return Optional.of(f);
        }
      }
      return Optional.empty();
    }
  }

  private static final int BUFFER_BYTES = 1 << 20;
  private static final AtomicLong TEMP_SEQUENCE = new AtomicLong();

  /**
   * Largest Java array we ask for (a little below Integer.MAX_VALUE, as the JDK collections do).
   */
  private static final long MAX_VALUES = Integer.MAX_VALUE - 16;

  private TexmexFiles() {}

  /** Reads a {@code .fvecs} or {@code .bvecs} file (bytes become floats 0–255). */
  public static Vectors readVectors(Path file) throws DatasetException {
    Format format =
        Format.of(file)
            .orElseThrow(
                () -> DatasetException.in(file, "unknown file type, expected .fvecs or .bvecs"));
    if (format == Format.IVECS) {
      throw DatasetException.in(file, "holds integers (.ivecs); vectors must be .fvecs or .bvecs");
    }
    Raw raw = read(file, format);
    return Vectors.wrap(raw.floats, raw.count, raw.dim);
  }

  /** Reads an {@code .ivecs} file (ground-truth ids), one array per vector. */
  public static int[][] readIvecs(Path file) throws DatasetException {
    if (Format.of(file).orElse(null) != Format.IVECS) {
      throw DatasetException.in(file, "unknown file type, expected .ivecs");
    }
    Raw raw = read(file, Format.IVECS);
    int[][] rows = new int[raw.count][];
    for (int i = 0; i < raw.count; i++) {
      rows[i] = Arrays.copyOfRange(raw.ints, i * raw.dim, (i + 1) * raw.dim);
    }
    return rows;
  }

  /** Reads an {@code .fvecs} file as rows (e.g. ground-truth distances). */
  public static float[][] readFvecsRows(Path file) throws DatasetException {
    if (Format.of(file).orElse(null) != Format.FVECS) {
      throw DatasetException.in(file, "unknown file type, expected .fvecs");
    }
    Raw raw = read(file, Format.FVECS);
    float[][] rows = new float[raw.count][];
    for (int i = 0; i < raw.count; i++) {
      rows[i] = Arrays.copyOfRange(raw.floats, i * raw.dim, (i + 1) * raw.dim);
    }
    return rows;
  }

  /**
   * Writes rows as {@code .ivecs}; the file appears complete or not at all (written aside, then
   * moved).
   */
  public static void writeIvecs(Path file, int[][] rows) throws IOException {
    write(
        file,
        rows.length,
        i -> rows[i].length,
        (buf, i) -> {
          for (int v : rows[i]) {
            buf.putInt(v);
          }
        },
        4);
  }

  /** Writes rows as {@code .fvecs}; the file appears complete or not at all. */
  public static void writeFvecs(Path file, float[][] rows) throws IOException {
    write(
        file,
        rows.length,
        i -> rows[i].length,
        (buf, i) -> {
          for (float v : rows[i]) {
            buf.putFloat(v);
          }
        },
        4);
  }

  /** Writes vectors as {@code .fvecs}. */
  public static void writeFvecs(Path file, Vectors vectors) throws IOException {
    float[] data = vectors.data();
    int dim = vectors.dim();
    write(
        file,
        vectors.count(),
        i -> dim,
        (buf, i) -> {
          int o = vectors.offset(i);
          for (int d = 0; d < dim; d++) {
            buf.putFloat(data[o + d]);
          }
        },
        4);
  }

  private interface RowLength {
    int of(int row);
  }

  private interface RowWriter {
    void put(ByteBuffer buf, int row);
  }

  private static void write(Path file, int rows, RowLength length, RowWriter writer, int valueBytes)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    // not Files.createTempFile: its owner-only permissions would stay on the result; this gets the
    // umask's
    Path tmp =
        dir.resolve(
            "."
                + file.getFileName()
                + "."
                + ProcessHandle.current().pid()
                + "-"
                + TEMP_SEQUENCE.incrementAndGet()
                + ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows; i++) {
          int len = length.of(i);
          long need = 4 + (long) len * valueBytes;
          if (buf.remaining() < need) {
            drain(ch, buf);
            if (buf.capacity() < need) {
              buf = ByteBuffer.allocate((int) need).order(ByteOrder.LITTLE_ENDIAN);
            }
          }
          buf.putInt(len);
          writer.put(buf, i);
        }
        drain(ch, buf);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
    buf.clear();
  }

  /** Flat contents of a file: {@code count} vectors of {@code dim} values, as floats or ints. */
  private record Raw(int count, int dim, float[] floats, int[] ints) {}

  private static Raw read(Path file, Format format) throws DatasetException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(file, format, ch);
    } catch (NoSuchFileException e) {
      throw DatasetException.in(file, "no such file");
    } catch (AccessDeniedException e) {
      throw DatasetException.in(file, "permission denied");
    } catch (IOException e) {
      throw DatasetException.in(
          file, Files.isDirectory(file) ? "is a directory" : "cannot read: " + e.getMessage());
    }
  }

  private static Raw read(Path file, Format format, FileChannel ch)
      throws IOException, DatasetException {
    long size = ch.size();
    if (size == 0) {
      throw DatasetException.in(file, "empty file, no vectors");
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.flip();
    if (!fill(ch, buf, 4)) {
      throw DatasetException.in(
          file, "truncated: vector 0 needs at least 4 bytes (its dimension), " + size + " left");
    }
    int dim = buf.getInt(buf.position());
    if (dim <= 0) {
      throw DatasetException.in(file, "vector 0 has dimension " + dim + ", must be positive");
    }
    long recordBytes = 4 + (long) dim * format.valueBytes;
    // the header is checked against the file before anything is allocated: a corrupt dimension must
    // not size
    // a buffer (2^30 floats in a 68-byte file asked for 4 GiB of direct memory)
    if (recordBytes > size) {
      throw DatasetException.in(
          file,
          "vector 0 declares dimension "
              + dim
              + " ("
              + recordBytes
              + " bytes), but the file has only "
              + size
              + " bytes: truncated, or a corrupt header");
    }
    long count = size / recordBytes;
    long rest = size % recordBytes;
    if (count * dim > MAX_VALUES || recordBytes > MAX_VALUES) {
      throw DatasetException.in(
          file,
          "too large: "
              + count
              + " vectors of dimension "
              + dim
              + " exceed the "
              + MAX_VALUES
              + " values one array can hold");
    }
    if (recordBytes > BUFFER_BYTES) {
      // recordBytes <= size and <= MAX_VALUES here: bounded by what the file holds
      ByteBuffer big = ByteBuffer.allocate((int) recordBytes).order(ByteOrder.LITTLE_ENDIAN);
      big.put(buf);
      big.flip();
      buf = big;
    }
    int n = (int) count;
    float[] floats = format == Format.IVECS ? null : new float[n * dim];
    int[] ints = format == Format.IVECS ? new int[n * dim] : null;
    byte[] bytes = format == Format.BVECS ? new byte[dim] : null;
    for (int i = 0; i < n; i++) {
      if (!fill(ch, buf, (int) recordBytes)) {
        // the file shrank while we read it
        throw DatasetException.in(
            file,
            "truncated: vector "
                + i
                + " needs "
                + recordBytes
                + " bytes, "
                + buf.remaining()
                + " left");
      }
      int d = buf.getInt();
      if (d != dim) {
        throw DatasetException.in(
            file, "vector " + i + " has dimension " + d + ", but vector 0 has " + dim);
      }
      int off = i * dim;
      switch (format) {
        case FVECS -> {
          buf.asFloatBuffer().get(floats, off, dim);
          buf.position(buf.position() + dim * 4);
          for (int j = 0; j < dim; j++) {
            float v = floats[off + j];
            if (!Float.isFinite(v)) {
              throw DatasetException.in(
                  file, "vector " + i + " has a non-finite value (" + v + ") at index " + j);
            }
          }
        }
        case IVECS -> {
          buf.asIntBuffer().get(ints, off, dim);
          buf.position(buf.position() + dim * 4);
        }
        case BVECS -> {
          buf.get(bytes);
          for (int j = 0; j < dim; j++) {
            floats[off + j] = bytes[j] & 0xFF;
          }
        }
      }
    }
    if (rest != 0) {
      throw DatasetException.in(
          file, "truncated: vector " + n + " needs " + recordBytes + " bytes, " + rest + " left");
    }
    return new Raw(n, dim, floats, ints);
  }

  /** Ensures {@code need} bytes are readable in {@code buf} (read mode); false at end of file. */
  private static boolean fill(FileChannel ch, ByteBuffer buf, int need) throws IOException {
    if (buf.remaining() >= need) {
      return true;
    }
    buf.compact();
    while (buf.position() < need) {
      if (ch.read(buf) < 0) {
        buf.flip();
        return false;
      }
    }
    buf.flip();
    return true;
  }
}
