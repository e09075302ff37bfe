package org.shoal.pipeline.evaluate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Schemas;
import org.shoal.pipeline.schema.Split;

/**
 * The evaluation's results as the research reported them: per split and model, C-NLP (contrast
 * pairs), D-NLP and GMP (full decisions), from the collected {@link Schemas#METRICS} rows; with
 * bootstrap intervals when asked for. Plain Java on a few hundred rows.
 */
public final class Results {
  /** One row of {@link Schemas#METRICS}; every field may be null (an empty group). */
  public record Metric(
      String model,
      String dataset,
      String subset,
      String grouping,
      String group,
      Long decisions,
      Long individuals,
      Double dNlp,
      Double meanLl,
      Double gmp,
      Double uniformDNlp,
      Double uniformGmp) {
    public static Metric of(Row r) {
      return new Metric(
          r.getAs("model"),
          r.getAs("dataset"),
          r.getAs("subset"),
          r.getAs("grouping"),
          r.getAs("group"),
          r.getAs("decisions"),
          r.getAs("individuals"),
          r.getAs("d_nlp"),
          r.getAs("mean_ll"),
          r.getAs("gmp"),
          r.getAs("uniform_d_nlp"),
          r.getAs("uniform_gmp"));
    }

    /** The row under its column names, in schema order. */
    public Map<String, Object> cells() {
      Object[] values = {
        model,
        dataset,
        subset,
        grouping,
        group,
        decisions,
        individuals,
        dNlp,
        meanLl,
        gmp,
        uniformDNlp,
        uniformGmp
      };
      Map<String, Object> out = new LinkedHashMap<>();
      String[] names = Schemas.METRICS.fieldNames();
      for (int i = 0; i < names.length; i++) {
        out.put(names[i], values[i]);
      }
      return out;
    }

    private boolean isSplit(String model, String dataset, String split) {
      return this.model.equals(model)
          && this.dataset.equals(dataset)
          && subset.equals(DecisionTable.ALL)
          && grouping.equals(Cols.SPLIT)
          && group.equals(Cols.SPLIT + "=" + split);
    }
  }

  /**
   * One line of the results table. The interval fields are present only with a bootstrap: D-NLP's
   * 95 % interval, the difference to the split's best baseline with its interval, that baseline,
   * and whether the interval excludes zero.
   */
  @JsonPropertyOrder({
    "model",
    "split",
    "decisions",
    "individuals",
    "c_nlp",
    "d_nlp",
    "gmp",
    "d_nlp_low",
    "d_nlp_high",
    "vs_best_baseline",
    "vs_best_baseline_low",
    "vs_best_baseline_high",
    "best_baseline",
    "beyond_noise"
  })
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Result(
      String model,
      String split,
      long decisions,
      long individuals,
      @JsonProperty("c_nlp") double cNlp,
      @JsonProperty("d_nlp") double dNlp,
      double gmp,
      @JsonProperty("d_nlp_low") Double dNlpLow,
      @JsonProperty("d_nlp_high") Double dNlpHigh,
      @JsonProperty("vs_best_baseline") Double vsBestBaseline,
      @JsonProperty("vs_best_baseline_low") Double vsBestBaselineLow,
      @JsonProperty("vs_best_baseline_high") Double vsBestBaselineHigh,
      @JsonProperty("best_baseline") String bestBaseline,
      @JsonProperty("beyond_noise") Boolean beyondNoise) {
    Result(
        String model,
        String split,
        long decisions,
        long individuals,
        double cNlp,
        double dNlp,
        double gmp) {
      this(
          model,
          split,
          decisions,
          individuals,
          cNlp,
          dNlp,
          gmp,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }

    Result withIntervals(
        Bootstrap.Interval own, Bootstrap.Interval vsBest, String best, boolean beyond) {
      return new Result(
          model,
          split,
          decisions,
          individuals,
          cNlp,
          dNlp,
          gmp,
          own.low(),
          own.high(),
          vsBest.value(),
          vsBest.low(),
          vsBest.high(),
          best,
          beyond);
    }

    /** Without a model to compare (no such split in the bootstrap): every interval NaN. */
    Result withoutIntervals() {
      Bootstrap.Interval none = new Bootstrap.Interval(Double.NaN, Double.NaN, Double.NaN);
      return withIntervals(none, none, "", false);
    }

    public boolean hasIntervals() {
      return dNlpLow != null;
    }
  }

  private Results() {}

  /**
   * Per split (train, then validation) and model, C-NLP from the contrasts, D-NLP and GMP from the
   * decisions, then the uniform baseline of that split (C-NLP log ½: one of two). A split without
   * decisions shows {@code primary} with zero decisions and NaN metrics: not validated, and said
   * so.
   */
  public static List<Result> table(List<Metric> metrics, String primary) {
    List<Result> out = new ArrayList<>();
    List<String> models = metrics.stream().map(Metric::model).distinct().toList();
    for (String split : List.of(Split.TRAIN.label(), Split.VALIDATION.label())) {
      Result uniform = null;
      for (String model : models) {
        Metric d = find(metrics, model, "decisions", split);
        if (d == null) {
          continue;
        }
        Metric c = find(metrics, model, "contrasts", split);
        out.add(
            new Result(
                model,
                split,
                d.decisions(),
                d.individuals(),
                c == null ? Double.NaN : c.meanLl(),
                d.dNlp(),
                d.gmp()));
        if (uniform == null) {
          uniform =
              new Result(
                  DecisionTable.UNIFORM,
                  split,
                  d.decisions(),
                  d.individuals(),
                  Math.log(0.5),
                  d.uniformDNlp(),
                  d.uniformGmp());
        }
      }
      if (uniform != null) {
        out.add(uniform);
      } else if (split.equals(Split.VALIDATION.label())) {
        out.add(new Result(primary, split, 0, 0, Double.NaN, Double.NaN, Double.NaN));
      }
    }
    return out;
  }

  /** A split with fewer individuals keeps NaN intervals and is never marked beyond noise. */
  public static final int MIN_BOOTSTRAP_INDIVIDUALS = 2;

  /**
   * Every row with its D-NLP's 95 % bootstrap interval over individuals and its difference to the
   * split's best baseline (of {@code baselines}, the one with the highest mean), paired by
   * individual. {@code means}: split → model → individual → mean log-likelihood; {@code reference}
   * names the model whose individuals are resampled.
   */
  public static List<Result> withIntervals(
      List<Result> results,
      Map<String, Map<String, Map<String, Double>>> means,
      String reference,
      List<String> baselines,
      int replicates,
      long seed) {
    List<Result> out = new ArrayList<>(results.stream().map(Result::withoutIntervals).toList());
    for (Map.Entry<String, Map<String, Map<String, Double>>> split : means.entrySet()) {
      List<String> models = new ArrayList<>(split.getValue().keySet());
      List<String> individuals = new ArrayList<>(split.getValue().get(reference).keySet());
      if (individuals.size() < MIN_BOOTSTRAP_INDIVIDUALS) {
        continue; // resampling one animal gives a zero-width interval that would pass for certainty
      }
      double[][] values = new double[models.size()][individuals.size()];
      for (int m = 0; m < models.size(); m++) {
        for (int i = 0; i < individuals.size(); i++) {
          values[m][i] =
              split.getValue().get(models.get(m)).getOrDefault(individuals.get(i), Double.NaN);
        }
      }
      int best = -1;
      for (int m = 0; m < models.size(); m++) {
        if (baselines.contains(models.get(m))
            && (best < 0 || mean(values[m]) > mean(values[best]))) {
          best = m;
        }
      }
      Bootstrap.Interval[][] r = Bootstrap.dNlp(values, best, replicates, seed);
      for (int i = 0; i < out.size(); i++) {
        Result row = out.get(i);
        int m = models.indexOf(row.model());
        if (split.getKey().equals(row.split()) && m >= 0) {
          out.set(
              i,
              row.withIntervals(
                  r[m][0], r[m][1], models.get(best), m != best && r[m][1].excludesZero()));
        }
      }
    }
    return out;
  }

  /** The metrics as CSV under {@link Schemas#METRICS}'s column names. */
  public static String csv(List<Metric> metrics) {
    StringBuilder b =
        new StringBuilder(String.join(",", Schemas.METRICS.fieldNames())).append('\n');
    for (Metric m : metrics) {
      List<String> cells = new ArrayList<>();
      for (Object v : m.cells().values()) {
        String s =
            v instanceof Double d ? String.format(Locale.ROOT, "%.10g", d) : String.valueOf(v);
        cells.add(s.contains(",") ? "\"" + s + "\"" : s);
      }
      b.append(String.join(",", cells)).append('\n');
    }
    return b.toString().trim();
  }

  private static Metric find(List<Metric> metrics, String model, String dataset, String split) {
    return metrics.stream().filter(m -> m.isSplit(model, dataset, split)).findFirst().orElse(null);
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }
}
