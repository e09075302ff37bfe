package org.shoal.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.shoal.jobs.config.EvaluateConfig;

/** report.html: one self-contained page (inline CSS and SVG, no scripts, no network). */
final class ReportBuilder {
  /** An exemplar individual: its decisions' origins and log-likelihood differences. */
  record Exemplar(
      String individual, double meanDiff, double[] lon, double[] lat, double[] diff, List<double[][]> tracks) {}

  private final EvaluateConfig config;
  private final String comparedWith;
  private final StringBuilder body = new StringBuilder();

  ReportBuilder(EvaluateConfig config, String comparedWith) {
    this.config = config;
    this.comparedWith = comparedWith;
  }

  ReportBuilder results(List<Map<String, Object>> results) {
    body.append("<h2>Results</h2><p>Per split and model: C-NLP is the mean log-probability of the selected choice over "
        + "contrast pairs, D-NLP the mean over individuals of each individual's mean log-probability over full "
        + "decisions, GMP = exp(D-NLP). Higher is better.</p>")
        .append(Html.table("results", results));
    return this;
  }

  ReportBuilder metrics(List<Map<String, Object>> metrics) {
    body.append("<h2>By group</h2>").append(Html.table("metrics", metrics));
    return this;
  }

  ReportBuilder training(Map<String, double[]> curves) {
    if (!curves.isEmpty()) {
      body.append("<h2>Training</h2><p>Loss per decision after each epoch (the training loss is a full evaluation pass).</p>")
          .append(Html.lines(curves, "epoch", "negative log-likelihood"));
    }
    return this;
  }

  ReportBuilder individuals(List<Row> perIndividual) {
    List<String> labels = new ArrayList<>();
    List<String> colours = new ArrayList<>();
    double[] values = new double[perIndividual.size()];
    for (int i = 0; i < perIndividual.size(); i++) {
      Row r = perIndividual.get(i);
      labels.add(r.getAs("individual"));
      colours.add(String.valueOf(r.<Object>getAs("colour")));
      values[i] = r.getAs("mean_ll_diff");
    }
    body.append(String.format(Locale.ROOT,
            "<h2>Individuals</h2><p>Mean log-likelihood difference per decision, trained model minus %s, coloured by %s.</p>",
            Html.escape(comparedWith), Html.escape(config.colorBy())))
        .append(Html.bars(labels, values, colours, "mean ll difference"));
    return this;
  }

  ReportBuilder calibration(List<Row> bins) {
    double[] p = new double[bins.size()];
    double[] o = new double[bins.size()];
    for (int i = 0; i < bins.size(); i++) {
      p[i] = bins.get(i).getAs("mean_predicted");
      o[i] = bins.get(i).getAs("observed");
    }
    body.append("<h2>Calibration</h2><p>Every choice, binned by predicted probability: the share that was selected.</p>")
        .append(Html.calibration(p, o));
    return this;
  }

  ReportBuilder exemplars(List<Exemplar> exemplars) {
    if (exemplars.isEmpty()) {
      return this;
    }
    body.append(String.format(Locale.ROOT,
        "<h2>Exemplars</h2><p>The individuals most improved and most worsened against %s; each dot is a decision at its "
            + "origin cell, red where the trained model does better, blue where it does worse; grey lines join the "
            + "decisions of each unbroken part of the track.</p>",
        Html.escape(comparedWith)));
    for (Exemplar e : exemplars) {
      body.append(String.format(Locale.ROOT, "<figure><figcaption>%s: mean difference %.4f</figcaption>%s</figure>",
          Html.escape(e.individual()), e.meanDiff(), Html.map(e.lon(), e.lat(), e.diff(), e.tracks())));
    }
    return this;
  }

  String html() {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>shoal evaluation</title><style>"
        + "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
        + "table{border-collapse:collapse;font-size:13px;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 6px}"
        + "td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}"
        + "figure{display:inline-block;margin:0.5em}svg{font-size:11px}"
        + "</style></head><body><h1>shoal evaluation</h1><p>Predictions: " + Html.escape(config.predictions())
        + "; compared with: " + Html.escape(comparedWith) + ".</p>" + body + "</body></html>";
  }
}
