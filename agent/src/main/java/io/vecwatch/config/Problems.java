package io.vecwatch.config;

import io.vecwatch.config.YamlTree.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Collects every validation problem of one config load, each tagged with its path ({@code
 * targets[1].uri: must be set}). {@link #list()} returns them in document order: a problem sorts at
 * the line of its key, or of the nearest enclosing mapping or list item that exists in the file (a
 * missing key sorts where its mapping starts); problems at the same place keep the order they were
 * found in.
 */
public final class Problems {
  private record Entry(Position position, int seq, String text) {}

  private final List<Entry> items = new ArrayList<>();
  private final Map<String, Position> positions;

  /**
   * Problems of a tree that has no positions (built in code): listed in the order they are added.
   */
  public Problems() {
    this(Map.of());
  }

  Problems(Map<String, Position> positions) {
    this.positions = positions;
  }

  public void add(String path, String message) {
    add(path, positionOf(path), message);
  }

  void add(String path, Position position, String message) {
    items.add(new Entry(position, items.size(), path.isEmpty() ? message : path + ": " + message));
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** One line per problem, {@code path: message}, in document order. */
  public List<String> list() {
    return items.stream()
        .sorted(Comparator.comparing(Entry::position).thenComparingInt(Entry::seq))
        .map(Entry::text)
        .toList();
  }

  /** Where {@code path} starts, or where the nearest enclosing node that is in the file starts. */
  private Position positionOf(String path) {
    String p = path;
    while (true) {
      Position at = positions.get(p);
      if (at != null) {
        return at;
      }
      if (p.isEmpty()) {
        return Position.START;
      }
      p = ConfigNode.parentOf(p);
    }
  }
}
