package io.vecwatch.target.milvus;

import io.milvus.v2.client.MilvusClientV2;
import io.vecwatch.dataset.Metric;
import io.vecwatch.dataset.Vectors;
import io.vecwatch.target.GroundTruthBase;
import io.vecwatch.target.TargetException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code groundtruth --from-milvus ...}: base vectors read from a Milvus collection with a query
 * iterator, page by page, and exact neighbours computed chunk by chunk ({@link MilvusGroundTruth}):
 * memory is one chunk, whatever the collection's size. The result holds the collection's primary
 * keys (or the id field) instead of positions, so a dataset of these queries and this ground truth
 * measures recall against that collection.
 */
final class MilvusGroundTruthBase implements GroundTruthBase {
  static final MilvusGroundTruthBase INSTANCE = new MilvusGroundTruthBase();

  private MilvusGroundTruthBase() {}

  @Override
  public Result compute(
      Request request, Vectors queries, Metric metric, int k, int threads, Listener listener)
      throws TargetException {
    MilvusSettings s = settings(request);
    String collection = request.collection();
    MilvusClientV2 client;
    try {
      client = MilvusConnector.open(s);
    } catch (Exception e) {
      throw new TargetException(
          "--uri: cannot connect to Milvus at "
              + request.uri()
              + ": "
              + MilvusFailure.of(e).detail(),
          e);
    }
    try {
      CollectionInfo info;
      try {
        info = CollectionCheck.check("groundtruth", s, client, Optional.empty());
      } catch (TargetException e) {
        throw new TargetException(
            e.getMessage().replaceFirst("^target groundtruth: ", "--collection: "), e);
      }
      if (info.dim() != queries.dim()) {
        throw new TargetException(
            "--queries: dimension "
                + queries.dim()
                + " does not match field \""
                + info.vectorField()
                + "\" of collection \""
                + collection
                + "\" (dimension "
                + info.dim()
                + ")");
      }
      if (info.metric().isPresent() && info.metric().get() != metric) {
        listener.warning(
            String.format(
                Locale.ROOT,
                "warning: the index on \"%s\" uses %s; computing %s as asked",
                info.vectorField(),
                info.metric().get().id(),
                metric.id()));
      }
      long total =
          ((Number)
                  client
                      .query(Searches.count(s))
                      .getQueryResults()
                      .get(0)
                      .getEntity()
                      .get("count(*)"))
              .longValue();
      if (total < k) {
        throw new TargetException(
            "--k: " + k + " exceeds the rows of collection \"" + collection + "\" (" + total + ")");
      }
      listener.counted(total);
      MilvusGroundTruth gt =
          new MilvusGroundTruth(queries, metric, k, request.chunk(), threads, listener::advanced);
      CollectionReader reader =
          new CollectionReader(client, info, s.filter(), s.partitions(), request.pageSize());
      reader.read(gt::add);
      gt.finish();
      listener.done(gt.rows());
      return new Result(gt.keys(), gt.distances(), gt.rows(), client.getServerVersion());
    } catch (TargetException e) {
      throw e;
    } catch (Exception e) {
      throw new TargetException(
          "reading collection \""
              + collection
              + "\" at "
              + request.uri()
              + " failed: "
              + MilvusFailure.of(e).detail(),
          e);
    } finally {
      try {
        client.close(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static MilvusSettings settings(Request r) throws TargetException {
    Optional<String> uriProblem = MilvusSettings.uriProblem(r.uri());
    if (uriProblem.isPresent()) {
      throw new TargetException("--uri: " + uriProblem.get());
    }
    MilvusSettings.Auth auth = new MilvusSettings.NoAuth();
    if (r.auth() instanceof Token t) {
      auth = new MilvusSettings.Token(t.token());
    } else if (r.auth() instanceof UserPassword up) {
      auth = new MilvusSettings.UserPassword(up.user(), up.password());
    }
    Optional<MilvusSettings.Tls> tls =
        r.caFile()
            .map(
                ca ->
                    new MilvusSettings.Tls(
                        Optional.of(ca), Optional.empty(), Optional.empty(), Optional.empty()));
    Duration deadline = r.timeout();
    return new MilvusSettings(
        r.uri(),
        r.database(),
        auth,
        tls,
        deadline,
        deadline,
        new MilvusSettings.Reconnect(Duration.ofSeconds(1), Duration.ofSeconds(1)),
        r.collection(),
        r.vectorField(),
        Optional.empty(),
        Map.of(),
        Optional.empty(),
        r.filter(),
        r.partitions(),
        r.idField(),
        OptionalLong.empty(),
        new MilvusSettings.SelfRecall(0, 1));
  }
}
