package io.vecwatch.cli;

import io.vecwatch.config.Secret;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.target.GroundTruthBase;
import io.vecwatch.target.TargetException;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code groundtruth --from-milvus ...}: base vectors read from a collection of a live database.
 * This option group reads and checks the options into a {@link GroundTruthBase.Request}; the target
 * kind that {@code --from-<kind>} names does the reading and computing (found through {@link
 * TargetKinds#groundTruthBase}). The output holds the collection's primary keys (or {@code
 * --id-field}) instead of positions, so a dataset of these queries and this ground truth measures
 * recall against that collection.
 */
final class DatabaseBaseSource {
  @Option(
      names = "--from-milvus",
      required = true,
      description = "Read base vectors from a Milvus collection (with --uri, --collection).")
  boolean fromMilvus;

  @Option(
      names = "--uri",
      required = true,
      paramLabel = "URI",
      description = "http://HOST:PORT or https://HOST:PORT.")
  String uri;

  @Option(
      names = "--collection",
      required = true,
      paramLabel = "NAME",
      description = "Collection to read.")
  String collection;

  @Option(
      names = "--vector-field",
      paramLabel = "FIELD",
      description = "Default: the only FloatVector field.")
  String vectorField;

  @Option(
      names = "--id-field",
      paramLabel = "FIELD",
      description = "Int64 field written instead of the primary key.")
  String idField;

  @Option(
      names = "--database",
      paramLabel = "NAME",
      description = "Default: the server's default database.")
  String database;

  @Option(
      names = "--user",
      paramLabel = "USER",
      description = "Milvus user (with --password-file).")
  String user;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "File holding the user's password.")
  Path passwordFile;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "File holding an API key or user:password token.")
  Path tokenFile;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description = "CA that verifies the server (TLS).")
  Path caFile;

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      description = "Only rows matching this expression.")
  String filter;

  @Option(
      names = "--partitions",
      split = ",",
      paramLabel = "P",
      description = "Only these partitions.")
  List<String> partitions = new ArrayList<>();

  @Option(
      names = "--page-size",
      defaultValue = "1000",
      paramLabel = "N",
      description = "Rows per query page.")
  int pageSize;

  @Option(
      names = "--chunk",
      defaultValue = "100000",
      paramLabel = "N",
      description = "Vectors per exact pass (memory: N x dim x 4 bytes).")
  int chunk;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description = "Deadline of each call.")
  String timeout;

  /** Reads the collection and computes the {@code k} exact neighbours of each query. */
  GroundTruthBase.Result compute(
      Vectors queries, Metric metric, int k, int threads, PrintWriter err, Clock clock)
      throws UserException {
    GroundTruthBase.Request request = request();
    GroundTruthBase base =
        TargetKinds.groundTruthBase(kind())
            .orElseThrow(
                () ->
                    new UserException(
                        "--from-"
                            + kind()
                            + ": this vecwatch cannot read base vectors from "
                            + kind()));
    Progress progress = new Progress(err, clock);
    try {
      return base.compute(request, queries, metric, k, threads, progress);
    } catch (TargetException e) {
      throw new UserException(e.getMessage(), e);
    }
  }

  /** The target kind whose database holds the base vectors. */
  String kind() {
    return "milvus";
  }

  String describe() {
    return "collection \"" + collection + "\" at " + uri;
  }

  GroundTruthBase.Request request() throws UserException {
    if (pageSize < 1 || pageSize > 16_384) {
      throw new UserException("--page-size: must be between 1 and 16384, got " + pageSize);
    }
    if (chunk < 1) {
      throw new UserException("--chunk: must be at least 1, got " + chunk);
    }
    GroundTruthBase.Auth auth = new GroundTruthBase.NoAuth();
    if (tokenFile != null && (user != null || passwordFile != null)) {
      throw new UserException(
          "--token-file: use either --token-file or --user with --password-file");
    }
    if (tokenFile != null) {
      auth = new GroundTruthBase.Token(readSecret("--token-file", tokenFile));
    } else if (user != null || passwordFile != null) {
      if (user == null || passwordFile == null) {
        throw new UserException("--user and --password-file go together");
      }
      auth = new GroundTruthBase.UserPassword(user, readSecret("--password-file", passwordFile));
    }
    if (caFile != null && !Files.isReadable(caFile)) {
      throw new UserException("--ca-file: file does not exist or is not readable: " + caFile);
    }
    Duration deadline;
    try {
      deadline = Durations.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw new UserException("--timeout: " + e.getMessage());
    }
    return new GroundTruthBase.Request(
        uri,
        collection,
        Optional.ofNullable(vectorField),
        Optional.ofNullable(idField),
        Optional.ofNullable(database),
        auth,
        Optional.ofNullable(caFile),
        Optional.ofNullable(filter),
        partitions,
        pageSize,
        chunk,
        deadline);
  }

  private static Secret readSecret(String option, Path file) throws UserException {
    try {
      return Secret.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UserException(
          option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * What the computation reports, on stderr: warnings always, the pull's progress only on a
   * terminal.
   */
  private static final class Progress implements GroundTruthBase.Listener {
    private final PrintWriter err;
    private final Clock clock;
    private Pulled pulled;

    Progress(PrintWriter err, Clock clock) {
      this.err = err;
      this.clock = clock;
    }

    @Override
    public void warning(String line) {
      err.println(line);
      err.flush();
    }

    @Override
    public void counted(long total) {
      pulled = new Pulled(err, clock, total);
    }

    @Override
    public void advanced(long rows) {
      if (pulled != null) {
        pulled.advanced(rows);
      }
    }

    @Override
    public void done(long rows) {
      if (pulled != null) {
        pulled.done(rows);
      }
    }
  }

  /**
   * Progress of the pull on stderr: rows read of the total, at most 5 times a second, only on a
   * terminal.
   */
  static final class Pulled {
    private static final long INTERVAL_NANOS = 200_000_000L;
    private final PrintWriter err;
    private final Clock clock;
    private final long total;
    private final long start;
    private final boolean show;
    private long lastPrint;

    Pulled(PrintWriter err, Clock clock, long total) {
      this(err, clock, total, System.console() != null);
    }

    Pulled(PrintWriter err, Clock clock, long total, boolean show) {
      this.err = err;
      this.clock = clock;
      this.total = total;
      this.start = clock.monotonicNanos();
      this.lastPrint = start;
      this.show = show;
    }

    void advanced(long rows) {
      long now = clock.monotonicNanos();
      if (!show || now - lastPrint < INTERVAL_NANOS) {
        return;
      }
      lastPrint = now;
      print(rows, now, "");
    }

    void done(long rows) {
      if (show) {
        print(rows, clock.monotonicNanos(), System.lineSeparator());
      }
    }

    private void print(long rows, long now, String end) {
      double elapsed = Math.max(1e-9, (now - start) / 1e9);
      err.printf(
          Locale.ROOT,
          "\rread %d of %d rows (%d%%, %.0f rows/s)%s",
          rows,
          total,
          total == 0 ? 100 : (int) (100.0 * rows / total),
          rows / elapsed,
          end);
      err.flush();
    }
  }
}
