package org.shoal.pipeline.simulate;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.shoal.pipeline.expand.ExpandDecisions;
import org.shoal.pipeline.expand.ExpandParams;
import org.shoal.pipeline.expand.Expansion;
import org.shoal.pipeline.features.ChoiceFeatures;
import org.shoal.pipeline.features.Transform;
import org.shoal.pipeline.geo.Region;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.tracks.DailyPositions;
import org.shoal.pipeline.tracks.Step;
import org.shoal.pipeline.tracks.TrackFormat;
import org.shoal.pipeline.tracks.TrackSource;

/** Small worlds for tests: fast to build and simulate, same model as the default demo. */
public final class Worlds {
  private Worlds() {}

  public static final SyntheticWorld.Spec SMALL =
      new SyntheticWorld.Spec(new Region(52.0, 57.0, -152.0, -140.0), 4, 100);

  public static final TrueMovementModel MODEL =
      new TrueMovementModel(2.4, -1.0, -1.5, 0.5, 0.6, 135, 0.5, 9.0, 0.5);

  public static SimulationSpec simulation(long seed, int individuals) {
    return new SimulationSpec(seed, individuals, 20, 40, LocalDate.of(2020, 4, 1), 10, 75.5, 7.0);
  }

  /**
   * The world expanded the way a user's CSV tracks would be: its tracks written as CSV under {@code
   * dir/tracks} and read back with the fork length, joined with its covariates, with {@link
   * #expandParams}.
   */
  public static Expansion.Output expand(
      SparkSession spark,
      SimulateWorld.Setup setup,
      Path dir,
      List<ChoiceFeatures.Base> base,
      Map<String, Transform> covariates,
      long splitSeed) {
    ExpandParams params = expandParams(csvTracks(spark, setup, dir), base, covariates, splitSeed);
    return Expansion.run(spark, params, covariates(spark, setup), null, null, null);
  }

  private static TrackSource csvTracks(SparkSession spark, SimulateWorld.Setup setup, Path dir) {
    String tracks = dir.resolve("tracks").toString();
    SimulateWorld.tracks(spark, setup)
        .write()
        .mode(SaveMode.Overwrite)
        .option("header", true)
        .csv(tracks);
    return TrackSource.of(TrackFormat.CSV, tracks).withAttributes(List.of("fork_length_cm"));
  }

  /**
   * expand's parameters for a small world's CSV tracks: the last fix of each day, the world's
   * resolution and radius, the fork length z-scored and 30 % of the fish for validation.
   */
  private static ExpandParams expandParams(
      TrackSource source,
      List<ChoiceFeatures.Base> base,
      Map<String, Transform> covariates,
      long splitSeed) {
    return new ExpandParams(
        source,
        DailyPositions.Rule.LAST,
        Step.DAILY,
        SMALL.resolution(),
        SMALL.radiusKm(),
        ExpandDecisions.MissingCovariates.DROP,
        base,
        covariates,
        Map.of(Cols.FORK_LENGTH_CM, Transform.ZSCORE),
        splitSeed,
        0.3);
  }

  /** The world's covariates per (cell, day). */
  private static Dataset<Row> covariates(SparkSession spark, SimulateWorld.Setup setup) {
    return SimulateWorld.covariates(spark, new SyntheticWorld(setup.world()), setup.simulation());
  }
}
