package org.shoal.jobs.config;

import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The validated configuration of {@code shoal evaluate} (keys under shoal.evaluate). Empty paths
 * are null. The default reference (the simulator's true model) applies only to the simulator's
 * tracks; default grouping sets and subsets on columns the predictions lack fall away in the job
 * ({@code groupByIsDefault}, {@code defaultSubsets}).
 */
public record EvaluateConfig(
    String predictions,
    String reference,
    String referenceName,
    String training,
    String output,
    List<List<String>> groupBy,
    Map<String, String> subsets,
    int calibrationBins,
    int exemplars,
    String colorBy,
    boolean groupByIsDefault,
    boolean referenceIsDefault,
    java.util.Set<String> defaultSubsets,
    List<String> notes,
    int bootstrap,
    long bootstrapSeed,
    java.util.Set<String> baselines)
    implements StageConfig {
  /** The baselines evaluate can fit on the training split. */
  public static final List<String> BASELINES =
      List.of(
          org.shoal.pipeline.evaluate.Baselines.STAY_PUT_RATE,
          org.shoal.pipeline.evaluate.Baselines.DISTANCE);

  private static final String K = "shoal.evaluate.";

  @Override
  public List<String> inputs() {
    return StageConfig.present(predictions, reference, training);
  }

  public static EvaluateConfig from(Settings s) {
    List<List<String>> groups = new ArrayList<>();
    for (ConfigValue v : s.config().getList(K + "group-by")) {
      if (!(v.unwrapped() instanceof List<?> list)) {
        throw s.invalid(
            K + "group-by",
            "must be a list of lists of column names, e.g. [[split], [split, moved]]");
      }
      List<String> cols = new ArrayList<>();
      for (Object o : list) {
        cols.add(String.valueOf(o));
      }
      groups.add(cols);
    }
    List<String> notes = new ArrayList<>();
    String reference = s.optionalString(K + "reference");
    if (reference != null && s.isDefault(K + "reference") && !s.tracksAreSimulated()) {
      notes.add(
          "no reference model: the default ("
              + reference
              + ") is the synthetic world's true model");
      reference = null;
    }
    Map<String, String> subsets = new TreeMap<>(s.flatStrings(K + "subsets"));
    java.util.Set<String> defaultSubsets = new java.util.TreeSet<>();
    for (String name : subsets.keySet()) {
      if (s.isDefault(K + "subsets." + name)) {
        defaultSubsets.add(name);
      }
    }
    return new EvaluateConfig(
        s.string(K + "predictions"),
        reference,
        s.string(K + "reference-name"),
        s.optionalString(K + "training"),
        s.string(K + "output"),
        groups,
        subsets,
        s.integer(K + "calibration-bins", 1, 1000),
        s.integer(K + "exemplars", 0, 1000),
        s.string(K + "color-by"),
        s.isDefault(K + "group-by"),
        s.isDefault(K + "reference"),
        defaultSubsets,
        List.copyOf(notes),
        s.integer(K + "bootstrap", 0, 1_000_000),
        s.integer(K + "bootstrap-seed"),
        baselines(s));
  }

  private static java.util.Set<String> baselines(Settings s) {
    java.util.Set<String> chosen = new java.util.LinkedHashSet<>(s.strings(K + "baselines"));
    for (String b : chosen) {
      if (!BASELINES.contains(b)) {
        throw s.invalid(K + "baselines", "'" + b + "' is not one of " + BASELINES);
      }
    }
    return java.util.Collections.unmodifiableSet(chosen);
  }
}
