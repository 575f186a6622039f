package io.vecwatch.web;

import java.util.Locale;

/**
 * A small inline SVG line chart drawn on the server (no script, no chart library): one polyline per
 * run of defined values (NaN leaves a gap), an optional dashed objective line, a title for screen
 * readers and hover.
 */
final class Sparkline {
  static final int WIDTH = 120;
  static final int HEIGHT = 24;

  private Sparkline() {}

  /**
   * @param values oldest first, evenly spaced; NaN where nothing was measured
   * @param slots how many values a full chart holds (the x scale), at least {@code values.length}
   * @param objective drawn as a dashed line when finite
   * @param title the chart's accessible name (escaped here)
   */
  static String svg(double[] values, int slots, double objective, String title) {
    double max = Double.isFinite(objective) ? objective : 0;
    double min = Double.isFinite(objective) ? objective : Double.POSITIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v)) {
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
    }
    if (!Double.isFinite(min)) {
      min = 0;
    }
    min = Math.min(min, 0);
    double span = max - min;
    if (span <= 0) {
      span = 1;
    }
    StringBuilder b = new StringBuilder(256 + values.length * 12);
    b.append("<svg class=\"spark\" role=\"img\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\"><title>")
        .append(Html.esc(title))
        .append("</title>");
    if (Double.isFinite(objective)) {
      String y = fmt(y(objective, min, span));
      b.append("<line class=\"obj\" x1=\"0\" x2=\"")
          .append(WIDTH)
          .append("\" y1=\"")
          .append(y)
          .append("\" y2=\"")
          .append(y)
          .append("\"/>");
    }
    int n = Math.max(slots, values.length);
    double step = n > 1 ? (double) WIDTH / (n - 1) : 0;
    int offset = n - values.length; // the newest value sits at the right edge
    boolean open = false;
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (!Double.isFinite(v)) {
        if (open) {
          b.append("\"/>");
          open = false;
        }
        continue;
      }
      if (!open) {
        b.append("<polyline points=\"");
        open = true;
      } else {
        b.append(' ');
      }
      b.append(fmt((offset + i) * step)).append(',').append(fmt(y(v, min, span)));
    }
    if (open) {
      b.append("\"/>");
    }
    if (values.length > 0
        && Double.isFinite(values[values.length - 1])) { // the latest value, even when alone
      b.append("<circle r=\"1.8\" cx=\"")
          .append(fmt((n - 1) * step))
          .append("\" cy=\"")
          .append(fmt(y(values[values.length - 1], min, span)))
          .append("\"/>");
    }
    return b.append("</svg>").toString();
  }

  private static double y(double v, double min, double span) {
    return HEIGHT - 1 - (v - min) / span * (HEIGHT - 2);
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }
}
