package org.shoal.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small builders for a self-contained HTML report: escaped tables and inline SVG charts, no
 * scripts.
 */
final class Html {
  private Html() {}

  /**
   * The one page shell of every report: a self-contained HTML page (inline CSS, no scripts, no
   * network) titled {@code title}, with an escaped introduction line above {@code body}.
   */
  static String page(String title, String intro, CharSequence body) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title><style>"
        + "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
        + "table{border-collapse:collapse;font-size:13px;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 6px}"
        + "td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}"
        + "figure{display:inline-block;margin:0.5em}svg{font-size:11px}"
        + "</style></head><body><h1>"
        + escape(title)
        + "</h1><p>"
        + escape(intro)
        + "</p>"
        + body
        + "</body></html>";
  }

  static String escape(Object o) {
    return String.valueOf(o)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  static String number(Object o) {
    if (o instanceof Double d) {
      return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%.4f", d);
    }
    return o == null ? "–" : escape(o);
  }

  /** A table of rows (maps with the same keys); numbers right-aligned with four decimals. */
  static String table(String id, List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return "<p class=\"empty\">no rows</p>";
    }
    StringBuilder b = new StringBuilder("<table id=\"" + escape(id) + "\"><thead><tr>");
    for (String k : rows.get(0).keySet()) {
      b.append("<th>").append(escape(k)).append("</th>");
    }
    b.append("</tr></thead><tbody>");
    for (Map<String, Object> r : rows) {
      b.append("<tr>");
      for (Object v : r.values()) {
        boolean numeric = v instanceof Number;
        b.append(numeric ? "<td class=\"n\">" : "<td>").append(number(v)).append("</td>");
      }
      b.append("</tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  /** Lines over epochs: series name -> y values (x = 1..n). */
  static String lines(Map<String, double[]> series, String xLabel, String yLabel) {
    int w = 560;
    int h = 260;
    int pad = 48;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int n = 1;
    for (double[] ys : series.values()) {
      for (double y : ys) {
        if (Double.isFinite(y)) { // a series without values (no validation split) draws nothing
          min = Math.min(min, y);
          max = Math.max(max, y);
        }
      }
      n = Math.max(n, ys.length);
    }
    if (min > max) {
      min = 0;
      max = 1;
    }
    if (max == min) {
      max = min + 1e-9;
    }
    String[] colours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
    StringBuilder b = svgOpen(w, h).append(axes(w, h, pad, xLabel, yLabel, min, max));
    int c = 0;
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      StringBuilder pts = new StringBuilder();
      double[] ys = e.getValue();
      for (int i = 0; i < ys.length; i++) {
        if (!Double.isFinite(ys[i])) {
          continue;
        }
        double x = pad + (n == 1 ? 0 : (w - 2.0 * pad) * i / (n - 1));
        double y = h - pad - (h - 2.0 * pad) * (ys[i] - min) / (max - min);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      String colour = colours[c % colours.length];
      b.append("<polyline fill=\"none\" stroke=\"")
          .append(colour)
          .append("\" stroke-width=\"2\" points=\"")
          .append(pts)
          .append("\"/>");
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>",
              w - pad - 150,
              pad + 16 * c,
              colour,
              escape(e.getKey())));
      c++;
    }
    return b.append("</svg>").toString();
  }

  /** Vertical bars, one per label, coloured by category; a zero line. */
  static String bars(List<String> labels, double[] values, List<String> categories, String yLabel) {
    int w = Math.max(560, 14 * labels.size() + 100);
    int h = 280;
    int pad = 48;
    double min = 0;
    double max = 0;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (max == min) {
      max = min + 1e-9;
    }
    List<String> distinct = categories.stream().distinct().sorted().toList();
    String[] colours = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    StringBuilder b = svgOpen(w, h).append(axes(w, h, pad, "individual", yLabel, min, max));
    double slot = (w - 2.0 * pad) / Math.max(1, labels.size());
    double zero = h - pad - (h - 2.0 * pad) * (0 - min) / (max - min);
    for (int i = 0; i < labels.size(); i++) {
      double y = h - pad - (h - 2.0 * pad) * (values[i] - min) / (max - min);
      String colour = colours[distinct.indexOf(categories.get(i)) % colours.length];
      b.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %.4f</title></rect>",
              pad + i * slot,
              Math.min(y, zero),
              Math.max(1, slot - 2),
              Math.abs(zero - y),
              colour,
              escape(labels.get(i)),
              values[i]));
    }
    for (int c = 0; c < distinct.size(); c++) {
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>",
              w - pad - 120,
              pad + 16 * c,
              colours[c % colours.length],
              escape(distinct.get(c))));
    }
    return b.append("</svg>").toString();
  }

  /** Predicted vs observed, with the diagonal. */
  static String calibration(double[] predicted, double[] observed) {
    int w = 360;
    int h = 360;
    int pad = 48;
    StringBuilder b =
        svgOpen(w, h)
            .append(axes(w, h, pad, "mean predicted probability", "observed frequency", 0, 1));
    b.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\" stroke-dasharray=\"4\"/>",
            pad,
            h - pad,
            w - pad,
            pad));
    for (int i = 0; i < predicted.length; i++) {
      double x = pad + (w - 2.0 * pad) * predicted[i];
      double y = h - pad - (h - 2.0 * pad) * observed[i];
      b.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#1f77b4\"><title>%.3f → %.3f</title></circle>",
              x,
              y,
              predicted[i],
              observed[i]));
    }
    return b.append("</svg>").toString();
  }

  /**
   * An animal's track, zoomed to it: each decision a dot coloured from blue (worse) to red
   * (better), each unbroken part of the track ({@code tracks}: lon[] and lat[] per part) a grey
   * line, so gaps are not drawn as moves. Longitude is scaled by cos(latitude) so shapes are not
   * stretched; both axes are labelled in degrees.
   */
  static String map(double[] lon, double[] lat, double[] value, List<double[][]> tracks) {
    int w = 420;
    int h = 320;
    int pad = 48;
    List<double[]> all = new ArrayList<>();
    for (int i = 0; i < lon.length; i++) {
      all.add(new double[] {lon[i], lat[i]});
    }
    for (double[][] t : tracks) {
      for (int i = 0; i < t[0].length; i++) {
        all.add(new double[] {t[0][i], t[1][i]});
      }
    }
    // Across the antimeridian, longitudes continue past 180 instead of jumping back.
    double lonMin = all.stream().mapToDouble(p -> p[0]).min().orElse(0);
    double lonMax = all.stream().mapToDouble(p -> p[0]).max().orElse(0);
    boolean wrap = lonMax - lonMin > 180;
    java.util.function.DoubleUnaryOperator unwrap = x -> wrap && x < 0 ? x + 360 : x;
    double x0 = all.stream().mapToDouble(p -> unwrap.applyAsDouble(p[0])).min().orElse(0);
    double x1 = all.stream().mapToDouble(p -> unwrap.applyAsDouble(p[0])).max().orElse(0);
    double y0 = all.stream().mapToDouble(p -> p[1]).min().orElse(0);
    double y1 = all.stream().mapToDouble(p -> p[1]).max().orElse(0);
    double aspect = Math.max(0.05, Math.cos(Math.toRadians((y0 + y1) / 2)));
    // A margin of 12 % each side, and at least 0.05 degrees, so a still animal is not one point
    // filling the frame.
    double spanY = Math.max((y1 - y0) * 1.25, 0.05);
    double spanX = Math.max((x1 - x0) * 1.25, 0.05 / aspect);
    double scale = Math.min((w - 2.0 * pad) / (spanX * aspect), (h - 2.0 * pad) / spanY);
    double left = (x0 + x1) / 2 - (w - 2.0 * pad) / scale / aspect / 2;
    double bottom = (y0 + y1) / 2 - (h - 2.0 * pad) / scale / 2;
    double right = left + (w - 2.0 * pad) / scale / aspect;
    double top = bottom + (h - 2.0 * pad) / scale;
    java.util.function.DoubleUnaryOperator px =
        x -> pad + (unwrap.applyAsDouble(x) - left) * aspect * scale;
    java.util.function.DoubleUnaryOperator py = y -> h - pad - (y - bottom) * scale;

    StringBuilder b = svgOpen(w, h).append(frame(w, h, pad, left, right, bottom, top));
    for (double[][] t : tracks) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < t[0].length; i++) {
        points.append(
            String.format(
                Locale.ROOT, "%.1f,%.1f ", px.applyAsDouble(t[0][i]), py.applyAsDouble(t[1][i])));
      }
      b.append("<polyline fill=\"none\" stroke=\"#bbb\" points=\"")
          .append(points.toString().trim())
          .append("\"/>");
    }
    double vmax = 1e-9;
    for (double v : value) {
      vmax = Math.max(vmax, Math.abs(v));
    }
    for (int i = 0; i < lon.length; i++) {
      double t = Math.max(-1, Math.min(1, value[i] / vmax));
      int red = (int) (t > 0 ? 255 : 255 * (1 + t));
      int blue = (int) (t < 0 ? 255 : 255 * (1 - t));
      b.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"rgb(%d,%d,%d)\"><title>%.4f</title></circle>",
              px.applyAsDouble(lon[i]),
              py.applyAsDouble(lat[i]),
              red,
              Math.min(red, blue),
              blue,
              value[i]));
    }
    return b.append("</svg>").toString();
  }

  /**
   * Axes of a map with three labelled ticks each, in degrees (longitude wrapped back into [-180,
   * 180]).
   */
  private static String frame(
      int w, int h, int pad, double left, double right, double bottom, double top) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">longitude</text>"
                    + "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">latitude</text>",
                pad,
                pad,
                w - 2 * pad,
                h - 2 * pad,
                w / 2,
                h - 8,
                h / 2,
                h / 2));
    for (int k = 0; k <= 2; k++) {
      double f = k / 2.0;
      double x = pad + f * (w - 2 * pad);
      double y = h - pad - f * (h - 2 * pad);
      double lon = left + f * (right - left);
      lon = lon > 180 ? lon - 360 : lon;
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%.2f°</text>",
              x,
              h - pad,
              x,
              h - pad + 4,
              x,
              h - pad + 15,
              lon));
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"10\">%.2f°</text>",
              pad - 4,
              y,
              pad,
              y,
              pad - 6,
              y + 3,
              bottom + f * (top - bottom)));
    }
    return b.toString();
  }

  private static StringBuilder svgOpen(int w, int h) {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
            w,
            h,
            w,
            h));
  }

  private static String axes(
      int w, int h, int pad, String xLabel, String yLabel, double min, double max) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
            + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text><text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>"
            + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">%.3g</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">%.3g</text>",
        pad,
        h - pad,
        w - pad,
        h - pad,
        pad,
        pad,
        pad,
        h - pad,
        w / 2,
        h - 10,
        escape(xLabel),
        h / 2,
        h / 2,
        escape(yLabel),
        pad - 4,
        h - pad,
        min,
        pad - 4,
        pad + 4,
        max);
  }
}
