package io.vecwatch.target;

import io.vecwatch.config.Secret;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Base vectors for {@code vecwatch groundtruth --from-<kind>} read from a live database, with exact
 * neighbours computed against them: a kind offers one through {@link TargetKind#groundTruthBase()}.
 * The command line reads and checks its options into a {@link Request}; the kind connects, reads
 * the collection and computes. Problems the user can fix are {@link TargetException}s whose message
 * starts with the option to change (e.g. {@code --uri: }).
 */
public interface GroundTruthBase {

  /** Where the base vectors are and how to reach them, as given on the command line. */
  record Request(
      String uri,
      String collection,
      Optional<String> vectorField,
      Optional<String> idField,
      Optional<String> database,
      Auth auth,
      Optional<Path> caFile,
      Optional<String> filter,
      List<String> partitions,
      int pageSize,
      int chunk,
      Duration timeout) {
    public Request {
      partitions = List.copyOf(partitions);
    }
  }

  /** How to authenticate: nothing, a token, or a user with a password. */
  sealed interface Auth {}

  record NoAuth() implements Auth {}

  record Token(Secret token) implements Auth {}

  record UserPassword(String user, Secret password) implements Auth {}

  /** What the computation tells its caller while it runs. */
  interface Listener {
    /** A line worth a user's attention that does not stop the computation. */
    void warning(String line);

    /** The collection holds {@code total} rows; reading begins. */
    void counted(long total);

    /** {@code rows} rows were read so far. */
    void advanced(long rows);

    /** Reading ended after {@code rows} rows. */
    void done(long rows);
  }

  /**
   * Exact neighbours: {@code keys[q]} are the rows' keys (primary key or the request's id field),
   * nearest first, with their {@code distances}.
   */
  record Result(long[][] keys, float[][] distances, long rows, String serverVersion) {}

  /**
   * Reads the collection {@code request} names and computes the {@code k} exact neighbours of each
   * query.
   */
  Result compute(
      Request request, Vectors queries, Metric metric, int k, int threads, Listener listener)
      throws TargetException;
}
