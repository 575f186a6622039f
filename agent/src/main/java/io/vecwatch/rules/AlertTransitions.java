package io.vecwatch.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Told when an alert changes state ({@code inactive}, {@code pending}, {@code firing}), e.g. by the
 * event log that sends such lines to Loki. Derived after each evaluation tick by comparing every
 * alerting rule's alerts with the previous tick's, so the state machine itself stays untouched.
 * Called on the evaluation thread; must not block.
 */
@FunctionalInterface
public interface AlertTransitions {
  AlertTransitions NONE = (alertname, labels, from, to) -> {};

  void changed(String alertname, Map<String, String> labels, AlertState from, AlertState to);

  /**
   * Remembers the last tick's alerts; {@link #observe} reports the differences. Confined to one
   * thread.
   */
  final class Tracker {
    private Map<String, AlertSnapshot> previous = new HashMap<>();

    /**
     * Compares the alerts of {@code groups} with the last call's and reports each change to {@code
     * to}.
     */
    void observe(List<RuleGroup> groups, AlertTransitions to) {
      Map<String, AlertSnapshot> now = new HashMap<>();
      for (RuleGroup g : groups) {
        for (Rule r : g.rules()) {
          if (r instanceof AlertingRule ar) {
            for (AlertSnapshot a : ar.alerts()) {
              now.put(g.name() + "\u0000" + r.spec().identity() + "\u0000" + a.labels(), a);
            }
          }
        }
      }
      for (Map.Entry<String, AlertSnapshot> e : now.entrySet()) {
        AlertSnapshot before = previous.get(e.getKey());
        AlertState from = before == null ? AlertState.INACTIVE : before.state();
        if (from != e.getValue().state()) {
          report(to, e.getValue(), from, e.getValue().state());
        }
      }
      // A pending alert whose condition stopped is deleted outright: that is a change to inactive
      // too.
      for (Map.Entry<String, AlertSnapshot> e : previous.entrySet()) {
        if (!now.containsKey(e.getKey()) && e.getValue().state() != AlertState.INACTIVE) {
          report(to, e.getValue(), e.getValue().state(), AlertState.INACTIVE);
        }
      }
      previous = now;
    }

    private static void report(
        AlertTransitions to, AlertSnapshot a, AlertState from, AlertState state) {
      Map<String, String> labels = new HashMap<>(a.labels().toMap());
      String name = labels.remove("alertname");
      to.changed(name == null ? "" : name, labels, from, state);
    }
  }
}
