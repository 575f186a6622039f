package io.vecwatch.probe;

import io.vecwatch.target.Health;
import io.vecwatch.target.SearchResult;
import io.vecwatch.target.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/** A target for tests whose answers the test scripts; it remembers every query it was sent. */
final class ScriptedTarget implements Target {
  interface Search {
    SearchResult search(float[] query, int k) throws Exception;
  }

  private final Search search;
  final List<float[]> queries = new CopyOnWriteArrayList<>();
  volatile Health health = Health.up();
  volatile Exception healthFailure;
  volatile long entities = 42;

  ScriptedTarget(Search search) {
    this.search = search;
  }

  static ScriptedTarget answering(BiFunction<float[], Integer, SearchResult> f) {
    return new ScriptedTarget(f::apply);
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public String kind() {
    return "scripted";
  }

  @Override
  public SearchResult search(float[] query, int k) throws Exception {
    queries.add(query);
    return search.search(query, k);
  }

  @Override
  public Health health() throws Exception {
    Exception f = healthFailure;
    if (f != null) {
      throw f;
    }
    return health;
  }

  @Override
  public long entityCount() {
    return entities;
  }
}
