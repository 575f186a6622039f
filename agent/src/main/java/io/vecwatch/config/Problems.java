package io.vecwatch.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every validation problem of one config load, each tagged with its path, in document order. */
public final class Problems {
  private final List<String> items = new ArrayList<>();

  public void add(String path, String message) {
    items.add(path.isEmpty() ? message : path + ": " + message);
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  public List<String> list() {
    return List.copyOf(items);
  }
}
