package io.vecwatch.dataset;

import java.nio.file.Path;

/**
 * A dataset file cannot be used, for a reason the user can fix. The message is one line that starts
 * with the file and says what is wrong, e.g. {@code base.fvecs: truncated: vector 17 needs 516
 * bytes, 200 left}.
 */
public final class DatasetException extends Exception {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code "<file>: <problem>"}. */
  public static DatasetException in(Path file, String problem) {
    return new DatasetException(file + ": " + problem);
  }
}
