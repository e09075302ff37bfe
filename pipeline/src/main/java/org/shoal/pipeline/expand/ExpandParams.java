package org.shoal.pipeline.expand;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.shoal.pipeline.features.ChoiceFeatures;
import org.shoal.pipeline.features.Transform;
import org.shoal.pipeline.h3.ChoiceSets;
import org.shoal.pipeline.tracks.DailyPositions;
import org.shoal.pipeline.tracks.Step;
import org.shoal.pipeline.tracks.TrackSource;

/**
 * Everything {@link Expansion} needs besides the data. {@code covariateTransforms} and {@code
 * attributeTransforms} map raw columns to transforms; each becomes a feature {@code f_<column>}.
 */
public record ExpandParams(
    TrackSource tracks,
    DailyPositions.Rule dailyRule,
    Step step,
    int resolution,
    double radiusKm,
    ExpandDecisions.MissingCovariates missingCovariates,
    List<ChoiceFeatures.Base> baseFeatures,
    Map<String, Transform> covariateTransforms,
    Map<String, Transform> attributeTransforms,
    long splitSeed,
    double validationFraction)
    implements Serializable {

  public ExpandParams {
    ChoiceSets.check(resolution, radiusKm);
    baseFeatures = List.copyOf(baseFeatures);
    covariateTransforms = new LinkedHashMap<>(covariateTransforms);
    attributeTransforms = new LinkedHashMap<>(attributeTransforms);
  }

  public ExpandParams withFeatureTransforms(
      Map<String, Transform> covariates, Map<String, Transform> attributes) {
    return new ExpandParams(
        tracks,
        dailyRule,
        step,
        resolution,
        radiusKm,
        missingCovariates,
        baseFeatures,
        covariates,
        attributes,
        splitSeed,
        validationFraction);
  }

  /** All transformed columns: covariates then attributes. */
  public Map<String, Transform> transforms() {
    Map<String, Transform> all = new LinkedHashMap<>(covariateTransforms);
    all.putAll(attributeTransforms);
    return all;
  }
}
