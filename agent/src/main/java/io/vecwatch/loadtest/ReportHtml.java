package io.vecwatch.loadtest;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code report.html}: one self-contained page (plots embedded as PNG data) that gives the verdict
 * first — capacity, recommended search setting, the knee of the concurrency curve — then the plots
 * and every step in a table. The plots are also written beside it as PNG files. Plots are drawn
 * with XChart.
 */
public final class ReportHtml {
  /** Plot file names, in page order. */
  public static final List<String> PLOTS =
      List.of("latency-vs-qps.png", "recall-vs-qps.png", "qps-vs-concurrency.png");

  private ReportHtml() {}

  /** Writes {@code report.html} and the plot files into {@code dir}; returns the page's path. */
  public static Path write(LoadReport r, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, byte[]> plots = new LinkedHashMap<>();
    latencyChart(r).ifPresent(c -> plots.put(PLOTS.get(0), png(c)));
    recallChart(r).ifPresent(c -> plots.put(PLOTS.get(1), png(c)));
    concurrencyChart(r).ifPresent(c -> plots.put(PLOTS.get(2), png(c)));
    for (Map.Entry<String, byte[]> e : plots.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
    Path page = dir.resolve("report.html");
    Files.writeString(page, html(r, plots), StandardCharsets.UTF_8);
    return page;
  }

  private static byte[] png(XYChart c) {
    try {
      return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new IllegalStateException("could not draw " + c.getTitle(), e);
    }
  }

  private static XYChart chart(String title, String x, String y) {
    XYChart c =
        new XYChartBuilder()
            .width(760)
            .height(420)
            .title(title)
            .xAxisTitle(x)
            .yAxisTitle(y)
            .build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    c.getStyler().setMarkerSize(7);
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    return c;
  }

  private static void series(
      XYChart c,
      String name,
      List<StepResult> steps,
      ToDoubleFunction<StepResult> x,
      ToDoubleFunction<StepResult> y) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    steps.stream()
        .filter(s -> Double.isFinite(x.applyAsDouble(s)) && Double.isFinite(y.applyAsDouble(s)))
        .sorted(Comparator.comparingDouble(x))
        .forEach(
            s -> {
              xs.add(x.applyAsDouble(s));
              ys.add(y.applyAsDouble(s));
            });
    if (!xs.isEmpty()) {
      XYSeries s = c.addSeries(name, xs, ys);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
  }

  private static Optional<XYChart> latencyChart(LoadReport r) {
    XYChart c = chart("Latency vs achieved QPS", "achieved requests/s", "latency (ms)");
    List<StepResult> closed = r.steps(Mode.CLOSED);
    List<StepResult> open = r.steps(Mode.OPEN);
    series(c, "closed P50", closed, StepResult::achievedRps, s -> s.p50Seconds() * 1e3);
    series(c, "closed P99", closed, StepResult::achievedRps, s -> s.p99Seconds() * 1e3);
    series(c, "open P50", open, StepResult::achievedRps, s -> s.p50Seconds() * 1e3);
    series(c, "open P99", open, StepResult::achievedRps, s -> s.p99Seconds() * 1e3);
    if (c.getSeriesMap().isEmpty()) {
      return Optional.empty();
    }
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    c.getSeriesMap()
        .values()
        .forEach(
            s -> {
              for (double v : s.getXData()) {
                xs.add(v);
              }
            });
    double lo = xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double hi = xs.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    ys.add(r.objective().p99Seconds() * 1e3);
    ys.add(r.objective().p99Seconds() * 1e3);
    XYSeries obj = c.addSeries("P99 objective", List.of(lo, hi), ys);
    obj.setMarker(SeriesMarkers.NONE);
    return Optional.of(c);
  }

  private static Optional<XYChart> recallChart(LoadReport r) {
    List<StepResult> params = r.steps(Mode.PARAMS);
    if (params.isEmpty()) {
      return Optional.empty();
    }
    int k = r.objective().recallK();
    XYChart c =
        chart(
            "Recall@" + k + " vs QPS (" + r.parameter() + " sweep)",
            "achieved requests/s",
            "recall@" + k);
    series(
        c,
        "all settings",
        params,
        StepResult::achievedRps,
        s -> s.recall().getOrDefault(k, Double.NaN));
    List<StepResult> front = params.stream().filter(s -> r.pareto().contains(s.params())).toList();
    series(
        c,
        "Pareto front",
        front,
        StepResult::achievedRps,
        s -> s.recall().getOrDefault(k, Double.NaN));
    if (c.getSeriesMap().containsKey("all settings")) {
      c.getSeriesMap()
          .get("all settings")
          .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    }
    return c.getSeriesMap().isEmpty() ? Optional.empty() : Optional.of(c);
  }

  private static Optional<XYChart> concurrencyChart(LoadReport r) {
    XYChart c =
        chart("QPS vs concurrency (closed loop)", "concurrency (workers)", "achieved requests/s");
    series(c, "achieved QPS", r.steps(Mode.CLOSED), s -> s.concurrency(), StepResult::achievedRps);
    return c.getSeriesMap().isEmpty() ? Optional.empty() : Optional.of(c);
  }

  static String html(LoadReport r, Map<String, byte[]> plots) {
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>vecwatch load report: ")
        .append(esc(r.target()))
        .append("</title>")
        .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}")
        .append(
            "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;")
        .append(
            "text-align:right}th{background:#f3f3f3}.verdict{font-size:18px;background:#eef6ee;padding:1em;")
        .append(
            "border-left:6px solid #2a7}.warn{background:#fff4e0;border-left:6px solid #e90;padding:.6em}")
        .append(
            ".bad{color:#b00}pre{background:#f6f6f6;padding:.6em}img{max-width:100%}</style></head><body>\n");
    b.append("<h1>Load report: ")
        .append(esc(r.target()))
        .append(" (")
        .append(esc(r.kind()))
        .append(")</h1>\n");
    b.append("<p>Dataset <b>")
        .append(esc(r.dataset()))
        .append("</b>, started ")
        .append(r.startedAt())
        .append(String.format(Locale.ROOT, ", %.0f s. ", r.durationSeconds()))
        .append(
            String.format(
                Locale.ROOT,
                "Objective: P99 &le; %s, recall@%d &ge; %.3f, errors + timeouts &le; %s.",
                ms(r.objective().p99Seconds()),
                r.objective().recallK(),
                r.objective().recall(),
                pct(r.objective().errorRatio())))
        .append("</p>\n");
    if (!r.complete()) {
      b.append("<p class=\"warn\" id=\"partial\"><b>Partial report:</b> the run stopped early (")
          .append(esc(r.stopReason()))
          .append("). Everything below was measured before it stopped.</p>\n");
    }
    b.append("<div class=\"verdict\" id=\"verdict\">\n<p><b>Capacity:</b> ");
    if (r.capacityRps() != null) {
      b.append(String.format(Locale.ROOT, "%.1f requests/s", r.capacityRps()));
      if (r.capacityPrecision() != null) {
        b.append(
            String.format(
                Locale.ROOT,
                " (the next rate tried, %.1f %% higher, broke the objective)",
                r.capacityPrecision() * 100));
      } else if (r.capacityCapped()) {
        b.append(" or more (every rate up to the maximum rate held)");
      }
    } else {
      b.append("not found (")
          .append(
              r.steps(Mode.OPEN).isEmpty()
                  ? "the open loop did not run"
                  : "no open-loop rate held the objective")
          .append(")");
    }
    b.append("</p>\n<p><b>Recommended search setting:</b> ");
    if (r.recommendedParams() != null) {
      StepResult rec =
          r.steps(Mode.PARAMS).stream()
              .filter(s -> s.params().equals(r.recommendedParams()))
              .findFirst()
              .orElseThrow();
      b.append(esc(params(r.recommendedParams())))
          .append(
              String.format(
                  Locale.ROOT,
                  " (recall@%d %.3f, %.1f requests/s, P99 %s at concurrency %d)",
                  r.objective().recallK(),
                  rec.recall().getOrDefault(r.objective().recallK(), Double.NaN),
                  rec.achievedRps(),
                  ms(rec.p99Seconds()),
                  rec.concurrency()));
    } else if (r.parameter() != null) {
      b.append("none of the ").append(esc(r.parameter())).append(" values tried met the objective");
    } else {
      b.append("no parameter sweep");
    }
    b.append("</p>\n<p><b>Knee:</b> ");
    if (r.kneeConcurrency() != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "concurrency %d reaches 90 %% of the best closed-loop rate (%.1f requests/s)",
              r.kneeConcurrency(),
              r.maxClosedRps()));
    } else {
      b.append("no closed-loop sweep");
    }
    b.append("</p>\n</div>\n");
    long limited = r.steps().stream().filter(s -> !s.clientLimits().isEmpty()).count();
    if (limited > 0) {
      b.append("<p class=\"warn\" id=\"client-limited\">")
          .append(limited)
          .append(" step(s) may have been limited by ")
          .append("the load generator, not the target (see the <i>client</i> column): ")
          .append(
              "client_cpu_saturated = this process used 90 % of the cores; workers_busy = arrivals found every ")
          .append(
              "worker busy (raise --open-workers); schedule_lag = threads woke late; client_overhead = the ")
          .append(
              "generator's own work took over 10 % of the workers' time; near_generator_limit = the rate was half ")
          .append("or more of what the generator drives against a no-op target.</p>\n");
    }
    if (r.capacityRps() != null) {
      b.append("<h2>Agent config</h2>\n<p>Let the scale-out alert use this measurement:</p>\n<pre>")
          .append(
              esc(
                  "capacity_from_report:\n  "
                      + r.target()
                      + ": report.json   # path to this report"))
          .append("</pre>\n");
    }
    b.append("<h2>Plots</h2>\n");
    for (Map.Entry<String, byte[]> e : plots.entrySet()) {
      b.append("<p><img class=\"plot\" alt=\"")
          .append(e.getKey())
          .append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(e.getValue()))
          .append("\"></p>\n");
    }
    b.append(
            "<h2>Steps</h2>\n<table id=\"steps\"><tr><th>mode</th><th>concurrency</th><th>offered/s</th>")
        .append(
            "<th>achieved/s</th><th>P50</th><th>P95</th><th>P99</th><th>P99.9</th><th>errors</th>")
        .append(
            "<th>timeouts</th><th>recall</th><th>params</th><th>requests</th><th>holds</th><th>client</th></tr>\n");
    for (StepResult s : r.steps()) {
      b.append("<tr><td>")
          .append(s.mode().id())
          .append(s.complete() ? "" : " (cut short)")
          .append("</td><td>")
          .append(s.concurrency())
          .append("</td><td>")
          .append(
              Double.isNaN(s.offeredRps())
                  ? ""
                  : String.format(Locale.ROOT, "%.1f", s.offeredRps()))
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f", s.achievedRps()))
          .append("</td><td>")
          .append(ms(s.p50Seconds()))
          .append("</td><td>")
          .append(ms(s.p95Seconds()))
          .append("</td><td>")
          .append(ms(s.p99Seconds()))
          .append("</td><td>")
          .append(ms(s.p999Seconds()))
          .append("</td><td>")
          .append(pct(s.errorRatio()))
          .append("</td><td>")
          .append(pct(s.timeoutRatio()))
          .append("</td><td>");
      s.recall().forEach((k, v) -> b.append(String.format(Locale.ROOT, "@%d %.3f ", k, v)));
      b.append("</td><td>")
          .append(esc(params(s.params())))
          .append("</td><td>")
          .append(s.requests())
          .append("</td><td")
          .append(s.holds() ? ">yes" : " class=\"bad\">no")
          .append("</td><td>")
          .append(esc(String.join(", ", s.clientLimits())))
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
    if (r.generator() != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "<p id=\"generator\">Load generator: %.0f requests/s against a no-op "
                  + "target with %d threads; %.1f &micro;s of CPU per request, i.e. about %.0f requests/s per core.</p>\n",
              r.generator().requestsPerSecond(),
              r.generator().threads(),
              r.generator().cpuMicrosPerRequest(),
              r.generator().requestsPerSecondPerCore()));
    }
    if (!r.notes().isEmpty()) {
      b.append("<ul>");
      r.notes().forEach(n -> b.append("<li>").append(esc(n)).append("</li>"));
      b.append("</ul>\n");
    }
    b.append(
            "<p><small>Closed loop: each worker sends its next search when the previous answers. Open loop: a fixed ")
        .append(
            "arrival rate, latency measured from each request's intended start (coordinated omission corrected). ")
        .append("Capacity: rates grow by ")
        .append(r.settings().growth())
        .append("x until one breaks the P99 or error ")
        .append(
            "objective or delivers under 95 % of the offered rate; then the gap is halved until it is within ")
        .append(pct(r.settings().precision()))
        .append(". Percentiles are of successful searches.</small></p>\n");
    b.append("</body></html>\n");
    return b.toString();
  }

  private static String params(Map<String, Integer> p) {
    if (p.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    p.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(", ", parts);
  }

  private static String ms(double seconds) {
    return Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, "%.2f ms", seconds * 1e3);
  }

  private static String pct(double ratio) {
    return Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f %%", ratio * 100);
  }

  private static String esc(String s) {
    return s == null
        ? ""
        : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
