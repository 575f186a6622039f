package io.vecwatch.target.milvus;

import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.response.QueryResp;
import io.vecwatch.dataset.Dataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Records of a Milvus collection by key: a {@code get} by primary key (a query {@code key in [...]}
 * when {@code id_field} names another field), and key sampling. Keys are sampled from the target's
 * dataset when it has base vectors (uniform over all of them); otherwise by walking the key space a
 * page at a time ({@code key > last}), wrapping around at the end, so successive rounds cover the
 * whole range. The cursor is the only state; calls are serialised.
 */
public final class MilvusRecords {
  private static final int PAGE = 1024;

  private final MilvusSettings settings;
  private final Optional<Dataset> dataset;
  private Long cursor; // guarded by this

  public MilvusRecords(MilvusSettings settings, Optional<Dataset> dataset) {
    this.settings = settings;
    this.dataset = dataset.filter(d -> d.base().isPresent());
  }

  /** The vectors stored under {@code keys}, in order; null where the collection holds none. */
  public float[][] vectors(Session s, long[] keys) {
    CollectionInfo info = s.info();
    float[][] out = new float[keys.length][];
    if (keys.length == 0) {
      return out;
    }
    List<Long> boxed = new ArrayList<>(keys.length);
    for (long k : keys) {
      boxed.add(k);
    }
    QueryResp got =
        s.client()
            .query(
                QueryReq.builder()
                    .collectionName(settings.collection())
                    .partitionNames(new ArrayList<>(settings.partitions()))
                    .filter(Keys.and(settings.filter().orElse(""), Keys.in(info.keyField(), boxed)))
                    .outputFields(List.of(info.keyField(), info.vectorField()))
                    .consistencyLevel(Searches.consistency(settings).orElse(null))
                    .build());
    Map<Long, float[]> byKey = new HashMap<>();
    for (QueryResp.QueryResult r : got.getQueryResults()) {
      byKey.put(
          Keys.asLong(r.getEntity().get(info.keyField())),
          SelfRecall.floats(r.getEntity().get(info.vectorField())));
    }
    for (int i = 0; i < keys.length; i++) {
      out[i] = byKey.get(keys[i]);
    }
    return out;
  }

  /** Up to {@code n} distinct keys, see the class comment for how they are drawn. */
  public synchronized long[] sampleKeys(Session s, int n, Random random) {
    if (dataset.isPresent()) {
      Dataset d = dataset.get();
      int count = d.base().orElseThrow().count();
      Set<Long> picked = new LinkedHashSet<>();
      for (int tries = 0; picked.size() < Math.min(n, count) && tries < 20 * n; tries++) {
        picked.add(d.keyOf(random.nextInt(count)));
      }
      return picked.stream().mapToLong(Long::longValue).toArray();
    }
    List<Long> page = page(s, cursor);
    if (page.isEmpty() && cursor != null) {
      cursor = null; // wrapped around
      page = page(s, null);
    }
    if (page.isEmpty()) {
      return new long[0];
    }
    cursor = page.stream().mapToLong(Long::longValue).max().getAsLong();
    List<Long> pool = new ArrayList<>(page);
    long[] out = new long[Math.min(n, pool.size())];
    for (int i = 0; i < out.length; i++) {
      out[i] = pool.remove(random.nextInt(pool.size()));
    }
    return out;
  }

  private List<Long> page(Session s, Long after) {
    String field = s.info().keyField();
    String expr =
        Keys.and(settings.filter().orElse(""), after == null ? "" : field + " > " + after);
    QueryResp r =
        s.client()
            .query(
                QueryReq.builder()
                    .collectionName(settings.collection())
                    .partitionNames(new ArrayList<>(settings.partitions()))
                    .outputFields(List.of(field))
                    .filter(expr.isEmpty() ? field + " >= " + Long.MIN_VALUE : expr)
                    .limit(PAGE)
                    .consistencyLevel(Searches.consistency(settings).orElse(null))
                    .build());
    List<Long> out = new ArrayList<>();
    for (QueryResp.QueryResult row : r.getQueryResults()) {
      out.add(Keys.asLong(row.getEntity().get(field)));
    }
    return out;
  }
}
