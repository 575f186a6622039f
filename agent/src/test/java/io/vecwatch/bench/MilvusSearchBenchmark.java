package io.vecwatch.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import io.vecwatch.concurrent.ExecutorScheduler;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.milvus.CollectionInfo;
import io.vecwatch.target.milvus.MilvusSettings;
import io.vecwatch.target.milvus.MilvusTarget;
import io.vecwatch.target.milvus.Searches;
import io.vecwatch.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the agent adds to a canary search against a real Milvus, measured against the SDK doing the
 * same search directly (the baseline) and against the cheapest round trip the server has ({@code
 * GetVersion}: the RPC floor). Needs a running Milvus at {@code $VECWATCH_MILVUS_URI} (default
 * {@code http://127.0.0.1:19540}, the Milvus Lite of {@code .ci/peers.sh up}); it creates and drops
 * its own collection (5000 x 32, HNSW).
 *
 * <pre>
 * ./mvnw -B -o -pl agent -Pbench test-compile exec:exec -Dbench.args="MilvusSearchBenchmark -f 1 -wi 2 -i 3"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class MilvusSearchBenchmark {
  private static final int DIM = 32;
  private static final int K = 10;

  private String uri;
  private String collection;
  private MilvusClientV2 client;
  private MilvusTarget target;
  private float[][] queries;
  private int next;
  private CollectionInfo info;
  private SearchResp canned;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    uri = System.getenv().getOrDefault("VECWATCH_MILVUS_URI", "http://127.0.0.1:19540");
    collection = "vw_bench_" + Long.toString(System.nanoTime(), 36);
    client = new MilvusClientV2(ConnectConfig.builder().uri(uri).rpcDeadlineMs(60_000).build());
    CreateCollectionReq.CollectionSchema schema = MilvusClientV2.CreateSchema();
    schema.addField(
        AddFieldReq.builder().fieldName("pk").dataType(DataType.Int64).isPrimaryKey(true).build());
    schema.addField(
        AddFieldReq.builder()
            .fieldName("vec")
            .dataType(DataType.FloatVector)
            .dimension(DIM)
            .build());
    client.createCollection(
        CreateCollectionReq.builder().collectionName(collection).collectionSchema(schema).build());
    Random r = new Random(1);
    List<JsonObject> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      JsonObject o = new JsonObject();
      o.addProperty("pk", (long) i);
      JsonArray v = new JsonArray();
      for (int d = 0; d < DIM; d++) {
        v.add((float) r.nextGaussian());
      }
      o.add("vec", v);
      rows.add(o);
    }
    client.insert(InsertReq.builder().collectionName(collection).data(rows).build());
    client.createIndex(
        CreateIndexReq.builder()
            .collectionName(collection)
            .sync(false)
            .indexParams(
                List.of(
                    IndexParam.builder()
                        .fieldName("vec")
                        .indexType(IndexParam.IndexType.HNSW)
                        .metricType(IndexParam.MetricType.L2)
                        .extraParams(Map.of("M", 16, "efConstruction", 64))
                        .build()))
            .build());
    client.loadCollection(LoadCollectionReq.builder().collectionName(collection).build());
    queries = new float[64][DIM];
    for (float[] q : queries) {
      for (int d = 0; d < DIM; d++) {
        q[d] = (float) r.nextGaussian();
      }
    }
    MilvusSettings s =
        new MilvusSettings(
            uri,
            Optional.empty(),
            new MilvusSettings.NoAuth(),
            Optional.empty(),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            new MilvusSettings.Reconnect(Duration.ofMillis(100), Duration.ofSeconds(1)),
            collection,
            Optional.of("vec"),
            Optional.empty(),
            Map.of("ef", 32),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.empty(),
            OptionalLong.empty(),
            new MilvusSettings.SelfRecall(0, 1));
    target =
        new MilvusTarget(
            "bench",
            s,
            Optional.empty(),
            Clock.system(),
            ExecutorScheduler.create("bench"),
            new Random(2));
    target.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> target.collectionInfo().isPresent());
    info = target.collectionInfo().orElseThrow();
    canned =
        client.search(
            SearchReq.builder()
                .collectionName(collection)
                .annsField("vec")
                .data(List.of(new FloatVec(queries[0])))
                .limit(K)
                .searchParams(Map.of("ef", 32))
                .build());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    target.close();
    client.dropCollection(DropCollectionReq.builder().collectionName(collection).build());
    client.close(5);
  }

  private float[] nextQuery() {
    next = (next + 1) % queries.length;
    return queries[next];
  }

  /** Baseline: the same search through the SDK, no agent code around it. */
  @Benchmark
  public SearchResp sdkSearch() {
    return client.search(
        SearchReq.builder()
            .collectionName(collection)
            .annsField("vec")
            .data(List.of(new FloatVec(nextQuery())))
            .limit(K)
            .searchParams(Map.of("ef", 32))
            .build());
  }

  /**
   * The agent's canary search: request built from settings, keys extracted, scores turned into
   * distances.
   */
  @Benchmark
  public SearchResult targetSearch() throws Exception {
    return target.search(nextQuery(), K);
  }

  /**
   * What the agent itself adds, without the server: the request built from its settings, a 10-hit
   * answer turned into keys and distances.
   */
  @Benchmark
  public void agentWorkOnly(Blackhole bh) {
    bh.consume(Searches.request(target.settings(), info, nextQuery(), K));
    bh.consume(Searches.toResult(Searches.hits(canned, info), info.metric()));
  }

  /** The cheapest call the server answers: transport and server overhead without any search. */
  @Benchmark
  public String rpcFloor() {
    return client.getServerVersion();
  }
}
