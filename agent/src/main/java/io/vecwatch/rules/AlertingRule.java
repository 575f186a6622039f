package io.vecwatch.rules;

import io.vecwatch.notify.PostableAlert;
import io.vecwatch.promtext.Labels;
import io.vecwatch.promtext.Sample;
import io.vecwatch.rules.promql.EvalException;
import io.vecwatch.rules.template.Template;
import io.vecwatch.rules.template.TemplateData;
import io.vecwatch.rules.template.TemplateException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An alerting rule with Prometheus' state machine ({@code rules/alerting.go}): a new result element
 * becomes pending; it fires once it has been present at every evaluation for {@code for}; a pending
 * alert whose element disappears is dropped; a firing one resolves (or keeps firing for {@code
 * keep_firing_for}); resolved alerts are kept, and re-sent, for 15 minutes. Evaluation decides
 * state; {@link #sendAlerts} decides what to send.
 */
public final class AlertingRule extends Rule {
  /** How long resolved alerts are kept and re-sent (Prometheus' resolvedRetention). */
  public static final long RESOLVED_RETENTION_MS = 15 * 60 * 1000L;

  private final Map<Labels, Alert> active = new LinkedHashMap<>();
  private final long holdMillis;
  private final long keepFiringMillis;

  AlertingRule(RuleSpec spec) {
    super(spec);
    this.holdMillis = spec.holdDuration().toMillis();
    this.keepFiringMillis = spec.keepFiringFor().toMillis();
  }

  @Override
  List<Sample> eval(long t, EvalContext ctx, int limit) {
    List<Sample> res = query(ctx, spec(), t);
    Map<Labels, Alert> fresh = new LinkedHashMap<>();
    for (Sample smpl : res) {
      TemplateData data =
          new TemplateData(
              smpl.labels().asMap(), smpl.value(), ctx.externalLabels(), ctx.externalURL());
      Labels.Builder lb = smpl.labels().toBuilder().delete(Labels.NAME);
      for (Map.Entry<String, Template> l : spec().labels().entrySet()) {
        lb.set(l.getKey(), expand(l.getValue(), data));
      }
      lb.set("alertname", name());
      Labels labels = lb.build();
      SortedMap<String, String> annotations;
      Alert known = active.get(labels); // only this thread mutates `active`
      if (known != null
          && known.state != AlertState.INACTIVE
          && smpl.labels().equals(known.source)
          && Double.doubleToRawLongBits(known.value) == Double.doubleToRawLongBits(smpl.value())) {
        annotations =
            known.annotations; // same sample and value: the templates would expand to the same text
      } else {
        annotations = new TreeMap<>();
        for (Map.Entry<String, Template> a : spec().annotations().entrySet()) {
          annotations.put(a.getKey(), expand(a.getValue(), data));
        }
      }
      if (fresh.containsKey(labels)) {
        throw new EvalException(
            "vector contains metrics with the same labelset after applying alert labels");
      }
      Alert a = new Alert(labels, annotations, t, smpl.value());
      a.source = smpl.labels();
      fresh.put(labels, a);
    }
    List<Sample> out = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<Labels, Alert> e : fresh.entrySet()) {
        Alert existing = active.get(e.getKey());
        if (existing != null && existing.state != AlertState.INACTIVE) {
          existing.value = e.getValue().value;
          existing.annotations = e.getValue().annotations;
          existing.source = e.getValue().source;
          continue;
        }
        active.put(e.getKey(), e.getValue());
      }
      int activePending = 0;
      for (Iterator<Map.Entry<Labels, Alert>> it = active.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Labels, Alert> e = it.next();
        Alert a = e.getValue();
        if (!fresh.containsKey(e.getKey())) {
          if (a.holdUntil != Alert.NONE && t < a.holdUntil && a.state != AlertState.INACTIVE) {
            // Restored at start and its series are not back yet: keep it as it was (no resolve, no
            // `for` reset).
            activePending++;
            out.add(new Sample(alertsSeries(a), 1));
            out.add(new Sample(forStateSeries(a), Math.floorDiv(a.activeAt, 1000L)));
            continue;
          }
          a.holdUntil = Alert.NONE;
          boolean keepFiring = false;
          if (a.state == AlertState.FIRING && keepFiringMillis > 0) {
            if (a.keepFiringSince == Alert.NONE) {
              a.keepFiringSince = t;
            }
            if (t - a.keepFiringSince < keepFiringMillis) {
              keepFiring = true;
            }
          }
          if (a.state == AlertState.PENDING
              || (a.resolvedAt != Alert.NONE && t - a.resolvedAt > RESOLVED_RETENTION_MS)) {
            it.remove();
          }
          if (a.state != AlertState.INACTIVE && !keepFiring) {
            a.state = AlertState.INACTIVE;
            a.resolvedAt = t;
          }
          if (!keepFiring) {
            continue;
          }
        } else {
          a.keepFiringSince = Alert.NONE;
          a.holdUntil = Alert.NONE;
        }
        activePending++;
        if (a.state == AlertState.PENDING && t - a.activeAt >= holdMillis) {
          a.state = AlertState.FIRING;
          a.firedAt = t;
        }
        if (a.state == AlertState.FIRING && t - a.activeAt < holdMillis) {
          // A reload lengthened `for`: back to pending, as Prometheus does.
          a.state = AlertState.PENDING;
          a.firedAt = Alert.NONE;
          a.lastSentAt = Alert.NONE;
          a.keepFiringSince = Alert.NONE;
        }
        out.add(new Sample(alertsSeries(a), 1));
        out.add(new Sample(forStateSeries(a), Math.floorDiv(a.activeAt, 1000L)));
      }
      if (limit > 0 && activePending > limit) {
        active.clear();
        throw new EvalException(
            "exceeded limit of " + limit + " with " + activePending + " alerts");
      }
    }
    return out;
  }

  private static String expand(Template t, TemplateData data) {
    if (t.isConstant()) {
      return t.text();
    }
    try {
      return t.expand(data);
    } catch (TemplateException e) {
      return "<error expanding template: " + e.getMessage() + ">";
    }
  }

  private Labels ruleLabelsPlus(Alert a) {
    Labels.Builder b = Labels.builder();
    for (Map.Entry<String, Template> l : spec().labels().entrySet()) {
      b.set(l.getKey(), l.getValue().text());
    }
    for (int i = 0; i < a.labels.size(); i++) {
      b.set(a.labels.nameAt(i), a.labels.valueAt(i));
    }
    return b.set("alertname", name()).build().toBuilder().build();
  }

  /** {@code ALERTS{alertname, alertstate, <labels>} 1}. */
  private Labels alertsSeries(Alert a) {
    if (a.alertsSeries == null
        || a.seriesState != a.state) { // the same instance while the state holds
      a.alertsSeries =
          ruleLabelsPlus(a).toBuilder()
              .set(Labels.NAME, "ALERTS")
              .set("alertstate", a.state.toString())
              .build();
      a.seriesState = a.state;
    }
    return a.alertsSeries;
  }

  /** {@code ALERTS_FOR_STATE{alertname, <labels>} = ActiveAt} in unix seconds. */
  private Labels forStateSeries(Alert a) {
    if (a.forStateSeries == null) {
      a.forStateSeries = ruleLabelsPlus(a).toBuilder().set(Labels.NAME, "ALERTS_FOR_STATE").build();
    }
    return a.forStateSeries;
  }

  /**
   * Prometheus' {@code sendAlerts}: marks every alert that needs sending as sent at {@code t}, sets
   * ValidUntil to {@code t + 4 × max(interval, resendDelay)} and hands them to {@code sender} with
   * {@code startsAt = FiredAt} and {@code endsAt = ResolvedAt} or ValidUntil.
   */
  /**
   * A relative {@code runbook_url} ({@code docs/runbooks.md#...}) made absolute against the agent's
   * external URL, which serves the runbooks, so the link is clickable in Alertmanager's UI and in
   * notifications.
   */
  static Map<String, String> absoluteRunbook(Map<String, String> annotations, String externalURL) {
    String r = annotations.get("runbook_url");
    if (r == null
        || r.isEmpty()
        || r.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")
        || externalURL.isEmpty()) {
      return annotations;
    }
    Map<String, String> out = new LinkedHashMap<>(annotations);
    out.put("runbook_url", externalURL.replaceAll("/+$", "") + "/" + r.replaceFirst("^/+", ""));
    return out;
  }

  void sendAlerts(long t, long intervalMillis, EvalContext ctx) {
    long resend = ctx.resendDelay().toMillis();
    List<PostableAlert> out = new ArrayList<>();
    String generatorURL = generatorURL(ctx.externalURL(), spec().exprText());
    synchronized (this) {
      for (Alert a : active.values()) {
        if (!a.needsSending(t, resend)) {
          continue;
        }
        a.lastSentAt = t;
        a.validUntil = t + 4 * Math.max(intervalMillis, resend);
        long end = a.resolvedAt != Alert.NONE ? a.resolvedAt : a.validUntil;
        Instant starts = a.firedAt == Alert.NONE ? null : Instant.ofEpochMilli(a.firedAt);
        out.add(
            new PostableAlert(
                a.labels,
                absoluteRunbook(a.annotations, ctx.externalURL()),
                starts,
                Instant.ofEpochMilli(end),
                generatorURL));
      }
    }
    if (!out.isEmpty()) {
      ctx.sender().send(out);
    }
  }

  /** Prometheus' {@code externalURL + TableLinkForExpression(expr)}. */
  static String generatorURL(String externalURL, String expr) {
    return externalURL
        + "/graph?g0.expr="
        + URLEncoder.encode(expr.strip(), StandardCharsets.UTF_8)
        + "&g0.tab=1";
  }

  /** Copies of every alert this rule holds, resolved ones included. */
  public synchronized List<AlertSnapshot> alerts() {
    List<AlertSnapshot> out = new ArrayList<>(active.size());
    for (Alert a : active.values()) {
      out.add(a.snapshot());
    }
    return out;
  }

  /** The highest state of any alert: firing > pending > inactive. */
  public synchronized AlertState state() {
    AlertState max = AlertState.INACTIVE;
    for (Alert a : active.values()) {
      if (a.state.compareTo(max) > 0) {
        max = a.state;
      }
    }
    return max;
  }

  /** Takes over alert state (reload); existing alerts with the same labels are replaced. */
  synchronized void restore(List<AlertSnapshot> alerts) {
    restore(alerts, Alert.NONE);
  }

  /**
   * Takes over alert state read back at start: until {@code holdUntil}, an alert whose series are
   * missing from the result keeps its state (it is neither dropped nor resolved) so that a restart
   * does not re-page.
   */
  synchronized void restore(List<AlertSnapshot> alerts, long holdUntil) {
    for (AlertSnapshot s : alerts) {
      Alert a = Alert.restore(s);
      a.holdUntil = holdUntil;
      active.put(s.labels(), a);
    }
  }

  long holdMillis() {
    return holdMillis;
  }
}
