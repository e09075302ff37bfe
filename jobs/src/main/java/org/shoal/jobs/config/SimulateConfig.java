package org.shoal.jobs.config;

import java.util.List;
import org.shoal.pipeline.geo.Region;
import org.shoal.pipeline.simulate.SimulateWorld;
import org.shoal.pipeline.simulate.SimulationSpec;
import org.shoal.pipeline.simulate.SyntheticWorld;
import org.shoal.pipeline.simulate.TrueMovementModel;

/** The validated configuration of {@code shoal simulate} (keys under shoal.simulate). */
public record SimulateConfig(String output, SimulateWorld.Setup setup) implements StageConfig {
  private static final String K = "shoal.simulate.";

  @Override
  public List<String> inputs() {
    return List.of();
  }

  public static SimulateConfig from(Settings s) {
    int minDays = s.integer(K + "min-days", 1, 100_000);
    int maxDays = s.integer(K + "max-days", 1, 100_000);
    if (maxDays < minDays) {
      throw s.invalid(K + "max-days", "must be >= min-days (" + minDays + ")");
    }
    double minLat = s.number(K + "region.min-lat", -90, 90);
    double maxLat = s.number(K + "region.max-lat", -90, 90);
    double minLon = s.number(K + "region.min-lon", -180, 180);
    double maxLon = s.number(K + "region.max-lon", -180, 180);
    if (maxLat <= minLat) {
      throw s.invalid(K + "region.max-lat", "must be greater than region.min-lat (" + minLat + ")");
    }
    if (maxLon <= minLon) {
      throw s.invalid(
          K + "region.max-lon",
          "must be greater than region.min-lon ("
              + minLon
              + "); boxes across the antimeridian are not supported");
    }
    SyntheticWorld.Spec world =
        new SyntheticWorld.Spec(
            new Region(minLat, maxLat, minLon, maxLon),
            s.integer(K + "resolution", 0, 15),
            s.number(K + "radius-km", 0, 20_000));
    SimulationSpec simulation =
        new SimulationSpec(
            s.integer(K + "seed"),
            s.integer(K + "individuals", 1, 10_000_000),
            minDays,
            maxDays,
            s.date(K + "start-date"),
            s.integer(K + "release-window-days", 0, 100_000),
            s.number(K + "fork-length-mean-cm", 0, 1_000),
            s.number(K + "fork-length-sd-cm", 0, 1_000));
    String m = K + "true-model.";
    TrueMovementModel model =
        new TrueMovementModel(
            s.number(m + "stay-put"),
            s.number(m + "distance"),
            s.number(m + "distance-squared"),
            s.number(m + "fork-length-distance"),
            s.number(m + "heading"),
            s.number(m + "preferred-bearing-deg"),
            s.number(m + "temperature"),
            s.number(m + "preferred-temperature"),
            s.number(m + "productivity"));
    return new SimulateConfig(
        s.string(K + "output"),
        new SimulateWorld.Setup(
            world, model, simulation, s.integer(K + "individuals-per-partition", 1, 1_000_000)));
  }
}
