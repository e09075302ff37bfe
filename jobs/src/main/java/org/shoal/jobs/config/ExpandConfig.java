package org.shoal.jobs.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.shoal.pipeline.expand.ExpandDecisions;
import org.shoal.pipeline.expand.ExpandParams;
import org.shoal.pipeline.features.ChoiceFeatures;
import org.shoal.pipeline.features.Transform;
import org.shoal.pipeline.tracks.DailyPositions;
import org.shoal.pipeline.tracks.TrackFormat;
import org.shoal.pipeline.tracks.TrackSource;

/** The validated configuration of {@code shoal expand} (keys under shoal.expand). Empty paths are null. */
public record ExpandConfig(
    String output,
    ExpandParams params,
    String covariates,
    String attributesTable,
    String splitFile,
    String normalisationFrom,
    int buckets) {
  private static final String K = "shoal.expand.";

  public static ExpandConfig from(Settings s) {
    TrackFormat format = s.choice(K + "tracks.format", TrackFormat::parse);
    String c = K + "tracks.columns.";
    TrackSource tracks =
        new TrackSource(
            format,
            required(s, K + "tracks.path"),
            orDefault(s.string(c + "individual"), format.individual),
            orDefault(s.string(c + "timestamp"), format.timestamp),
            orDefault(s.string(c + "latitude"), format.latitude),
            orDefault(s.string(c + "longitude"), format.longitude),
            s.strings(K + "tracks.attributes"),
            s.string(K + "tracks.timestamp-format"));
    if (!tracks.timestampFormat().isBlank()) {
      s.choice(K + "tracks.timestamp-format", p -> org.shoal.pipeline.tracks.Timestamps.pattern(p));
    }
    List<ChoiceFeatures.Base> base = new ArrayList<>();
    for (String b : s.strings(K + "features.base")) {
      try {
        base.add(ChoiceFeatures.Base.parse(b));
      } catch (IllegalArgumentException e) {
        throw s.invalid(K + "features.base", e.getMessage());
      }
    }
    String covariates = optional(s, K + "covariates");
    Map<String, Transform> covariateTransforms = transforms(s, K + "features.covariates");
    if (covariates == null && !covariateTransforms.isEmpty()) {
      throw s.invalid(
          K + "features.covariates", "covariate features need a covariates table (" + K + "covariates is empty)");
    }
    ExpandParams params =
        new ExpandParams(
            tracks,
            s.choice(K + "daily-rule", DailyPositions.Rule::parse),
            s.integer(K + "step-days", 1, 366),
            s.integer(K + "resolution", 0, 15),
            s.number(K + "radius-km", 0, 20_000),
            s.choice(K + "missing-covariates", ExpandDecisions.MissingCovariates::parse),
            base,
            covariateTransforms,
            transforms(s, K + "features.attributes"),
            s.integer(K + "split.seed"),
            s.number(K + "split.validation-fraction", 0, 1));
    return new ExpandConfig(
        s.string(K + "output"),
        params,
        covariates,
        optional(s, K + "attributes-table"),
        optional(s, K + "split.file"),
        optional(s, K + "normalisation-from"),
        s.integer(K + "buckets", 1, 10_000));
  }

  private static Map<String, Transform> transforms(Settings s, String key) {
    // Sorted, so the feature order does not depend on how HOCON stores objects.
    Map<String, Transform> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.flatStrings(key)).entrySet()) {
      String k = key + "." + e.getKey();
      if (!e.getValue().equalsIgnoreCase("none")) {
        out.put(e.getKey(), s.choice(k, Transform::parse));
      }
    }
    return out;
  }

  private static String orDefault(String value, String fallback) {
    return value.isBlank() ? fallback : value;
  }

  private static String optional(Settings s, String key) {
    String v = s.string(key);
    return v.isBlank() ? null : v;
  }

  private static String required(Settings s, String key) {
    String v = s.string(key);
    if (v.isBlank()) {
      throw s.invalid(key, "must not be empty");
    }
    return v;
  }
}
