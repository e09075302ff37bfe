package org.shoal.pipeline.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The best validation loss of every configuration (runs that differ only in their seed), with its
 * spread.
 */
public final class Leaderboard {
  /**
   * One finished run: its feature set ("" for none), its spec and its best epoch's validation loss.
   */
  public record Entry(String featureSet, RunSpec run, double validationLoss) {}

  /**
   * One configuration's line: its seeds' best, mean, standard deviation and worst validation loss.
   */
  public record Row(
      String config,
      int seeds,
      double bestValidationLoss,
      double meanValidationLoss,
      double sdValidationLoss,
      double worstValidationLoss,
      String bestRunId,
      String featureSet) {
    /** One console line: the validation losses over seeds, the best run and the configuration. */
    public String line() {
      return String.format(
          java.util.Locale.ROOT,
          "validation loss best %.5f, mean %.5f, sd %.5f, worst %.5f over %d seed(s); best run %s; %s",
          bestValidationLoss,
          meanValidationLoss,
          sdValidationLoss,
          worstValidationLoss,
          seeds,
          bestRunId.substring(0, Math.min(12, bestRunId.length())),
          config);
    }
  }

  public static final String CSV_HEADER =
      "config,seeds,best_validation_loss,mean_validation_loss,sd_validation_loss,worst_validation_loss,best_run_id,"
          + "feature_set";

  private Leaderboard() {}

  /** One row per configuration, grouped by feature set (in name order), best first within each. */
  public static List<Row> of(List<Entry> entries) {
    Map<String, List<Entry>> byConfig = new TreeMap<>();
    for (Entry e : entries) {
      byConfig.computeIfAbsent(configuration(e), k -> new ArrayList<>()).add(e);
    }
    List<Row> rows = new ArrayList<>();
    byConfig.forEach(
        (config, runs) -> {
          double[] losses = runs.stream().mapToDouble(Entry::validationLoss).toArray();
          double mean = Arrays.stream(losses).average().orElse(Double.NaN);
          double sd =
              Math.sqrt(
                  Arrays.stream(losses).map(v -> (v - mean) * (v - mean)).average().orElse(0));
          Entry best = best(runs);
          rows.add(
              new Row(
                  config,
                  losses.length,
                  best.validationLoss(),
                  mean,
                  sd,
                  Arrays.stream(losses).max().orElse(Double.NaN),
                  best.run().runId(),
                  best.featureSet()));
        });
    rows.sort(Comparator.comparing(Row::featureSet).thenComparingDouble(Row::bestValidationLoss));
    return rows;
  }

  /** The entry with the lowest validation loss. */
  public static Entry best(List<Entry> entries) {
    return entries.stream().min(Comparator.comparingDouble(Entry::validationLoss)).orElseThrow();
  }

  /** The leaderboard as CSV with {@link #CSV_HEADER}, configurations quoted. */
  public static String csv(List<Row> rows) {
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (Row r : rows) {
      csv.append(
          String.format(
              Locale.ROOT,
              "\"%s\",%d,%.8f,%.8f,%.8f,%.8f,%s,%s%n",
              r.config(),
              r.seeds(),
              r.bestValidationLoss(),
              r.meanValidationLoss(),
              r.sdValidationLoss(),
              r.worstValidationLoss(),
              r.bestRunId(),
              r.featureSet()));
    }
    return csv.toString().trim();
  }

  private static String configuration(Entry e) {
    NetworkSpec n = e.run().network();
    return String.format(
        Locale.ROOT,
        "%shidden=%s lr=%s batch=%d dropout=%s",
        e.featureSet().isEmpty() ? "" : "features=" + e.featureSet() + " ",
        n.hidden(),
        n.learningRate(),
        e.run().plan().batchSize(),
        n.dropout());
  }
}
