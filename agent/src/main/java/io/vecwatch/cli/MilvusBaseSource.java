package io.vecwatch.cli;

import io.milvus.v2.client.MilvusClientV2;
import io.vecwatch.config.Secret;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.target.TargetException;
import io.vecwatch.target.milvus.CollectionCheck;
import io.vecwatch.target.milvus.CollectionInfo;
import io.vecwatch.target.milvus.CollectionReader;
import io.vecwatch.target.milvus.MilvusConnector;
import io.vecwatch.target.milvus.MilvusFailure;
import io.vecwatch.target.milvus.MilvusGroundTruth;
import io.vecwatch.target.milvus.MilvusSettings;
import io.vecwatch.target.milvus.Searches;
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
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/**
 * {@code groundtruth --from-milvus ...}: base vectors read from a Milvus collection with a query iterator, page by
 * page, and exact neighbours computed chunk by chunk ({@link MilvusGroundTruth}): memory is one chunk, whatever
 * the collection's size. The output holds the collection's primary keys (or {@code --id-field}) instead of
 * positions, so a dataset of these queries and this ground truth measures recall against that collection.
 */
final class MilvusBaseSource {
  @Option(names = "--from-milvus", required = true,
      description = "Read base vectors from a Milvus collection (with --uri, --collection).")
  boolean fromMilvus;

  @Option(names = "--uri", required = true, paramLabel = "URI", description = "http://HOST:PORT or https://HOST:PORT.")
  String uri;

  @Option(names = "--collection", required = true, paramLabel = "NAME", description = "Collection to read.")
  String collection;

  @Option(names = "--vector-field", paramLabel = "FIELD", description = "Default: the only FloatVector field.")
  String vectorField;

  @Option(names = "--id-field", paramLabel = "FIELD", description = "Int64 field written instead of the primary key.")
  String idField;

  @Option(names = "--database", paramLabel = "NAME", description = "Default: the server's default database.")
  String database;

  @Option(names = "--user", paramLabel = "USER", description = "Milvus user (with --password-file).")
  String user;

  @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the user's password.")
  Path passwordFile;

  @Option(names = "--token-file", paramLabel = "FILE", description = "File holding an API key or user:password token.")
  Path tokenFile;

  @Option(names = "--ca-file", paramLabel = "FILE", description = "CA that verifies the server (TLS).")
  Path caFile;

  @Option(names = "--filter", paramLabel = "EXPR", description = "Only rows matching this expression.")
  String filter;

  @Option(names = "--partitions", split = ",", paramLabel = "P", description = "Only these partitions.")
  List<String> partitions = new ArrayList<>();

  @Option(names = "--page-size", defaultValue = "1000", paramLabel = "N", description = "Rows per query page.")
  int pageSize;

  @Option(names = "--chunk", defaultValue = "100000", paramLabel = "N",
      description = "Vectors per exact pass (memory: N x dim x 4 bytes).")
  int chunk;

  @Option(names = "--timeout", defaultValue = "30s", paramLabel = "DURATION", description = "Deadline of each call.")
  String timeout;

  /** What was computed. */
  record Result(long[][] keys, float[][] distances, long rows, String serverVersion) {}

  Result compute(Vectors queries, Metric metric, int k, int threads, PrintWriter err, Clock clock)
      throws UserException {
    if (pageSize < 1 || pageSize > 16_384) {
      throw new UserException("--page-size: must be between 1 and 16384, got " + pageSize);
    }
    if (chunk < 1) {
      throw new UserException("--chunk: must be at least 1, got " + chunk);
    }
    MilvusSettings s = settings();
    MilvusClientV2 client;
    try {
      client = MilvusConnector.open(s);
    } catch (Exception e) {
      throw new UserException("--uri: cannot connect to Milvus at " + uri + ": " + MilvusFailure.of(e).detail(), e);
    }
    try {
      CollectionInfo info;
      try {
        info = CollectionCheck.check("groundtruth", s, client, Optional.empty());
      } catch (TargetException e) {
        throw new UserException(e.getMessage().replaceFirst("^target groundtruth: ", "--collection: "), e);
      }
      if (info.dim() != queries.dim()) {
        throw new UserException("--queries: dimension " + queries.dim() + " does not match field \""
            + info.vectorField() + "\" of collection \"" + collection + "\" (dimension " + info.dim() + ")");
      }
      if (info.metric().isPresent() && info.metric().get() != metric) {
        err.printf(Locale.ROOT, "warning: the index on \"%s\" uses %s; computing %s as asked%n",
            info.vectorField(), info.metric().get().id(), metric.id());
      }
      long total = ((Number) client.query(Searches.count(s)).getQueryResults().get(0).getEntity().get("count(*)"))
          .longValue();
      if (total < k) {
        throw new UserException("--k: " + k + " exceeds the rows of collection \"" + collection + "\" (" + total + ")");
      }
      Pulled progress = new Pulled(err, clock, total);
      MilvusGroundTruth gt = new MilvusGroundTruth(queries, metric, k, chunk, threads, progress::advanced);
      CollectionReader reader = new CollectionReader(client, info, s.filter(), s.partitions(), pageSize);
      reader.read(gt::add);
      gt.finish();
      progress.done(gt.rows());
      return new Result(gt.keys(), gt.distances(), gt.rows(), client.getServerVersion());
    } catch (UserException e) {
      throw e;
    } catch (Exception e) {
      throw new UserException("reading collection \"" + collection + "\" at " + uri + " failed: "
          + MilvusFailure.of(e).detail(), e);
    } finally {
      try {
        client.close(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  String describe() {
    return "collection \"" + collection + "\" at " + uri;
  }

  private MilvusSettings settings() throws UserException {
    Optional<String> uriProblem = MilvusSettings.uriProblem(uri);
    if (uriProblem.isPresent()) {
      throw new UserException("--uri: " + uriProblem.get());
    }
    MilvusSettings.Auth auth = new MilvusSettings.NoAuth();
    if (tokenFile != null && (user != null || passwordFile != null)) {
      throw new UserException("--token-file: use either --token-file or --user with --password-file");
    }
    if (tokenFile != null) {
      auth = new MilvusSettings.Token(readSecret("--token-file", tokenFile));
    } else if (user != null || passwordFile != null) {
      if (user == null || passwordFile == null) {
        throw new UserException("--user and --password-file go together");
      }
      auth = new MilvusSettings.UserPassword(user, readSecret("--password-file", passwordFile));
    }
    Optional<MilvusSettings.Tls> tls = Optional.empty();
    if (caFile != null) {
      if (!Files.isReadable(caFile)) {
        throw new UserException("--ca-file: file does not exist or is not readable: " + caFile);
      }
      tls = Optional.of(new MilvusSettings.Tls(Optional.of(caFile), Optional.empty(), Optional.empty(),
          Optional.empty()));
    }
    Duration deadline;
    try {
      deadline = Durations.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw new UserException("--timeout: " + e.getMessage());
    }
    return new MilvusSettings(uri, Optional.ofNullable(database), auth, tls, deadline, deadline,
        new MilvusSettings.Reconnect(Duration.ofSeconds(1), Duration.ofSeconds(1)), collection,
        Optional.ofNullable(vectorField), Optional.empty(), Map.of(), Optional.empty(), Optional.ofNullable(filter),
        partitions, Optional.ofNullable(idField), OptionalLong.empty(), new MilvusSettings.SelfRecall(0, 1));
  }

  private static Secret readSecret(String option, Path file) throws UserException {
    try {
      return Secret.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UserException(option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Progress of the pull on stderr: rows read of the total, at most 5 times a second, only on a terminal. */
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
      err.printf(Locale.ROOT, "\rread %d of %d rows (%d%%, %.0f rows/s)%s", rows, total,
          total == 0 ? 100 : (int) (100.0 * rows / total), rows / elapsed, end);
      err.flush();
    }
  }
}
