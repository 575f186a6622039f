package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.IDs;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.SearchRequest;
import io.milvus.grpc.SearchResultData;
import io.milvus.grpc.SearchResults;
import io.milvus.grpc.Status;
import io.milvus.v2.service.vector.response.SearchResp;
import io.milvus.v2.utils.ConvertUtils;
import io.milvus.v2.utils.VectorUtils;
import io.vecwatch.dataset.Metric;
import io.vecwatch.target.SearchResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The probe's direct search must send exactly what {@code MilvusClientV2.search} sends and read
 * exactly what the SDK reads: each case compares with the SDK's own conversion of the same input.
 */
class DirectSearchTest {
  private final Random random = new Random(11);

  private float[] vector(int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private static MilvusSettings settings() {
    return new MilvusSettings(
        "http://127.0.0.1:19530",
        Optional.of("shop"),
        new MilvusSettings.NoAuth(),
        Optional.empty(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        new MilvusSettings.Reconnect(Duration.ofMillis(100), Duration.ofSeconds(1)),
        "docs",
        Optional.of("vec"),
        Optional.of(Metric.L2),
        Map.of("ef", 64),
        Optional.of("bounded"),
        Optional.of("category == 3"),
        List.of("p1"),
        Optional.empty(),
        OptionalLong.empty(),
        new MilvusSettings.SelfRecall(0, 1));
  }

  private static CollectionInfo info(String keyField, Optional<Metric> metric) {
    return new CollectionInfo(
        "docs",
        "pk",
        CollectionInfo.KeyType.INT64,
        keyField,
        "vec",
        8,
        metric,
        Optional.of("HNSW"),
        Map.of());
  }

  private static SearchRequest sdkRequest(
      MilvusSettings s, CollectionInfo info, float[] query, int k) {
    return new VectorUtils().ConvertToGrpcSearchRequest(Searches.request(s, info, query, k));
  }

  private static SearchResult sdkResult(SearchResults reply, CollectionInfo info) {
    SearchResp resp =
        SearchResp.builder().searchResults(new ConvertUtils().getEntities(reply)).build();
    return Searches.toResult(Searches.hits(resp, info), info.metric());
  }

  /** A reply of {@code n} hits with primary keys {@code pk} and a second key field {@code doc}. */
  private SearchResults reply(int n) {
    LongArray.Builder pks = LongArray.newBuilder();
    LongArray.Builder docs = LongArray.newBuilder();
    SearchResultData.Builder data =
        SearchResultData.newBuilder()
            .setNumQueries(1)
            .setTopK(n)
            .addTopks(n)
            .addOutputFields("pk")
            .addOutputFields("doc_id");
    for (int i = 0; i < n; i++) {
      pks.addData(1000 + random.nextInt(100_000));
      docs.addData(random.nextInt(1_000_000));
      data.addScores(i * 0.5f + random.nextFloat());
    }
    data.setIds(IDs.newBuilder().setIntId(pks))
        .addFieldsData(
            FieldData.newBuilder()
                .setFieldName("pk")
                .setType(DataType.Int64)
                .setScalars(ScalarField.newBuilder().setLongData(pks)))
        .addFieldsData(
            FieldData.newBuilder()
                .setFieldName("doc_id")
                .setType(DataType.Int64)
                .setScalars(ScalarField.newBuilder().setLongData(docs)));
    return SearchResults.newBuilder()
        .setStatus(Status.newBuilder().setCode(0))
        .setResults(data)
        .build();
  }

  @Test
  void everySearchSendsTheRequestTheSdkWouldBuildForItsQuery() {
    MilvusSettings s = settings();
    CollectionInfo info = info("pk", Optional.of(Metric.L2));
    try (DirectSearch d = DirectSearch.open(s)) {
      for (int i = 0; i < 5; i++) {
        float[] q = vector(8);
        assertThat(d.request(s, info, q, 100)).isEqualTo(sdkRequest(s, info, q, 100));
      }
      float[] q = vector(8);
      assertThat(d.request(s, info, q, 10)).isEqualTo(sdkRequest(s, info, q, 10));
    }
  }

  @Test
  void placeholderIsTheSdksEncodingOfTheQuery() {
    MilvusSettings s = settings();
    float[] q = vector(8);
    assertThat(DirectSearch.placeholder(q))
        .isEqualTo(sdkRequest(s, info("pk", Optional.empty()), q, 10).getPlaceholderGroup());
  }

  @Test
  void primaryKeysAndScoresAreReadAsTheSdkReadsThem() {
    for (Optional<Metric> metric :
        List.of(
            Optional.of(Metric.L2),
            Optional.of(Metric.IP),
            Optional.of(Metric.COSINE),
            Optional.<Metric>empty())) {
      CollectionInfo info = info("pk", metric);
      SearchResults r = reply(100);
      SearchResult direct = DirectSearch.result(r, info);
      SearchResult sdk = sdkResult(r, info);
      assertThat(direct.ids()).as("%s", metric).hasSize(100).containsExactly(sdk.ids());
      assertThat(direct.scores()).as("%s", metric).containsExactly(sdk.scores());
    }
  }

  @Test
  void aKeyFieldOtherThanThePrimaryKeyIsReadFromTheReturnedField() {
    CollectionInfo info = info("doc_id", Optional.of(Metric.L2));
    SearchResults r = reply(20);
    SearchResult direct = DirectSearch.result(r, info);
    assertThat(direct.ids())
        .containsExactly(
            r.getResults().getFieldsData(1).getScalars().getLongData().getDataList().stream()
                .mapToLong(Long::longValue)
                .toArray());
    assertThat(direct.scores()).containsExactly(sdkResult(r, info).scores());
  }

  @Test
  void anEmptyReplyHasNoHits() {
    SearchResults r =
        SearchResults.newBuilder()
            .setStatus(Status.newBuilder().setCode(0))
            .setResults(SearchResultData.newBuilder().setNumQueries(1).setTopK(10))
            .build();
    SearchResult direct = DirectSearch.result(r, info("pk", Optional.of(Metric.L2)));
    assertThat(direct.ids()).isEmpty();
  }
}
