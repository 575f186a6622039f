package io.vecwatch.target;

/**
 * A remote target that can open further, independent connections to the same index: {@code vecwatch
 * bench load} gives each of its workers its own, as one client process per worker would, so that
 * workers do not queue behind each other on one channel. In-process targets do not implement it (a
 * second instance would be a second index); their workers share the one instance.
 *
 * <pre>{@code
 * if (target instanceof MultiConnection m) {
 *   try (Target second = m.newConnection()) { ... }
 * }
 * }</pre>
 */
public interface MultiConnection {
  /**
   * A new target with the same settings over a connection of its own; it connects as this one did
   * (possibly in the background: wait for its first answer). The caller closes it; closing it never
   * closes this one.
   */
  Target newConnection() throws Exception;
}
