package io.vecwatch.probe;

import java.util.ArrayList;
import java.util.List;

/**
 * Optional hooks the probe runner calls for every finished search: tracing and the event log plug
 * in here, so the runner knows nothing about OTLP or Loki. Implementations never block and never
 * throw.
 *
 * <p>The runner calls {@link #onResult} on the thread that records the search's statistics, just
 * before it records them, and closes the returned {@link Scope} right after:
 *
 * <pre>{@code
 * try (ProbeListener.Scope s = listener.onResult(observation)) {
 *   latencyTimer.record(observation.latencyNanos(), NANOSECONDS); // exemplar gets the span's trace id
 * }
 * }</pre>
 *
 * A tracer makes the search's span current in between, which is how histogram exemplars carry its
 * trace id.
 */
public interface ProbeListener {

  /** Ends what {@link #onResult} opened; never throws. */
  interface Scope extends AutoCloseable {
    Scope NONE = () -> {};

    @Override
    void close();
  }

  ProbeListener NONE = o -> Scope.NONE;

  Scope onResult(ProbeObservation observation);

  /**
   * Calls every listener in order; scopes are closed in reverse order. A failing listener is
   * skipped.
   */
  static ProbeListener all(List<ProbeListener> listeners) {
    List<ProbeListener> copy = List.copyOf(listeners);
    if (copy.isEmpty()) {
      return NONE;
    }
    if (copy.size() == 1) {
      return copy.get(0);
    }
    return o -> {
      List<Scope> scopes = new ArrayList<>(copy.size());
      for (ProbeListener l : copy) {
        try {
          scopes.add(l.onResult(o));
        } catch (RuntimeException e) {
          // A listener bug must not stop probing or the other listeners.
        }
      }
      return () -> {
        for (int i = scopes.size() - 1; i >= 0; i--) {
          try {
            scopes.get(i).close();
          } catch (RuntimeException e) {
            // same as above
          }
        }
      };
    };
  }
}
