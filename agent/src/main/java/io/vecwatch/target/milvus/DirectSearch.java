package io.vecwatch.target.milvus;

import com.google.protobuf.ByteString;
import io.milvus.grpc.IDs;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.grpc.PlaceholderGroup;
import io.milvus.grpc.PlaceholderType;
import io.milvus.grpc.PlaceholderValue;
import io.milvus.grpc.SearchRequest;
import io.milvus.grpc.SearchResultData;
import io.milvus.grpc.SearchResults;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.service.vector.response.SearchResp;
import io.milvus.v2.utils.ClientUtils;
import io.milvus.v2.utils.ConvertUtils;
import io.milvus.v2.utils.RpcUtils;
import io.milvus.v2.utils.VectorUtils;
import io.vecwatch.dataset.Metric;
import io.vecwatch.target.SearchResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The probe's canary search without the SDK's per-call work: the request is the SDK's own
 * conversion of the probe's search, made once per K and reused with only the query vector replaced,
 * and the answer's ids and scores are read from the reply directly. {@code MilvusClientV2.search}
 * would, for every search, format a log title, write the search parameters as JSON and turn every
 * hit into a map-backed entity: at K = 100, about half of the 128 KiB of garbage a search left
 * behind through the SDK.
 *
 * <p>Runs on its own channel, opened by the SDK from the same connection config (TLS, credentials,
 * database header, keep-alive), with the same call deadline and wait-for-ready as the SDK's calls;
 * errors are the same {@code StatusRuntimeException}s and server statuses the SDK reports, so
 * {@link MilvusFailure} classifies them alike. A reply whose ids are not integer primary keys is
 * converted the SDK's way.
 */
public final class DirectSearch implements AutoCloseable {
  private static final VectorUtils REQUESTS = new VectorUtils();
  private static final RpcUtils RPC = new RpcUtils();
  private static final ConvertUtils REPLIES = new ConvertUtils();

  private final ManagedChannel channel;
  private final MilvusServiceGrpc.MilvusServiceBlockingStub stub;
  private final long deadlineMillis;
  private final String title;
  private volatile Template template;

  /** The SDK's request for one K; only its placeholder group (the query) changes per search. */
  private record Template(int k, SearchRequest request) {}

  private DirectSearch(ManagedChannel channel, long deadlineMillis, String collection) {
    this.channel = channel;
    this.stub = MilvusServiceGrpc.newBlockingStub(channel).withWaitForReady();
    this.deadlineMillis = deadlineMillis;
    this.title = "Search collection: '" + collection + "'";
  }

  /** A channel for {@code s}'s searches; connects on first use. Holds no secret after building. */
  static DirectSearch open(MilvusSettings s) {
    ConnectConfig config = MilvusConnector.connectConfig(s);
    return new DirectSearch(
        new ClientUtils().getChannel(config), s.callTimeout().toMillis(), s.collection());
  }

  /**
   * Searches {@code query}'s {@code k} nearest; tells {@code sent} just before sending.
   *
   * @throws RuntimeException as the SDK would: a gRPC status exception, or the SDK's exception for
   *     a server-side error
   */
  SearchResult search(MilvusSettings s, CollectionInfo info, float[] query, int k, Runnable sent) {
    SearchRequest request = request(s, info, query, k);
    sent.run();
    SearchResults reply =
        stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS).search(request);
    RPC.handleResponse(title, reply.getStatus());
    return result(reply, info);
  }

  /** The request for {@code query}: the SDK's conversion of {@link Searches#request}. */
  SearchRequest request(MilvusSettings s, CollectionInfo info, float[] query, int k) {
    Template t = template;
    if (t == null || t.k() != k) {
      t = new Template(k, REQUESTS.ConvertToGrpcSearchRequest(Searches.request(s, info, query, k)));
      template = t;
      return t.request();
    }
    return t.request().toBuilder().setPlaceholderGroup(placeholder(query)).build();
  }

  /** One float vector as the SDK encodes it: tag {@code $0}, little-endian floats. */
  static ByteString placeholder(float[] query) {
    ByteBuffer bytes =
        ByteBuffer.allocate(query.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(query);
    return PlaceholderGroup.newBuilder()
        .addPlaceholders(
            PlaceholderValue.newBuilder()
                .setTag("$0")
                .setType(PlaceholderType.FloatVector)
                .addValues(ByteString.copyFrom(bytes.array())))
        .build()
        .toByteString();
  }

  /**
   * The hits of the reply's only query, as {@link Searches#toResult} makes them from the SDK's
   * entities.
   */
  static SearchResult result(SearchResults reply, CollectionInfo info) {
    SearchResultData data = reply.getResults();
    IDs ids = data.getIds();
    if (!info.keyIsPrimary() || !ids.hasIntId()) {
      SearchResp resp = SearchResp.builder().searchResults(REPLIES.getEntities(reply)).build();
      return Searches.toResult(Searches.hits(resp, info), info.metric());
    }
    int n = data.getTopksCount() == 0 ? 0 : (int) data.getTopks(0);
    long[] keys = new long[n];
    float[] scores = new float[n];
    Optional<Metric> metric = info.metric();
    for (int i = 0; i < n; i++) {
      keys[i] = ids.getIntId().getData(i);
      float score = data.getScores(i);
      scores[i] = metric.isPresent() ? Searches.distance(metric.get(), score) : score;
    }
    return new SearchResult(keys, scores);
  }

  /** Ends the channel; in-flight searches end as CANCELLED. Never throws. */
  @Override
  public void close() {
    channel.shutdownNow();
  }
}
