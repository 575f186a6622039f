package io.vecwatch.target.milvus;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import io.vecwatch.dataset.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the test does as the database's owner (the agent itself never writes): create, fill, index and load
 * collections, delete rows, search directly for an independent comparison.
 */
final class MilvusAdmin implements AutoCloseable {
  final MilvusClientV2 client;

  MilvusAdmin(String uri, Consumer<ConnectConfig.ConnectConfigBuilder> extra) {
    ConnectConfig.ConnectConfigBuilder b = ConnectConfig.builder().uri(uri).connectTimeoutMs(60_000)
        .rpcDeadlineMs(120_000);
    extra.accept(b);
    this.client = new MilvusClientV2(b.build());
  }

  /** pk Int64 + vec FloatVector(dim) + doc Int64 (a second integer field for id_field tests). */
  void createCollection(String name, TestData data, int m, int efConstruction) {
    if (client.hasCollection(HasCollectionReq.builder().collectionName(name).build())) {
      client.dropCollection(DropCollectionReq.builder().collectionName(name).build());
    }
    CreateCollectionReq.CollectionSchema schema = client.createSchema();
    schema.addField(AddFieldReq.builder().fieldName("pk").dataType(DataType.Int64).isPrimaryKey(true)
        .autoID(false).build());
    schema.addField(AddFieldReq.builder().fieldName("vec").dataType(DataType.FloatVector).dimension(data.dim())
        .build());
    schema.addField(AddFieldReq.builder().fieldName("doc").dataType(DataType.Int64).build());
    client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema).build());
    for (int from = 0; from < data.base.length; from += 1000) {
      List<JsonObject> rows = new ArrayList<>();
      for (int i = from; i < Math.min(from + 1000, data.base.length); i++) {
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
    client.flush(FlushReq.builder().collectionNames(List.of(name)).build());
    // sync(false): Milvus Lite does not implement the call the SDK waits for the index build with
    client.createIndex(CreateIndexReq.builder().collectionName(name).sync(false).indexParams(List.of(
        IndexParam.builder().fieldName("vec").indexType(IndexParam.IndexType.HNSW)
            .metricType(IndexParam.MetricType.valueOf(data.metric.name()))
            .extraParams(Map.of("M", m, "efConstruction", efConstruction)).build())).build());
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

  /** The same search the target sends, done directly: keys, nearest first. */
  long[] search(String name, float[] query, int k, Map<String, Object> params, Metric metric) {
    SearchResp r = client.search(SearchReq.builder().collectionName(name).annsField("vec")
        .data(List.of(new FloatVec(query))).limit(k).searchParams(params)
        .metricType(IndexParam.MetricType.valueOf(metric.name()))
        .consistencyLevel(io.milvus.v2.common.ConsistencyLevel.STRONG).build());
    return r.getSearchResults().get(0).stream().mapToLong(x -> ((Number) x.getId()).longValue()).toArray();
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
