package io.vecwatch.target.milvus;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import io.vecwatch.dataset.Metric;
import io.vecwatch.target.SearchResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Builds the SDK requests a target sends (canary searches, self-recall searches, counts) from its
 * settings and what first contact learnt, and turns answers into keys and vecwatch distances.
 * Stateless.
 */
public final class Searches {
  private Searches() {}

  /**
   * One returned entity: its key (Long for integer keys, String for VarChar) and Milvus's raw
   * score.
   */
  public record Hit(Object key, float score) {}

  public static SearchReq request(MilvusSettings s, CollectionInfo info, float[] query, int k) {
    SearchReq.SearchReqBuilder b =
        SearchReq.builder()
            .collectionName(s.collection())
            .annsField(info.vectorField())
            .data(List.of(new FloatVec(query)))
            .limit(k)
            .searchParams(new HashMap<>(s.searchParams()))
            .partitionNames(new ArrayList<>(s.partitions()));
    s.filter().ifPresent(b::filter);
    consistency(s).ifPresent(b::consistencyLevel);
    s.metric().ifPresent(m -> b.metricType(IndexParam.MetricType.valueOf(m.name())));
    // Always name the one field a search needs: with no output fields, some servers (Milvus Lite)
    // return every field, the vector included: k x dim floats to send, parse and collect per probe.
    b.outputFields(List.of(info.keyField()));
    return b.build();
  }

  /** {@code count(*)} over what the target probes (its filter and partitions). */
  public static QueryReq count(MilvusSettings s) {
    QueryReq.QueryReqBuilder b =
        QueryReq.builder()
            .collectionName(s.collection())
            .outputFields(List.of("count(*)"))
            .partitionNames(new ArrayList<>(s.partitions()));
    s.filter().ifPresent(b::filter);
    consistency(s).ifPresent(b::consistencyLevel);
    return b.build();
  }

  static Optional<ConsistencyLevel> consistency(MilvusSettings s) {
    return s.consistencyLevel().map(l -> ConsistencyLevel.valueOf(l.toUpperCase(Locale.ROOT)));
  }

  /** The hits of the first (only) query of {@code resp}, nearest first. */
  public static List<Hit> hits(SearchResp resp, CollectionInfo info) {
    List<List<SearchResp.SearchResult>> all = resp.getSearchResults();
    if (all == null || all.isEmpty()) {
      return List.of();
    }
    List<Hit> out = new ArrayList<>(all.get(0).size());
    for (SearchResp.SearchResult r : all.get(0)) {
      Object key = info.keyIsPrimary() ? r.getId() : r.getEntity().get(info.keyField());
      out.add(new Hit(key, r.getScore() == null ? Float.NaN : r.getScore()));
    }
    return out;
  }

  /**
   * Hits as a {@link SearchResult}: integer keys, and scores turned into vecwatch distances ({@link
   * Metric}): Milvus reports squared L2 distance, and similarity (larger is closer) for IP and
   * COSINE.
   */
  public static SearchResult toResult(List<Hit> hits, Optional<Metric> metric) {
    long[] ids = new long[hits.size()];
    float[] scores = new float[hits.size()];
    for (int i = 0; i < ids.length; i++) {
      Hit h = hits.get(i);
      ids[i] = Keys.asLong(h.key());
      scores[i] = metric.isPresent() ? distance(metric.get(), h.score()) : h.score();
    }
    return new SearchResult(ids, scores);
  }

  /** A Milvus score as a vecwatch distance for {@code metric}. */
  public static float distance(Metric metric, float score) {
    return switch (metric) {
      case L2 -> (float) Math.sqrt(Math.max(0f, score));
      case IP -> -score;
      case COSINE -> 1f - score;
    };
  }

  /**
   * Tells {@code sent}, then sends {@code request}. Counted before sending, so that a scrape of the
   * server's metrics never sees the server's count of it before the agent's (served-traffic
   * accounting subtracts these).
   */
  public static SearchResp send(MilvusClientV2 client, SearchReq request, Runnable sent) {
    sent.run();
    return client.search(request);
  }
}
