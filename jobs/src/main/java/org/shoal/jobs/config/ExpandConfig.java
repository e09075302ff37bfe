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
import org.shoal.pipeline.tracks.Step;
import org.shoal.pipeline.tracks.TrackFormat;
import org.shoal.pipeline.tracks.TrackSource;

/**
 * The validated configuration of {@code shoal expand} (keys under shoal.expand). Empty paths are
 * null.
 *
 * <p>Defaults written for the synthetic world give way on a user's data: the default attributes are
 * carried only when the tracks have them, the default covariates apply only to the simulator's
 * tracks, and default features on missing columns are left out. {@code notes} says what fell away;
 * {@code defaultFeatures} are the covariate and attribute features that may still fall away once
 * the data's columns are known. A user's own setting never does.
 */
public record ExpandConfig(
    String output,
    ExpandParams params,
    String covariates,
    String attributesTable,
    String splitFile,
    String normalisationFrom,
    int buckets,
    java.util.Set<String> defaultFeatures,
    List<String> notes)
    implements StageConfig {
  private static final String K = "shoal.expand.";

  @Override
  public List<String> inputs() {
    return java.util.stream.Stream.of(
            params.tracks().path(), covariates, attributesTable, splitFile, normalisationFrom)
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  public static ExpandConfig from(Settings s) {
    List<String> notes = new ArrayList<>();
    TrackFormat format = s.choice(K + "tracks.format", TrackFormat.class, "track format");
    String c = K + "tracks.columns.";
    List<String> attributes = s.strings(K + "tracks.attributes");
    boolean defaultAttributes = s.isDefault(K + "tracks.attributes");
    List<String> optional = new ArrayList<>();
    if (defaultAttributes) {
      optional.addAll(attributes);
      format.attributes.stream().filter(a -> !optional.contains(a)).forEach(optional::add);
    }
    TrackSource tracks =
        new TrackSource(
            format,
            s.requiredString(K + "tracks.path", "must not be empty"),
            s.optionalString(c + "individual"),
            s.optionalString(c + "timestamp"),
            s.optionalString(c + "latitude"),
            s.optionalString(c + "longitude"),
            defaultAttributes ? List.of() : attributes,
            optional,
            s.string(K + "tracks.timestamp-format"));
    if (!tracks.timestampFormat().isBlank()) {
      s.choice(K + "tracks.timestamp-format", p -> org.shoal.pipeline.tracks.Timestamps.pattern(p));
    }
    List<ChoiceFeatures.Base> base = new ArrayList<>();
    for (String b : s.strings(K + "features.base")) {
      try {
        base.add(org.shoal.pipeline.util.Enums.parse(ChoiceFeatures.Base.class, b, "base feature"));
      } catch (IllegalArgumentException e) {
        throw s.invalid(K + "features.base", e.getMessage());
      }
    }
    String covariates = s.optionalString(K + "covariates");
    if (s.isDefault(K + "covariates") && CovariatesConfig.enabled(s)) {
      covariates = s.string("shoal.covariates.output");
      notes.add(
          "covariates from " + covariates + " (shoal covariates: shoal.covariates.inputs is set)");
    } else if (covariates != null && s.isDefault(K + "covariates") && !s.tracksAreSimulated()) {
      notes.add(
          "no covariates: the default ("
              + covariates
              + ") is the synthetic world's; set "
              + K
              + "covariates for yours");
      covariates = null;
    }
    Map<String, Transform> covariateTransforms = transforms(s, K + "features.covariates");
    if (covariates == null && !covariateTransforms.isEmpty()) {
      List<String> defaults =
          covariateTransforms.keySet().stream()
              .filter(k -> s.isDefault(K + "features.covariates." + k))
              .toList();
      if (defaults.size() < covariateTransforms.size()) {
        String explicit =
            covariateTransforms.keySet().stream()
                .filter(k -> !defaults.contains(k))
                .findFirst()
                .orElseThrow();
        throw s.invalid(
            K + "features.covariates." + explicit,
            "covariate features need a covariates table (" + K + "covariates is empty)");
      }
      notes.add("default covariate features " + defaults + " left out: there are no covariates");
      covariateTransforms = Map.of();
    }
    Map<String, Transform> attributeTransforms = transforms(s, K + "features.attributes");
    java.util.Set<String> defaultFeatures = new java.util.TreeSet<>();
    for (String a : attributeTransforms.keySet()) {
      if (s.isDefault(K + "features.attributes." + a)) {
        defaultFeatures.add(a);
      }
    }
    for (String a : covariateTransforms.keySet()) {
      if (s.isDefault(K + "features.covariates." + a)) {
        defaultFeatures.add(a);
      }
    }
    ExpandParams params =
        new ExpandParams(
            tracks,
            s.choice(K + "daily-rule", DailyPositions.Rule.class, "daily rule"),
            s.choice(K + "step", Step::parse),
            s.integer(K + "resolution", 0, 15),
            s.number(K + "radius-km", 0, 20_000),
            s.choice(
                K + "missing-covariates",
                ExpandDecisions.MissingCovariates.class,
                "missing-covariates policy"),
            base,
            covariateTransforms,
            attributeTransforms,
            s.integer(K + "split.seed"),
            s.number(K + "split.validation-fraction", 0, 1));
    return new ExpandConfig(
        s.string(K + "output"),
        params,
        covariates,
        s.optionalString(K + "attributes-table"),
        s.optionalString(K + "split.file"),
        s.optionalString(K + "normalisation-from"),
        s.integer(K + "buckets", 1, 10_000),
        defaultFeatures,
        List.copyOf(notes));
  }

  /**
   * These params without the default features whose column the data lack ({@code attributes}: the
   * tracks' and the attributes table's columns; {@code covariateColumns}: the covariates table's),
   * each noted in {@code notesOut}. A user's feature on a missing column stays, and expand fails
   * naming it.
   */
  public ExpandParams paramsFor(
      List<String> attributes, List<String> covariateColumns, List<String> notesOut) {
    Map<String, Transform> attributeFeatures =
        usable(params.attributeTransforms(), attributes, "attribute", notesOut);
    Map<String, Transform> covariateFeatures =
        usable(params.covariateTransforms(), covariateColumns, "covariate", notesOut);
    return params.withFeatureTransforms(covariateFeatures, attributeFeatures);
  }

  private Map<String, Transform> usable(
      Map<String, Transform> wanted, List<String> columns, String what, List<String> notesOut) {
    Map<String, Transform> kept = new LinkedHashMap<>();
    List<String> leftOut = new ArrayList<>();
    wanted.forEach(
        (column, t) -> {
          if (columns.contains(column) || !defaultFeatures.contains(column)) {
            kept.put(column, t);
          } else {
            leftOut.add(column);
          }
        });
    if (!leftOut.isEmpty()) {
      notesOut.add(
          "default " + what + " features " + leftOut + " left out: the data have no such columns");
    }
    return kept;
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
}
