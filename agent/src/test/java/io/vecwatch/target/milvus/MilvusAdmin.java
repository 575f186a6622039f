package io.vecwatch.target.milvus;

import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexBuildState;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.index.request.DescribeIndexReq;
import io.milvus.v2.service.index.response.DescribeIndexResp;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import io.vecwatch.dataset.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * What the test does as the database's owner (the agent itself never writes): create, fill, index
 * and load collections, delete rows, search directly for an independent comparison.
 */
final class MilvusAdmin implements AutoCloseable {
  final MilvusClientV2 client;

  MilvusAdmin(String uri, Consumer<ConnectConfig.ConnectConfigBuilder> extra) {
    ConnectConfig.ConnectConfigBuilder b =
        ConnectConfig.builder().uri(uri).connectTimeoutMs(60_000).rpcDeadlineMs(120_000);
    extra.accept(b);
    this.client = new MilvusClientV2(b.build());
    // fail fast when the server is gone (the SDK retries up to 75 times by default)
    client.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
  }

  /** pk Int64 + vec FloatVector(dim) + doc Int64 (a second integer field for id_field tests). */
  void createCollection(String name, TestData data, int m, int efConstruction) {
    createCollection(
        name,
        data,
        IndexParam.IndexType.HNSW,
        Map.of("M", m, "efConstruction", efConstruction),
        i -> false);
  }

  /**
   * As above with any index type, leaving out the rows {@code skip} selects (a batch of inserts a
   * dual writer lost).
   */
  void createCollection(
      String name,
      TestData data,
      IndexParam.IndexType indexType,
      Map<String, Object> params,
      IntPredicate skip) {
    long t0 = System.nanoTime();
    if (client.hasCollection(HasCollectionReq.builder().collectionName(name).build())) {
      client.dropCollection(DropCollectionReq.builder().collectionName(name).build());
    }
    CreateCollectionReq.CollectionSchema schema = MilvusClientV2.CreateSchema();
    schema.addField(
        AddFieldReq.builder()
            .fieldName("pk")
            .dataType(DataType.Int64)
            .isPrimaryKey(true)
            .autoID(false)
            .build());
    schema.addField(
        AddFieldReq.builder()
            .fieldName("vec")
            .dataType(DataType.FloatVector)
            .dimension(data.dim())
            .build());
    schema.addField(AddFieldReq.builder().fieldName("doc").dataType(DataType.Int64).build());
    client.createCollection(
        CreateCollectionReq.builder().collectionName(name).collectionSchema(schema).build());
    // one insert call per 10k rows: Milvus 2.3 seals each call's rows into a segment, and
    // compacting several
    // small segments later swaps the index under running searches
    for (int from = 0; from < data.base.length; from += 10_000) {
      List<JsonObject> rows = new ArrayList<>();
      for (int i = from; i < Math.min(from + 10_000, data.base.length); i++) {
        if (skip.test(i)) {
          continue;
        }
        JsonObject o = new JsonObject();
        o.addProperty("pk", data.keys[i]);
        o.addProperty("doc", (long) i);
        JsonArray v = new JsonArray();
        for (float f : data.base[i]) {
          v.add(f);
        }
        o.add("vec", v);
        rows.add(o);
      }
      client.insert(InsertReq.builder().collectionName(name).data(rows).build());
    }
    long t1 = System.nanoTime();
    client.flush(FlushReq.builder().collectionNames(List.of(name)).build());
    long t2 = System.nanoTime();
    // sync(false): Milvus Lite does not implement the call the SDK waits for the index build with
    client.createIndex(
        CreateIndexReq.builder()
            .collectionName(name)
            .sync(false)
            .indexParams(
                List.of(
                    IndexParam.builder()
                        .fieldName("vec")
                        .indexType(indexType)
                        .metricType(IndexParam.MetricType.valueOf(data.metric.name()))
                        .extraParams(params)
                        .build()))
            .build());
    // load only once the index is built, so searches use it (not a brute-force scan that changes
    // under them)
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              DescribeIndexResp.IndexDesc d =
                  client
                      .describeIndex(
                          DescribeIndexReq.builder().collectionName(name).fieldName("vec").build())
                      .getIndexDescriptions()
                      .get(0);
              return d.getIndexState() == IndexBuildState.Finished
                  && d.getIndexedRows() >= d.getTotalRows();
            });
    long t3 = System.nanoTime();
    load(name);
    long t4 = System.nanoTime();
    System.out.printf(
        "collection %s: insert %.1fs, flush %.1fs, index %.1fs, load %.1fs%n",
        name, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9);
  }

  /**
   * pk VarChar ("k" + position) + vec + doc Int64 (= position): a collection whose keys are
   * strings.
   */
  void createVarCharCollection(String name, TestData data) {
    CreateCollectionReq.CollectionSchema schema = MilvusClientV2.CreateSchema();
    schema.addField(
        AddFieldReq.builder()
            .fieldName("pk")
            .dataType(DataType.VarChar)
            .maxLength(32)
            .isPrimaryKey(true)
            .autoID(false)
            .build());
    schema.addField(
        AddFieldReq.builder()
            .fieldName("vec")
            .dataType(DataType.FloatVector)
            .dimension(data.dim())
            .build());
    schema.addField(AddFieldReq.builder().fieldName("doc").dataType(DataType.Int64).build());
    client.createCollection(
        CreateCollectionReq.builder().collectionName(name).collectionSchema(schema).build());
    List<JsonObject> rows = new ArrayList<>();
    for (int i = 0; i < data.base.length; i++) {
      JsonObject o = new JsonObject();
      o.addProperty("pk", "k" + i);
      o.addProperty("doc", (long) i);
      JsonArray v = new JsonArray();
      for (float f : data.base[i]) {
        v.add(f);
      }
      o.add("vec", v);
      rows.add(o);
    }
    client.insert(InsertReq.builder().collectionName(name).data(rows).build());
    client.flush(FlushReq.builder().collectionNames(List.of(name)).build());
    client.createIndex(
        CreateIndexReq.builder()
            .collectionName(name)
            .sync(false)
            .indexParams(
                List.of(
                    IndexParam.builder()
                        .fieldName("vec")
                        .indexType(IndexParam.IndexType.HNSW)
                        .metricType(IndexParam.MetricType.valueOf(data.metric.name()))
                        .extraParams(Map.of("M", 16, "efConstruction", 64))
                        .build()))
            .build());
    load(name);
  }

  void load(String name) {
    client.loadCollection(LoadCollectionReq.builder().collectionName(name).build());
  }

  void delete(String name, List<Long> keys) {
    for (int from = 0; from < keys.size(); from += 500) {
      List<Object> chunk = new ArrayList<>(keys.subList(from, Math.min(from + 500, keys.size())));
      client.delete(DeleteReq.builder().collectionName(name).ids(chunk).build());
    }
  }

  /**
   * Searches with each stored vector; the share whose own key comes back first (ties with the first
   * count).
   */
  double selfRecall(String name, TestData d, int stride, Map<String, Object> params) {
    int hits = 0;
    int n = 0;
    for (int i = 0; i < d.base.length; i += stride) {
      SearchResp r =
          client.search(
              SearchReq.builder()
                  .collectionName(name)
                  .annsField("vec")
                  .data(List.of(new FloatVec(d.base[i])))
                  .limit(10)
                  .searchParams(params)
                  .build());
      List<SearchResp.SearchResult> res = r.getSearchResults().get(0);
      for (SearchResp.SearchResult x : res) {
        if (Float.compare(x.getScore(), res.get(0).getScore()) != 0) {
          break;
        }
        if (((Number) x.getId()).longValue() == d.keys[i]) {
          hits++;
          break;
        }
      }
      n++;
    }
    return (double) hits / n;
  }

  /** The same search the target sends, done directly: keys, nearest first. */
  long[] search(String name, float[] query, int k, Map<String, Object> params, Metric metric) {
    SearchResp r =
        client.search(
            SearchReq.builder()
                .collectionName(name)
                .annsField("vec")
                .data(List.of(new FloatVec(query)))
                .limit(k)
                .searchParams(params)
                .metricType(IndexParam.MetricType.valueOf(metric.name()))
                .build());
    return r.getSearchResults().get(0).stream()
        .mapToLong(x -> ((Number) x.getId()).longValue())
        .toArray();
  }

  void drop(String name) {
    try {
      client.dropCollection(DropCollectionReq.builder().collectionName(name).build());
    } catch (RuntimeException e) {
      // best effort clean-up
    }
  }

  @Override
  public void close() {
    try {
      client.close(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
