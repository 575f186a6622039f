package io.vecwatch.web;

import com.sun.management.OperatingSystemMXBean;
import io.vecwatch.notify.AlertmanagerNotifier;
import io.vecwatch.rules.AlertSnapshot;
import io.vecwatch.rules.AlertState;
import io.vecwatch.rules.AlertingRule;
import io.vecwatch.rules.AlertingService;
import io.vecwatch.rules.Rule;
import io.vecwatch.rules.RuleGroup;
import io.vecwatch.stats.AgentSnapshot;
import io.vecwatch.stats.LatencyQuantiles;
import io.vecwatch.stats.ProbeSnapshot;
import io.vecwatch.stats.ProbeWindowStats;
import io.vecwatch.stats.RecallWindow;
import io.vecwatch.stats.RecentProbes;
import io.vecwatch.stats.TargetSnapshot;
import io.vecwatch.stats.TargetState;
import io.vecwatch.time.Clock;
import io.vecwatch.time.Durations;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The page at {@code /}: what an on-call engineer opens first. Rendered on the server, complete
 * without JavaScript ({@code status.js} only swaps in {@link #fragment()} every few seconds and
 * shows probe results in place). Every value from config, a database or the rule engine is escaped
 * with {@link Html#esc}; the page loads no script or style from elsewhere.
 */
final class StatusPage {
  static final int REFRESH_SECONDS = 5;
  private static final int OK_ROWS = 10;
  private static final int FAILED_ROWS = 15;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final StatusSources sources;
  private final AgentInfo info;
  private final StatusHistory history;
  private final Clock clock;

  StatusPage(StatusSources sources, AgentInfo info, StatusHistory history, Clock clock) {
    this.sources = sources;
    this.info = info;
    this.history = history;
    this.clock = clock;
  }

  /** The objectives in force: the loaded alert rules' thresholds where they have them. */
  Objectives objectives() {
    List<String> exprs = new ArrayList<>();
    sources
        .alerting()
        .ifPresent(
            a -> {
              for (RuleGroup g : a.engine().groups()) {
                for (Rule r : g.rules()) {
                  if (r instanceof AlertingRule) {
                    exprs.add(r.spec().exprText());
                  }
                }
              }
            });
    return Objectives.from(exprs);
  }

  /**
   * Takes one sample of every target for the sparklines and state durations (called every few
   * seconds).
   */
  void sample() {
    AgentSnapshot s = sources.snapshot();
    Objectives o = objectives();
    for (TargetSnapshot t : s.targets()) {
      double p99 = Double.NaN;
      double recall = Double.NaN;
      if (!t.probes().isEmpty()) {
        ProbeWindowStats w = t.probes().get(0).window();
        p99 = w.latency().p99();
        recall = w.recall().isEmpty() ? Double.NaN : w.recall().get(0).mean();
      }
      history.observe(t.name(), s.wallMillis(), state(t, o).label, p99, recall);
    }
  }

  /** The whole page. */
  String page() {
    StringBuilder b = new StringBuilder(24_000);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>vecwatch status</title><link rel=\"stylesheet\" href=\"status.css\">")
        .append("<noscript><meta http-equiv=\"refresh\" content=\"30\"></noscript>")
        .append("<script src=\"status.js\" defer></script></head><body>\n");
    b.append("<header><h1>vecwatch</h1><span class=\"sub\">")
        .append(Html.esc(info.configFile()))
        .append(" · version ")
        .append(Html.esc(info.version()))
        .append("</span> <span id=\"refreshed\" class=\"sub\">as of ")
        .append(TIME.format(Instant.ofEpochMilli(clock.wallMillis())))
        .append("</span>")
        .append("<noscript><span class=\"sub\"> · reloads every 30 s</span></noscript></header>\n");
    b.append("<main id=\"status\" data-refresh=\"").append(REFRESH_SECONDS).append("\">");
    b.append(fragment());
    b.append("</main>\n");
    b.append(
            "<section id=\"probe\"><h2>Probe on demand</h2><p class=\"sub\">The buttons in the targets table run "
                + "one search now, outside the schedule (")
        .append(ProbeEndpoint.LIMIT_TEXT)
        .append(
            "). Without JavaScript they open the JSON; add <code>&amp;debug=true</code> for a trace.</p>")
        .append("<pre id=\"probe-out\" aria-live=\"polite\">No probe run yet.</pre></section>\n");
    b.append("</body></html>\n");
    return b.toString();
  }

  /** Everything that refreshes: the inside of {@code <main>}. */
  String fragment() {
    AgentSnapshot s = sources.snapshot();
    Objectives o = objectives();
    Optional<AlertingService> alerting = sources.alerting();
    StringBuilder b = new StringBuilder(20_000);
    targets(b, s, o);
    demo(b);
    alerts(b, alerting);
    rules(b, alerting);
    alertmanager(b, alerting);
    recent(b, s);
    agent(b, s, alerting);
    return b.toString();
  }

  // ---- targets

  /** A target's state as the page shows it, with why. */
  record State(String label, String css, String why, String missed) {
    State(String label, String css, String why) {
      this(label, css, why, "");
    }
  }

  static State state(TargetSnapshot t, Objectives o) {
    if (t.state() == TargetState.MISCONFIGURED) {
      return new State("misconfigured", "bad", t.lastError().orElse(""));
    }
    if (t.state() == TargetState.UNKNOWN) {
      return new State("not yet probed", "na", "");
    }
    if (t.state() == TargetState.DOWN) {
      return new State("down", "bad", String.join("; ", t.health().reasons()));
    }
    List<String> missed = new ArrayList<>();
    for (ProbeSnapshot p : t.probes()) {
      ProbeWindowStats w = p.window();
      LatencyQuantiles q = w.latency();
      above(missed, "P50", q.p50(), o.p50(), true);
      above(missed, "P95", q.p95(), o.p95(), true);
      above(missed, "P99", q.p99(), o.p99(), true);
      above(missed, "errors", w.errorRatio(), o.errorRatio(), false);
      above(missed, "timeouts", w.timeoutRatio(), o.timeoutRatio(), false);
      for (RecallWindow r : w.recall()) {
        double min = o.recallAt(r.k());
        if (Double.isFinite(r.mean()) && Double.isFinite(min) && r.mean() < min) {
          missed.add("recall@" + r.k() + " " + ratio(r.mean()) + " < " + ratio(min));
        }
      }
    }
    if (missed.isEmpty()) {
      return new State("up", "ok", "");
    }
    // each entry starts with what it measures ("P99 250.7 ms > 100.0 ms"): the names alone for the
    // short form
    List<String> names =
        missed.stream().map(m -> m.substring(0, m.indexOf(' '))).distinct().toList();
    return new State("degraded", "warn", String.join("; ", missed), String.join(", ", names));
  }

  private static void above(List<String> out, String what, double v, double max, boolean latency) {
    if (Double.isFinite(v) && Double.isFinite(max) && v > max) {
      out.add(
          what
              + " "
              + (latency ? seconds(v) : percent(v))
              + " > "
              + (latency ? seconds(max) : percent(max)));
    }
  }

  private void targets(StringBuilder b, AgentSnapshot s, Objectives o) {
    b.append("<section id=\"targets\"><h2>Targets</h2>");
    if (s.targets().isEmpty()) {
      b.append("<p>No targets configured.</p></section>");
      return;
    }
    b.append(
        "<div class=\"scroll\"><table class=\"cards\"><thead><tr><th>Target</th><th>State</th><th>Kind</th>"
            + "<th>Canary rate</th><th>P50</th><th>P95</th><th>P99</th><th>Errors</th><th>Timeouts</th>"
            + "<th>Recall (queries)</th><th>Entities</th><th>Last error</th><th>Last 30 min</th><th>Probe</th>"
            + "</tr></thead><tbody>");
    long now = s.wallMillis();
    for (TargetSnapshot t : s.targets()) {
      State st = state(t, o);
      String name = Html.esc(t.name());
      b.append("<tr class=\"target\" data-target=\"")
          .append(name)
          .append("\"><td data-label=\"Target\"><b>")
          .append(name)
          .append("</b>");
      if (!t.labels().isEmpty()) {
        b.append("<br>");
        labels(b, t.labels());
      }
      b.append("</td><td data-label=\"State\" class=\"state ").append(st.css).append("\"");
      if (!st.why.isEmpty()) {
        b.append(" title=\"").append(Html.esc(st.why)).append('"');
      }
      b.append("><span class=\"state-text\">").append(st.label).append("</span>");
      StatusHistory.Series h = history.series(t.name());
      if (h != null && st.label.equals(h.state()) && h.stateSinceMillis() > 0) {
        b.append(" <span class=\"sub\">for ")
            .append(ago(now - h.stateSinceMillis()))
            .append("</span>");
      }
      if (!st.why.isEmpty()
          && st.label.equals("degraded")) { // down/misconfigured: the last error says why
        // the names only (the cells show the values); the whole reason is the cell's title
        b.append("<br><span class=\"sub why\">misses ")
            .append(Html.esc(st.missed))
            .append("</span>");
      }
      b.append("</td><td data-label=\"Kind\">").append(Html.esc(t.kind())).append("</td>");
      Optional<ProbeSnapshot> first = t.probes().stream().findFirst();
      if (first.isEmpty()) {
        b.append("<td data-label=\"Probes\" colspan=\"7\" class=\"na\">no probe configured</td>");
      } else {
        ProbeWindowStats w = first.get().window();
        LatencyQuantiles q = w.latency();
        cell(
            b,
            "Canary rate",
            Double.isFinite(w.requestsPerSecond())
                ? String.format(Locale.ROOT, "%.1f/s", w.requestsPerSecond())
                : "–",
            "",
            "");
        latency(b, "P50", q.p50(), o.p50());
        latency(b, "P95", q.p95(), o.p95());
        latency(b, "P99", q.p99(), o.p99());
        ratioCell(b, "Errors", w.errorRatio(), o.errorRatio());
        ratioCell(b, "Timeouts", w.timeoutRatio(), o.timeoutRatio());
        b.append("<td data-label=\"Recall\" class=\"recall\">");
        for (RecallWindow r : w.recall()) {
          double min = o.recallAt(r.k());
          String css =
              !Double.isFinite(r.mean())
                  ? "na"
                  : Double.isFinite(min) && r.mean() < min ? "bad" : "ok";
          b.append("<span class=\"")
              .append(css)
              .append("\" data-k=\"")
              .append(r.k())
              .append("\" data-value=\"")
              .append(Double.isFinite(r.mean()) ? Double.toString(r.mean()) : "")
              .append('"');
          if (Double.isFinite(min)) {
            b.append(" title=\"objective ≥ ").append(ratio(min)).append('"');
          }
          b.append(">@")
              .append(r.k())
              .append(' ')
              .append(Double.isFinite(r.mean()) ? ratio(r.mean()) : "–")
              .append(" <span class=\"sub\">(")
              .append(r.queries())
              .append(")</span></span><br>");
        }
        b.append("</td>");
      }
      b.append("<td data-label=\"Entities\">");
      entities(b, t);
      b.append("</td><td data-label=\"Last error\" class=\"err\">");
      if (t.lastError().isPresent()) {
        b.append(Html.esc(t.lastError().get()));
        if (t.lastErrorWallMillis().isPresent()) {
          b.append("<br><span class=\"sub\">");
          time(b, t.lastErrorWallMillis().getAsLong(), now);
          b.append("</span>");
        }
      } else {
        b.append("<span class=\"na\">none</span>");
      }
      b.append("</td><td data-label=\"Last 30 min\" class=\"trend\">");
      if (h != null && h.p99().length > 0) {
        b.append(
                Sparkline.svg(
                    h.p99(),
                    StatusHistory.SLOTS,
                    o.p99(),
                    "P99 latency of " + t.name() + ", last 30 minutes"))
            .append("<span class=\"sub\">P99</span><br>");
        if (first.isPresent() && !first.get().window().recall().isEmpty()) {
          int k = first.get().window().recall().get(0).k();
          b.append(
                  Sparkline.svg(
                      h.recall(),
                      StatusHistory.SLOTS,
                      o.recallAt(k),
                      "recall@" + k + " of " + t.name() + ", last 30 minutes"))
              .append("<span class=\"sub\">recall@")
              .append(k)
              .append("</span>");
        }
      } else {
        b.append("<span class=\"na\">collecting</span>");
      }
      b.append("</td><td data-label=\"Probe\">");
      if (first.isPresent()) {
        b.append(
                "<form class=\"probe\" action=\"probe\" method=\"get\"><input type=\"hidden\" name=\"target\" "
                    + "value=\"")
            .append(name)
            .append(
                "\"><input name=\"query\" type=\"number\" min=\"0\" "
                    + "placeholder=\"next\" aria-label=\"query number for ")
            .append(name)
            .append("\"><button type=\"submit\">Probe now</button></form>");
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table></div><p class=\"sub\">Colours: objectives from ")
        .append(Html.esc(o.source()))
        .append(
            " — <span class=\"ok\">met</span>, <span class=\"bad\">missed</span>, <span class=\"na\">no data"
                + "</span>. Statistics over each probe's window; recall with the number of queries behind it.</p>"
                + "</section>");
  }

  private static void cell(StringBuilder b, String label, String text, String css, String title) {
    b.append("<td data-label=\"").append(label).append('"');
    if (!css.isEmpty()) {
      b.append(" class=\"").append(css).append('"');
    }
    if (!title.isEmpty()) {
      b.append(" title=\"").append(Html.esc(title)).append('"');
    }
    b.append('>').append(text).append("</td>");
  }

  private static void latency(StringBuilder b, String label, double v, double max) {
    String css = !Double.isFinite(v) ? "na" : Double.isFinite(max) && v > max ? "bad" : "ok";
    cell(
        b,
        label,
        Double.isFinite(v) ? seconds(v) : "–",
        css,
        Double.isFinite(max) ? "objective < " + seconds(max) : "");
  }

  private static void ratioCell(StringBuilder b, String label, double v, double max) {
    String css = !Double.isFinite(v) ? "na" : Double.isFinite(max) && v > max ? "bad" : "ok";
    cell(
        b,
        label,
        Double.isFinite(v) ? percent(v) : "–",
        css,
        Double.isFinite(max) ? "objective ≤ " + percent(max) : "");
  }

  private static void entities(StringBuilder b, TargetSnapshot t) {
    OptionalLong e = t.entities();
    OptionalLong x = t.expectedEntities();
    if (e.isEmpty()) {
      b.append("<span class=\"na\">–</span>");
    } else {
      boolean mismatch = x.isPresent() && x.getAsLong() != e.getAsLong();
      b.append("<span class=\"")
          .append(mismatch ? "bad" : x.isPresent() ? "ok" : "")
          .append("\">")
          .append(e.getAsLong())
          .append("</span>");
    }
    if (x.isPresent()) {
      b.append(" <span class=\"sub\">of ").append(x.getAsLong()).append(" expected</span>");
    }
  }

  private static void labels(StringBuilder b, Map<String, String> labels) {
    labels.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                b.append("<span class=\"label\">")
                    .append(Html.esc(e.getKey()))
                    .append("=\"")
                    .append(Html.esc(e.getValue()))
                    .append("\"</span> "));
  }

  // ---- demo fault

  private void demo(StringBuilder b) {
    if (info.demoFault().isEmpty()) {
      return;
    }
    DemoFault d = info.demoFault().get();
    b.append("<section id=\"demo\"><h2>Demo fault</h2>");
    OptionalLong until = d.activeUntil();
    if (until.isPresent()) {
      b.append("<p class=\"warn\">Active: ").append(Html.esc(d.describe())).append(", until ");
      time(b, until.getAsLong(), clock.wallMillis());
      b.append(".</p>");
    }
    b.append(
            "<form method=\"post\" action=\"-/demo-fault\"><button type=\"submit\" id=\"demo-fault\">Slow down ")
        .append(Html.esc(d.target()))
        .append(" for ")
        .append(DemoFault.DURATION.toMinutes())
        .append(" minutes</button></form><p class=\"sub\">Every search of ")
        .append(Html.esc(d.target()))
        .append(
            " then waits longer than its probe timeout. Watch <b>VecwatchTimeoutRateHigh</b> below: pending "
                + "at once, firing after 2 minutes, resolved about a minute after the fault ends. For demos only: "
                + "a config enables this button with <code>faults: {demo_target: NAME}</code>.</p></section>");
  }

  // ---- alerts and rules

  private void alerts(StringBuilder b, Optional<AlertingService> alerting) {
    b.append("<section id=\"alerts\"><h2>Alerts</h2>");
    if (alerting.isEmpty()) {
      b.append("<p class=\"na\">Alerting is starting.</p></section>");
      return;
    }
    List<AlertSnapshot> active = new ArrayList<>();
    List<AlertSnapshot> resolved = new ArrayList<>();
    for (RuleGroup g : alerting.get().engine().groups()) {
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule ar) {
          for (AlertSnapshot a : ar.alerts()) {
            if (a.isActive() && a.state() != AlertState.INACTIVE) {
              active.add(a);
            } else if (!a.isActive() && a.firedAt() != AlertSnapshot.NONE) {
              resolved.add(a); // fired, then resolved: kept by the rule engine for 15 minutes
            }
          }
        }
      }
    }
    if (active.isEmpty()) {
      b.append("<p class=\"ok\">No alert is pending or firing.</p>");
      if (resolved.isEmpty()) {
        b.append("</section>");
        return;
      }
    }
    active.sort(
        Comparator.comparing((AlertSnapshot a) -> a.state() == AlertState.FIRING ? 0 : 1)
            .thenComparingLong(AlertSnapshot::activeAt));
    resolved.sort(Comparator.comparingLong(AlertSnapshot::resolvedAt).reversed());
    active.addAll(resolved);
    long now = clock.wallMillis();
    b.append(
        "<div class=\"scroll\"><table class=\"cards\"><thead><tr><th>State</th><th>Alert</th><th>Labels</th>"
            + "<th>Active since</th><th>Value</th><th>Summary</th><th>Runbook</th></tr></thead><tbody>");
    for (AlertSnapshot a : active) {
      Map<String, String> labels = new TreeMap<>(a.labels().toMap());
      String name = labels.remove("alertname");
      boolean firing = a.state() == AlertState.FIRING;
      String state = a.isActive() ? a.state().toString() : "resolved";
      b.append("<tr class=\"alert ")
          .append(state)
          .append("\"><td data-label=\"State\" class=\"")
          .append(!a.isActive() ? "ok" : firing ? "bad" : "warn")
          .append("\">")
          .append(state);
      if (!a.isActive()) {
        b.append("<br><span class=\"sub\">");
        time(b, a.resolvedAt(), now);
        b.append("</span>");
      }
      b.append("</td><td data-label=\"Alert\">")
          .append("<b>")
          .append(Html.esc(name))
          .append("</b></td><td data-label=\"Labels\">");
      labels(b, labels);
      b.append("</td><td data-label=\"Active since\">");
      time(b, a.activeAt(), now);
      b.append("</td><td data-label=\"Value\">")
          .append(Html.esc(number(a.value())))
          .append("</td>")
          .append("<td data-label=\"Summary\">")
          .append(Html.esc(a.annotations().getOrDefault("summary", "")))
          .append("</td><td data-label=\"Runbook\">");
      String runbook = a.annotations().getOrDefault("runbook_url", "");
      String href = Html.href(runbook);
      if (!href.isEmpty()) {
        b.append("<a class=\"runbook\" href=\"").append(href).append("\">runbook</a>");
      } else {
        b.append("<span class=\"na\">–</span>");
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table></div></section>");
  }

  private void rules(StringBuilder b, Optional<AlertingService> alerting) {
    b.append("<section id=\"rules\"><h2>Rules</h2>");
    if (alerting.isEmpty()) {
      b.append("</section>");
      return;
    }
    List<RuleGroup> groups = alerting.get().engine().groups();
    if (groups.isEmpty()) {
      b.append(
          "<p class=\"warn\">No rules loaded: add <code>rule_files</code> to the config (the default pack is "
              + "<code>rules/vecwatch.rules.yml</code>).</p></section>");
      return;
    }
    long now = clock.wallMillis();
    int unhealthy = 0;
    StringBuilder rows = new StringBuilder();
    for (RuleGroup g : groups) {
      rows.append("<tr class=\"group\"><th colspan=\"6\">")
          .append(Html.esc(g.name()))
          .append(" <span class=\"sub\">every ")
          .append(Html.esc(Durations.format(g.interval())))
          .append("</span></th></tr>");
      for (Rule r : g.rules()) {
        String health = r.health().toString();
        boolean ok = health.equals("ok");
        if (!ok && !health.equals("unknown")) {
          unhealthy++;
        }
        rows.append("<tr class=\"rule\"><td data-label=\"Rule\">")
            .append(Html.esc(r.name()))
            .append("</td><td data-label=\"Type\">")
            .append(r instanceof AlertingRule ar ? "alert, " + ar.state() : "record")
            .append("</td><td data-label=\"Health\" class=\"")
            .append(ok ? "ok" : health.equals("unknown") ? "na" : "bad")
            .append("\">")
            .append(Html.esc(health))
            .append("</td><td data-label=\"Last evaluation\">");
        if (r.lastEvaluation() == AlertSnapshot.NONE) {
          rows.append("<span class=\"na\">not yet</span>");
        } else {
          time(rows, r.lastEvaluation(), now);
        }
        rows.append("</td><td data-label=\"Took\">")
            .append(seconds(r.evaluationSeconds()))
            .append("</td><td data-label=\"Error\" class=\"err\">")
            .append(Html.esc(r.lastError()))
            .append("</td></tr>");
      }
    }
    b.append("<details id=\"rules-table\"")
        .append(unhealthy > 0 ? " open" : "")
        .append("><summary>")
        .append(groups.stream().mapToInt(g -> g.rules().size()).sum())
        .append(" rules in ")
        .append(groups.size())
        .append(" groups, ")
        .append(unhealthy == 0 ? "all healthy" : unhealthy + " unhealthy")
        .append(
            "</summary><div class=\"scroll\"><table class=\"cards\"><thead><tr><th>Rule</th><th>Type</th>"
                + "<th>Health</th><th>Last evaluation</th><th>Took</th><th>Error</th></tr></thead><tbody>")
        .append(rows)
        .append("</tbody></table></div></details></section>");
  }

  private void alertmanager(StringBuilder b, Optional<AlertingService> alerting) {
    b.append("<section id=\"alertmanager\"><h2>Alertmanager</h2>");
    if (alerting.isEmpty()) {
      b.append("</section>");
      return;
    }
    List<AlertmanagerNotifier.Delivery> ds = alerting.get().deliveries();
    if (ds.isEmpty()) {
      b.append(
          "<p class=\"warn\">No Alertmanager is configured: alerts are evaluated and shown on this page and "
              + "on <a href=\"api/v1/alerts\">/api/v1/alerts</a> (and as <code>ALERTS</code> on /metrics), but "
              + "not sent anywhere. To send them, add to the config file and restart:</p>"
              + "<pre>alerting:\n  alertmanagers:\n    - url: http://alertmanager:9093</pre>"
              + "<p class=\"sub\">See <a href=\"docs/rules.md\">docs/rules.md</a>.</p></section>");
      return;
    }
    long now = clock.wallMillis();
    b.append(
        "<div class=\"scroll\"><table class=\"cards\"><thead><tr><th>URL</th><th>Queue</th><th>Sent</th>"
            + "<th>Errors</th><th>Dropped</th><th>Last delivered</th><th>Last error</th></tr></thead><tbody>");
    for (AlertmanagerNotifier.Delivery d : ds) {
      b.append("<tr><td data-label=\"URL\">")
          .append(Html.esc(d.url()))
          .append("</td><td data-label=\"Queue\">")
          .append(d.queued())
          .append(" / ")
          .append(d.capacity())
          .append("</td><td data-label=\"Sent\">")
          .append(d.sent())
          .append("</td><td data-label=\"Errors\" class=\"")
          .append(d.errors() > 0 ? "warn" : "ok")
          .append("\">")
          .append(d.errors())
          .append("</td><td data-label=\"Dropped\" class=\"")
          .append(d.dropped() > 0 ? "bad" : "ok")
          .append("\">")
          .append(d.dropped())
          .append("</td><td data-label=\"Last delivered\">");
      if (d.lastSentMillis() > 0) {
        time(b, d.lastSentMillis(), now);
      } else {
        b.append("<span class=\"na\">never</span>");
      }
      b.append("</td><td data-label=\"Last error\" class=\"err\">");
      if (d.lastError().isPresent()) {
        b.append(Html.esc(d.lastError().get())).append("<br><span class=\"sub\">");
        time(b, d.lastErrorMillis(), now);
        b.append("</span>");
      } else {
        b.append("<span class=\"na\">none</span>");
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table></div></section>");
  }

  // ---- recent probes

  private void recent(StringBuilder b, AgentSnapshot s) {
    b.append("<section id=\"recent\"><h2>Recent probes</h2><p class=\"sub\">The last ")
        .append(RecentProbes.DEFAULT_OK)
        .append(" successful and ")
        .append(RecentProbes.DEFAULT_FAILED)
        .append(" failed searches per target are kept; up to ")
        .append(OK_ROWS)
        .append(" and ")
        .append(FAILED_ROWS)
        .append(" are shown.</p>");
    long now = s.wallMillis();
    int i = 0;
    for (TargetSnapshot t : s.targets()) {
      List<RecentProbes.Entry> all = sources.recentProbes(t.name());
      List<RecentProbes.Entry> shown = new ArrayList<>();
      int ok = 0;
      int failed = 0;
      for (RecentProbes.Entry e : all) {
        if (e.ok() ? ok++ < OK_ROWS : failed++ < FAILED_ROWS) {
          shown.add(e);
        }
      }
      long failures = all.stream().filter(e -> !e.ok()).count();
      b.append("<details id=\"recent-")
          .append(i++)
          .append("\"><summary><b>")
          .append(Html.esc(t.name()))
          .append("</b> <span class=\"")
          .append(failures > 0 ? "warn" : "sub")
          .append("\">")
          .append(failures)
          .append(" failed of ")
          .append(all.size())
          .append(" kept</span></summary>");
      if (shown.isEmpty()) {
        b.append("<p class=\"na\">No searches yet.</p></details>");
        continue;
      }
      b.append(
          "<div class=\"scroll\"><table class=\"cards\"><thead><tr><th>Time</th><th>Outcome</th>"
              + "<th>Latency</th><th>Recall</th><th>Error</th></tr></thead><tbody>");
      for (RecentProbes.Entry e : shown) {
        b.append("<tr><td data-label=\"Time\">");
        time(b, e.wallMillis(), now);
        b.append("</td><td data-label=\"Outcome\" class=\"")
            .append(e.ok() ? "ok" : "bad")
            .append("\">")
            .append(Html.esc(e.outcome()))
            .append("</td><td data-label=\"Latency\">")
            .append(seconds(e.latencyNanos() / 1e9))
            .append("</td><td data-label=\"Recall\">");
        e.recall()
            .forEach((k, v) -> b.append('@').append(k).append(' ').append(ratio(v)).append(' '));
        b.append("</td><td data-label=\"Error\" class=\"err\">")
            .append(Html.esc(e.error().orElse("")))
            .append("</td></tr>");
      }
      b.append("</tbody></table></div></details>");
    }
    b.append("</section>");
  }

  // ---- the agent

  private void agent(StringBuilder b, AgentSnapshot s, Optional<AlertingService> alerting) {
    long now = clock.wallMillis();
    b.append("<section id=\"agent\"><h2>Agent</h2><dl>");
    b.append("<dt>Version</dt><dd>").append(Html.esc(info.version())).append("</dd>");
    b.append("<dt>Up</dt><dd>")
        .append(ago(now - info.startedMillis()))
        .append(" <span class=\"sub\">(since ")
        .append(Html.esc(Instant.ofEpochMilli(info.startedMillis()).toString()))
        .append(")</span></dd>");
    b.append("<dt>Config</dt><dd>").append(Html.esc(info.configFile())).append("</dd>");
    b.append("<dt>Last rule reload</dt><dd>");
    if (alerting.isEmpty()) {
      b.append("<span class=\"na\">alerting is starting</span>");
    } else {
      if (alerting.get().engine().lastReloadSuccessful()) {
        b.append("<span class=\"ok\">successful</span>");
      } else {
        b.append("<span class=\"bad\">failed, the previous rules stay loaded:</span> ")
            .append(Html.esc(String.join("; ", alerting.get().lastReloadProblems())));
      }
      long ok = alerting.get().engine().lastReloadSuccessMillis();
      if (ok > 0) {
        b.append("<br><span class=\"sub\">rules last loaded ");
        time(b, ok, now);
        b.append(" (at start, POST /-/reload or SIGHUP)</span>");
      }
    }
    b.append("</dd><dt>Ready</dt><dd class=\"")
        .append(s.ready() ? "ok" : "warn")
        .append("\">")
        .append(
            s.ready() ? "yes: every target was probed" : "not yet: some targets were not probed")
        .append("</dd>");
    resources(b);
    b.append("</dl><p class=\"links\">");
    for (String[] l :
        new String[][] {
          {"metrics", "/metrics"},
          {"api/v1/targets", "/api/v1/targets"},
          {"api/v1/rules", "/api/v1/rules"},
          {"api/v1/alerts", "/api/v1/alerts"},
          {"-/healthy", "/-/healthy"},
          {"-/ready", "/-/ready"},
          {"docs/", "docs"}
        }) {
      b.append("<a href=\"").append(l[0]).append("\">").append(l[1]).append("</a> ");
    }
    b.append("</p></section>");
  }

  private static void resources(StringBuilder b) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    b.append("<dt>Resources</dt><dd>heap ").append(mib(heap.getUsed()));
    if (heap.getMax() > 0) {
      b.append(" of ").append(mib(heap.getMax()));
    }
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      double cpu = os.getProcessCpuLoad();
      if (cpu >= 0) {
        b.append(", CPU ").append(percent(cpu)).append(" of the machine");
      }
    }
    b.append(", ")
        .append(ManagementFactory.getThreadMXBean().getThreadCount())
        .append(" threads")
        .append(" <span class=\"sub\">(more on /metrics: vecwatch_resource_*)</span></dd>");
  }

  // ---- formatting

  private static void time(StringBuilder b, long millis, long now) {
    Instant at = Instant.ofEpochMilli(millis);
    b.append("<time datetime=\"")
        .append(at)
        .append("\">")
        .append(TIME.format(at))
        .append("</time> <span " + "class=\"sub\">(")
        .append(now >= millis ? ago(now - millis) + " ago" : "in " + ago(millis - now))
        .append(")</span>");
  }

  static String ago(long millis) {
    long s = Math.max(0, millis / 1000);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + s % 60 + "s";
    }
    if (s < 86_400) {
      return s / 3600 + "h " + s % 3600 / 60 + "m";
    }
    return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
  }

  static String seconds(double s) {
    if (!Double.isFinite(s)) {
      return "–";
    }
    if (s >= 1) {
      return String.format(Locale.ROOT, "%.2f s", s);
    }
    if (s >= 0.01) {
      return String.format(Locale.ROOT, "%.1f ms", s * 1e3);
    }
    return String.format(Locale.ROOT, "%.2f ms", s * 1e3);
  }

  static String percent(double r) {
    return String.format(Locale.ROOT, r < 0.01 && r > 0 ? "%.2f %%" : "%.1f %%", r * 100);
  }

  static String ratio(double r) {
    return String.format(Locale.ROOT, "%.3f", r);
  }

  private static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : Double.toString(v);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }
}
