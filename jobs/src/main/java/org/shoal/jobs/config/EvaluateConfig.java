package org.shoal.jobs.config;

import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The validated configuration of {@code shoal evaluate} (keys under shoal.evaluate). Empty paths are null. */
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
    String colorBy) {
  private static final String K = "shoal.evaluate.";

  public static EvaluateConfig from(Settings s) {
    List<List<String>> groups = new ArrayList<>();
    for (ConfigValue v : s.config().getList(K + "group-by")) {
      if (!(v.unwrapped() instanceof List<?> list)) {
        throw s.invalid(K + "group-by", "must be a list of lists of column names, e.g. [[split], [split, moved]]");
      }
      List<String> cols = new ArrayList<>();
      for (Object o : list) {
        cols.add(String.valueOf(o));
      }
      groups.add(cols);
    }
    return new EvaluateConfig(
        s.string(K + "predictions"),
        blankToNull(s.string(K + "reference")),
        s.string(K + "reference-name"),
        blankToNull(s.string(K + "training")),
        s.string(K + "output"),
        groups,
        new TreeMap<>(s.flatStrings(K + "subsets")),
        s.integer(K + "calibration-bins", 1, 1000),
        s.integer(K + "exemplars", 0, 1000),
        s.string(K + "color-by"));
  }

  private static String blankToNull(String v) {
    return v.isBlank() ? null : v;
  }
}
