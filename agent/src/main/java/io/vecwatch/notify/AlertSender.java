package io.vecwatch.notify;

import java.util.List;

/** Where evaluated alerts go; implementations must not block the caller (they queue). */
@FunctionalInterface
public interface AlertSender {
  void send(List<PostableAlert> alerts);

  /** Discards everything (promtool-style tests, or no Alertmanager configured). */
  AlertSender NONE = alerts -> {};
}
