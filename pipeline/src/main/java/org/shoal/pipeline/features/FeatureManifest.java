package org.shoal.pipeline.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * features.json, written with every choice dataset: the model's feature columns in order, how the
 * choices were built (resolution, radius and step; null for an imported table, which has no cells),
 * and the normalisation (transform and training statistics per column) that validation, inference
 * and later rebuilds must reuse unchanged. {@code contrasts}: how shoal contrasts sampled the rows
 * ({@code pairs} or {@code decisions}), null for choices it did not sample; {@code alternatives}:
 * for pairs, the A unselected choices each draw pairs its selected choice with. {@code layout}:
 * {@link #DECISIONS_IN_SORTED_FILES} when shoal wrote the rows (every decision's rows in one file,
 * each file sorted by individual, decision and choice), null when unknown.
 */
public record FeatureManifest(
    List<String> features,
    Integer resolution,
    Double radiusKm,
    String step,
    Map<String, String> transforms,
    Map<String, ColumnStats> statistics,
    Map<String, Object> split,
    String contrasts,
    Integer alternatives,
    String layout) {
  public static final String PAIRS = "pairs";
  public static final String DECISIONS_IN_SORTED_FILES = "decisions-in-sorted-files";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static FeatureManifest of(
      List<String> features,
      Integer resolution,
      Double radiusKm,
      String step,
      Normalisation normalisation,
      Map<String, Object> split) {
    Map<String, String> transforms = new LinkedHashMap<>();
    normalisation.transforms().forEach((k, v) -> transforms.put(k, v.configName()));
    return new FeatureManifest(
        features,
        resolution,
        radiusKm,
        step,
        transforms,
        normalisation.stats(),
        split,
        null,
        null,
        null);
  }

  /** This manifest for a model trained on {@code used}, a subset of the features. */
  public FeatureManifest withFeatures(List<String> used) {
    return with(List.copyOf(used), contrasts, alternatives, layout);
  }

  /**
   * This manifest for rows shoal contrasts sampled in {@code mode} (pairs, decisions), with {@code
   * alternatives} per draw for pairs (null otherwise).
   */
  public FeatureManifest withContrasts(String mode, Integer alternatives) {
    return with(features, mode, alternatives, layout);
  }

  /** This manifest for rows laid out as {@code layout} says (null: unknown). */
  public FeatureManifest withLayout(String layout) {
    return with(features, contrasts, alternatives, layout);
  }

  /** This manifest with the fields that describe the rows rather than how they were built. */
  private FeatureManifest with(
      List<String> features, String contrasts, Integer alternatives, String layout) {
    return new FeatureManifest(
        features,
        resolution,
        radiusKm,
        step,
        transforms,
        statistics,
        split,
        contrasts,
        alternatives,
        layout);
  }

  /**
   * Whether every decision's rows are contiguous in one file, the files sorted by individual,
   * decision and choice: infer then takes each softmax as the rows stream past, without a shuffle.
   */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean decisionsInSortedFiles() {
    return DECISIONS_IN_SORTED_FILES.equals(layout);
  }

  /** Whether the rows are contrast pairs, each draw's pairs sharing their selected choice. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean pairs() {
    return PAIRS.equals(contrasts);
  }

  /**
   * How the choices were built, in words: two datasets are comparable only when these are equal.
   */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public String choiceSets() {
    if (resolution == null) {
      return "no cells (an imported choice table)";
    }
    return String.format(
        java.util.Locale.ROOT,
        "resolution %d, radius %s km, step %s",
        resolution,
        stripZeros(radiusKm),
        step);
  }

  private static String stripZeros(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  public Normalisation normalisation() {
    Map<String, Transform> t = new LinkedHashMap<>();
    transforms.forEach((k, v) -> t.put(k, Transform.parse(v)));
    return new Normalisation(t, statistics);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static FeatureManifest fromJson(String json, String where) {
    try {
      return JSON.readValue(json, FeatureManifest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot read the feature manifest " + where + ": " + e.getOriginalMessage(), e);
    }
  }
}
