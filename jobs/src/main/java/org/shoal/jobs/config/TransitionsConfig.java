package org.shoal.jobs.config;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.shoal.pipeline.geo.Region;
import org.shoal.pipeline.simulate.SimulateWorld;

/** The validated configuration of {@code shoal transitions} (keys under shoal.transitions). */
public record TransitionsConfig(
    String model,
    String covariates,
    Region region,
    LocalDate startDate,
    int days,
    Map<String, Double> attributes,
    String output,
    SimulateWorld.Setup trueWorld)
    implements StageConfig {
  private static final String K = "shoal.transitions.";

  @Override
  public List<String> inputs() {
    return trueModel() ? List.of() : List.of(model, covariates);
  }

  public boolean trueModel() {
    return model.equals("true");
  }

  public static TransitionsConfig from(Settings s) {
    Map<String, Double> attributes = new LinkedHashMap<>();
    for (String key : new TreeMap<>(s.flatStrings(K + "attributes")).keySet()) {
      attributes.put(key, s.number(K + "attributes." + key));
    }
    double minLat = s.number(K + "region.min-lat", -90, 90);
    double maxLat = s.number(K + "region.max-lat", -90, 90);
    double minLon = s.number(K + "region.min-lon", -180, 180);
    double maxLon = s.number(K + "region.max-lon", -180, 180);
    Region region;
    try {
      region = new Region(minLat, maxLat, minLon, maxLon);
    } catch (IllegalArgumentException e) {
      throw s.invalid(K + "region.max-lat", e.getMessage());
    }
    String model = s.string(K + "model");
    if (!model.equals("true") && s.isDefault(K + "covariates") && !s.tracksAreSimulated()) {
      throw s.invalid(
          K + "covariates",
          "the default is the synthetic world's covariates, which say nothing about your tracks' region; set "
              + K
              + "covariates (every cell with covariates is an origin), "
              + K
              + "region and "
              + K
              + "start-date");
    }
    return new TransitionsConfig(
        model,
        s.string(K + "covariates"),
        region,
        s.date(K + "start-date"),
        s.integer(K + "days", 1, 100_000),
        attributes,
        s.string(K + "output"),
        SimulateConfig.from(s).setup());
  }
}
