package org.shoal.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.shoal.jobs.config.EvaluateConfig;
import org.shoal.pipeline.evaluate.Calibration;
import org.shoal.pipeline.evaluate.Results;

/** report.html: one self-contained page (inline CSS and SVG, no scripts, no network). */
final class ReportBuilder {
  /** An exemplar individual: its decisions' origins and log-likelihood differences. */
  record Exemplar(
      String individual,
      double meanDiff,
      double[] lon,
      double[] lat,
      double[] diff,
      List<double[][]> tracks) {}

  private final EvaluateConfig config;
  private final String comparedWith;
  private final StringBuilder body = new StringBuilder();

  ReportBuilder(EvaluateConfig config, String comparedWith) {
    this.config = config;
    this.comparedWith = comparedWith;
  }

  ReportBuilder results(List<Results.Result> results) {
    boolean intervals = !results.isEmpty() && results.get(0).hasIntervals();
    body.append(
            "<h2>Results</h2><p>Per split and model: C-NLP is the mean log-probability of the selected choice over "
                + "contrast pairs, D-NLP the mean over individuals of each individual's mean log-probability over full "
                + "decisions, GMP = exp(D-NLP). Higher is better."
                + (intervals
                    ? " Intervals are 95 % from a paired bootstrap over individuals; <em>vs best baseline</em> is the difference"
                        + " to the split's best of "
                        + EvaluateJob.baselinesIn(results)
                        + ", marked * when its interval excludes 0."
                    : "")
                + "</p>")
        .append(Html.table("results", results.stream().map(r -> cells(r, intervals)).toList()));
    return this;
  }

  /**
   * A results row as table cells; with intervals, each folded into one cell so the table fits a
   * page.
   */
  private static Map<String, Object> cells(Results.Result r, boolean intervals) {
    Map<String, Object> c = new java.util.LinkedHashMap<>();
    c.put("model", r.model());
    c.put("split", r.split());
    c.put("decisions", r.decisions());
    c.put("individuals", r.individuals());
    c.put("c_nlp", r.cNlp());
    c.put("d_nlp", r.dNlp());
    c.put("gmp", r.gmp());
    if (intervals) {
      c.put("D-NLP 95 % interval", interval(r.dNlpLow(), r.dNlpHigh()));
      c.put("vs best baseline", r.vsBestBaseline());
      c.put(
          "its 95 % interval",
          interval(r.vsBestBaselineLow(), r.vsBestBaselineHigh())
              + (Boolean.TRUE.equals(r.beyondNoise()) ? " *" : ""));
      c.put("best baseline", r.bestBaseline());
    }
    return c;
  }

  private static String interval(Double low, Double high) {
    if (low == null || high == null || low.isNaN()) {
      return "–";
    }
    return String.format(Locale.ROOT, "[%.4f, %.4f]", low, high);
  }

  ReportBuilder metrics(List<Map<String, Object>> metrics) {
    body.append("<h2>By group</h2>").append(Html.table("metrics", metrics));
    return this;
  }

  ReportBuilder training(Map<String, double[]> curves) {
    if (!curves.isEmpty()) {
      body.append(
              "<h2>Training</h2><p>Loss per decision after each epoch (the training loss is a full evaluation pass).</p>")
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
    body.append(
            String.format(
                Locale.ROOT,
                "<h2>Individuals</h2><p>Mean log-likelihood difference per decision, trained model minus %s, coloured by %s.</p>",
                Html.escape(comparedWith),
                Html.escape(config.colorBy())))
        .append(Html.bars(labels, values, colours, "mean ll difference"));
    return this;
  }

  ReportBuilder calibration(List<Row> bins) {
    double[] p = new double[bins.size()];
    double[] o = new double[bins.size()];
    for (int i = 0; i < bins.size(); i++) {
      p[i] = bins.get(i).getAs(Calibration.MEAN_PREDICTED);
      o[i] = bins.get(i).getAs(Calibration.OBSERVED);
    }
    body.append(
            "<h2>Calibration</h2><p>Every choice, binned by predicted probability: the share that was selected.</p>")
        .append(Html.calibration(p, o));
    return this;
  }

  ReportBuilder exemplars(List<Exemplar> exemplars) {
    if (exemplars.isEmpty()) {
      return this;
    }
    body.append(
        String.format(
            Locale.ROOT,
            "<h2>Exemplars</h2><p>The individuals most improved and most worsened against %s; each dot is a decision at its "
                + "origin cell, red where the trained model does better, blue where it does worse; grey lines join the "
                + "decisions of each unbroken part of the track.</p>",
            Html.escape(comparedWith)));
    for (Exemplar e : exemplars) {
      body.append(
          String.format(
              Locale.ROOT,
              "<figure><figcaption>%s: mean difference %.4f</figcaption>%s</figure>",
              Html.escape(e.individual()),
              e.meanDiff(),
              Html.map(e.lon(), e.lat(), e.diff(), e.tracks())));
    }
    return this;
  }

  String html() {
    return Html.page(
        "shoal evaluation",
        "Predictions: " + config.predictions() + "; compared with: " + comparedWith + ".",
        body);
  }
}
