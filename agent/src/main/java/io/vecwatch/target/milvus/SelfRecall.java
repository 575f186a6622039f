package io.vecwatch.target.milvus;

import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.response.QueryResp;
import io.vecwatch.dataset.Dataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * Self-recall canaries: recall measured without any ground truth. Each round picks a few stored
 * entities, reads their vectors back and searches with them; a hit is the entity's own key coming
 * back first (or tied with the first on score, for exact duplicates). The ratio over the last
 * {@code window} samples is the signal.
 *
 * <p>Keys are picked from the dataset's keys when the target has a dataset with base vectors (then
 * keys the collection no longer holds are counted too: the missing ratio, a data-loss signal), else
 * by walking the key space with a cursor ({@code key > last}), a page at a time, wrapping around at
 * the end. Thread-confined: called from one diagnostics poll at a time.
 */
public final class SelfRecall {
  private static final int PAGE = 256;
  private static final int SEARCH_K = 10;

  private final MilvusSettings settings;
  private final Runnable searchSent;
  private final Optional<Dataset> dataset;
  private final Random random;
  private final Window hits;
  private final Window missing;
  private Object cursor;

  public SelfRecall(MilvusSettings settings, Optional<Dataset> dataset, Random random) {
    this(settings, dataset, random, () -> {});
  }

  /**
   * @param searchSent told of every search a round sends (see {@link Searches#send})
   */
  public SelfRecall(
      MilvusSettings settings, Optional<Dataset> dataset, Random random, Runnable searchSent) {
    this.searchSent = searchSent;
    this.settings = settings;
    this.dataset = dataset.filter(d -> d.base().isPresent());
    this.random = random;
    this.hits = new Window(settings.selfRecall().window());
    this.missing = new Window(settings.selfRecall().window());
  }

  /** What one round found. */
  public record Round(int sampled, int found, int hits) {}

  /** Runs one round against {@code s}; returns what it found. Throws what the SDK throws. */
  public Round sample(Session s) {
    CollectionInfo info = s.info();
    int n = settings.selfRecall().sampleSize();
    List<Object> keys = dataset.isPresent() ? datasetKeys(n) : cursorKeys(s, n);
    if (keys.isEmpty()) {
      return new Round(0, 0, 0);
    }
    QueryResp got =
        s.client()
            .query(
                QueryReq.builder()
                    .collectionName(settings.collection())
                    .partitionNames(new ArrayList<>(settings.partitions()))
                    .filter(Keys.and(settings.filter().orElse(""), Keys.in(info.keyField(), keys)))
                    .outputFields(List.of(info.keyField(), info.vectorField()))
                    .consistencyLevel(Searches.consistency(settings).orElse(null))
                    .build());
    Map<Object, float[]> vectors = new LinkedHashMap<>();
    for (QueryResp.QueryResult r : got.getQueryResults()) {
      vectors.put(
          normal(r.getEntity().get(info.keyField())),
          floats(r.getEntity().get(info.vectorField())));
    }
    int found = 0;
    int hit = 0;
    for (Object key : keys) {
      float[] v = vectors.get(normal(key));
      if (dataset.isPresent()) {
        missing.add(v == null);
      }
      if (v == null) {
        continue;
      }
      found++;
      List<Searches.Hit> res =
          Searches.hits(
              Searches.send(s.client(), Searches.request(settings, info, v, SEARCH_K), searchSent),
              info);
      boolean ok = isHit(key, res);
      hits.add(ok);
      if (ok) {
        hit++;
      }
    }
    return new Round(keys.size(), found, hit);
  }

  /**
   * Own key first, or among the results with exactly the first result's score (a duplicate vector).
   */
  static boolean isHit(Object key, List<Searches.Hit> res) {
    if (res.isEmpty()) {
      return false;
    }
    Object own = normal(key);
    float best = res.get(0).score();
    for (Searches.Hit h : res) {
      if (Float.compare(h.score(), best) != 0) {
        return false;
      }
      if (normal(h.key()).equals(own)) {
        return true;
      }
    }
    return false;
  }

  /** Hits over the window, empty before the first sample. */
  public OptionalDouble ratio() {
    return hits.ratio();
  }

  public int samples() {
    return hits.size();
  }

  /** Sampled dataset keys the collection did not hold, over the window; empty without a dataset. */
  public OptionalDouble missingRatio() {
    return missing.ratio();
  }

  private List<Object> datasetKeys(int n) {
    Dataset d = dataset.get();
    int count = d.base().orElseThrow().count();
    // n distinct positions (n is small next to count, so rejection sampling ends fast)
    LinkedHashSet<Integer> picked = new LinkedHashSet<>();
    while (picked.size() < Math.min(n, count)) {
      picked.add(random.nextInt(count));
    }
    List<Object> keys = new ArrayList<>(picked.size());
    for (int p : picked) {
      keys.add(d.keyOf(p));
    }
    return keys;
  }

  private List<Object> cursorKeys(Session s, int n) {
    List<Object> page = page(s, cursor);
    if (page.isEmpty() && cursor != null) {
      cursor = null; // wrapped around: start again from the smallest key
      page = page(s, null);
    }
    if (page.isEmpty()) {
      return List.of();
    }
    Object max = page.get(0);
    for (Object k : page) {
      if (compare(k, max) > 0) {
        max = k;
      }
    }
    cursor = max;
    List<Object> picked = new ArrayList<>(n);
    List<Object> pool = new ArrayList<>(page);
    while (picked.size() < n && !pool.isEmpty()) {
      picked.add(pool.remove(random.nextInt(pool.size())));
    }
    return picked;
  }

  private List<Object> page(Session s, Object after) {
    String field = s.info().keyField();
    String expr =
        Keys.and(
            settings.filter().orElse(""), after == null ? "" : field + " > " + Keys.literal(after));
    QueryReq.QueryReqBuilder b =
        QueryReq.builder()
            .collectionName(settings.collection())
            .partitionNames(new ArrayList<>(settings.partitions()))
            .outputFields(List.of(field))
            .limit(PAGE)
            .consistencyLevel(Searches.consistency(settings).orElse(null));
    // Milvus needs some expression with a limit; match everything when there is none
    b.filter(
        expr.isEmpty()
            ? (s.info().primaryType() == CollectionInfo.KeyType.VARCHAR && s.info().keyIsPrimary()
                ? field + " != \"\""
                : field + " >= " + Long.MIN_VALUE)
            : expr);
    List<Object> out = new ArrayList<>();
    for (QueryResp.QueryResult r : s.client().query(b.build()).getQueryResults()) {
      out.add(normal(r.getEntity().get(field)));
    }
    return out;
  }

  private static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Long.compare(x.longValue(), y.longValue());
    }
    return String.valueOf(a).compareTo(String.valueOf(b));
  }

  /** Integer keys compare as Long whatever boxed type the SDK returned. */
  private static Object normal(Object key) {
    return key instanceof Number n ? (Object) n.longValue() : key;
  }

  static float[] floats(Object vector) {
    if (vector instanceof float[] f) {
      return f;
    }
    if (vector instanceof List<?> l) {
      float[] out = new float[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) l.get(i)).floatValue();
      }
      return out;
    }
    throw new IllegalStateException(
        "unexpected vector value " + (vector == null ? "null" : vector.getClass()));
  }

  /** The last {@code capacity} booleans; the ratio of trues among them. */
  static final class Window {
    private final boolean[] ring;
    private int next;
    private int size;
    private int trues;

    Window(int capacity) {
      this.ring = new boolean[capacity];
    }

    void add(boolean v) {
      if (size == ring.length) {
        if (ring[next]) {
          trues--;
        }
      } else {
        size++;
      }
      ring[next] = v;
      if (v) {
        trues++;
      }
      next = (next + 1) % ring.length;
    }

    int size() {
      return size;
    }

    OptionalDouble ratio() {
      return size == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) trues / size);
    }
  }
}
