package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.shoal.jobs.config.TransitionsConfig;
import org.shoal.pipeline.diffuse.Transitions;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.geo.GeoPoint;
import org.shoal.pipeline.geo.Region;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.model.LogOddsScorer;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.simulate.TrueTransitions;
import picocli.CommandLine.Command;

/**
 * {@code shoal transitions}: the daily transition table of a trained model (or of the simulator's
 * true model) over a region and period. Writes transitions/ (Parquet, partitioned by day:
 * origin_cell, destination, date, day, probability) and report.json under shoal.transitions.output.
 */
@Command(
    name = "transitions",
    mixinStandardHelpOptions = true,
    description = "Build a model's daily transition table over a region and period.")
final class TransitionsJob extends JobCommand<TransitionsConfig> {
  TransitionsJob() {
    super(TransitionsConfig::from);
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    long start = System.nanoTime();
    Dataset<Row> transitions;
    if (config.trueModel()) {
      progress.stage("scoring every ocean cell of the synthetic world with the true model");
      double forkLength = config.attributes().getOrDefault(Cols.FORK_LENGTH_CM, 75.5);
      transitions =
          TrueTransitions.build(
              spark, config.trueWorld(), config.startDate(), config.days(), forkLength);
    } else {
      TrainedModels.Run run = TrainedModels.load(spark, config.model());
      LogOddsScorer scorer = run.scorer();
      FeatureManifest manifest = run.manifest();
      progress.stage("scoring every origin cell and day with model " + run.shortId());
      Dataset<Row> covariates =
          Inputs.covariates(spark, config.covariates(), manifest.resolution());
      if (!java.util.Arrays.asList(covariates.columns()).contains(Cols.DATE)) {
        throw new IllegalArgumentException(
            "the covariates at "
                + config.covariates()
                + " have no dates; transitions need daily covariates");
      }
      for (String column : manifest.transforms().keySet()) {
        if (!java.util.Arrays.asList(covariates.columns()).contains(column)
            && !config.attributes().containsKey(column)) {
          throw new IllegalArgumentException(
              "the model uses '"
                  + column
                  + "', which is neither a covariate nor in transitions.attributes");
        }
      }
      Region r = config.region();
      Dataset<Row> origins =
          covariates
              .filter(
                  col(Cols.DATE)
                      .geq(lit(java.sql.Date.valueOf(config.startDate())))
                      .and(
                          col(Cols.DATE)
                              .lt(
                                  lit(
                                      java.sql.Date.valueOf(
                                          config.startDate().plusDays(config.days()))))))
              .filter(
                  udf(
                          (UDF1<String, Boolean>)
                              c -> inside(r, H3Cells.centroid(H3Cells.parse(c))),
                          DataTypes.BooleanType)
                      .apply(col(Cols.CELL)));
      transitions =
          Transitions.build(
              origins,
              covariates,
              config.startDate(),
              manifest.radiusKm(),
              config.attributes(),
              manifest.normalisation(),
              scorer);
    }
    transitions
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(Cols.DAY)
        .parquet(config.output() + "/transitions");
    Dataset<Row> written = spark.read().parquet(config.output() + "/transitions");
    long rows = written.count();
    long originDays = written.select(Cols.ORIGIN_CELL, Cols.DAY).distinct().count();
    double seconds = (System.nanoTime() - start) / 1e9;
    progress.finished(
        String.format(Locale.ROOT, "%d origin-days, %d transitions", originDays, rows));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", config.model());
    report.put("originDays", originDays);
    report.put("transitions", rows);
    report.put("seconds", seconds);
    report.put("transitionsPerSecond", rows / seconds);
    Outputs.json(spark, report, config.output() + "/report.json");
    progress.info(
        String.format(
            Locale.ROOT,
            "speed: %.0f transitions/s (%.0f origin-days/s)",
            rows / seconds,
            originDays / seconds));
  }

  private static boolean inside(Region r, GeoPoint p) {
    return p.lat() >= r.minLat()
        && p.lat() <= r.maxLat()
        && p.lon() >= r.minLon()
        && p.lon() <= r.maxLon();
  }
}
