package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.util.List;
import java.util.Locale;
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
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.simulate.TrueTransitions;
import picocli.CommandLine.Command;

/**
 * {@code shoal transitions}: the daily transition table of a trained model (or of the simulator's
 * true model) over a region and period. Writes transitions/ (Parquet, partitioned by day:
 * origin_cell, destination, date, day, probability) and report.json under shoal.transitions.output.
 */
@Command(name = "transitions", description = "A model's daily transitions over a region.")
final class TransitionsJob extends JobCommand<TransitionsConfig> {
  TransitionsJob() {
    super(TransitionsConfig::from);
  }

  /** report.json: how many origin-days and transitions, and how fast. */
  record Report(
      String model,
      long originDays,
      long transitions,
      double seconds,
      double transitionsPerSecond) {}

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    long start = System.nanoTime();
    Dataset<Row> transitions = transitions(spark, progress);
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
    Outputs.json(
        spark,
        new Report(config.model(), originDays, rows, seconds, rows / seconds),
        config.output() + "/report.json");
    progress.info(
        String.format(
            Locale.ROOT,
            "speed: %.0f transitions/s (%.0f origin-days/s)",
            rows / seconds,
            originDays / seconds));
  }

  /**
   * The true model's transitions on the synthetic world, or a trained model's on the covariates.
   */
  private Dataset<Row> transitions(SparkSession spark, Progress progress)
      throws java.io.IOException {
    if (config.trueModel()) {
      progress.stage("scoring every ocean cell of the synthetic world with the true model");
      double forkLength = config.attributes().getOrDefault(Cols.FORK_LENGTH_CM, 75.5);
      return TrueTransitions.build(
          spark, config.trueWorld(), config.startDate(), config.days(), forkLength);
    }
    TrainedModels.Run run = TrainedModels.load(spark, config.model());
    progress.stage("scoring every origin cell and day with model " + run.shortId());
    Dataset<Row> covariates =
        Inputs.covariates(spark, config.covariates(), run.manifest().resolution());
    requireEveryInput(covariates, run.manifest());
    return Transitions.build(
        origins(covariates),
        covariates,
        config.startDate(),
        run.manifest().radiusKm(),
        config.attributes(),
        run.manifest().normalisation(),
        run.scorer());
  }

  /** Daily covariates with every column the model transforms, unless an attribute gives it. */
  private void requireEveryInput(Dataset<Row> covariates, FeatureManifest manifest) {
    List<String> columns = List.of(covariates.columns());
    if (!columns.contains(Cols.DATE)) {
      throw new IllegalArgumentException(
          "the covariates at "
              + config.covariates()
              + " have no dates; transitions need daily covariates");
    }
    for (String column : manifest.transforms().keySet()) {
      if (!columns.contains(column) && !config.attributes().containsKey(column)) {
        throw new IllegalArgumentException(
            "the model uses '"
                + column
                + "', which is neither a covariate nor in transitions.attributes");
      }
    }
  }

  /** The covariate rows of the period's days whose cell centre lies in the region. */
  private Dataset<Row> origins(Dataset<Row> covariates) {
    Region r = config.region();
    java.sql.Date from = java.sql.Date.valueOf(config.startDate());
    java.sql.Date until = java.sql.Date.valueOf(config.startDate().plusDays(config.days()));
    return covariates
        .filter(col(Cols.DATE).geq(lit(from)).and(col(Cols.DATE).lt(lit(until))))
        .filter(
            udf(
                    (UDF1<String, Boolean>) c -> inside(r, H3Cells.centroid(H3Cells.parse(c))),
                    DataTypes.BooleanType)
                .apply(col(Cols.CELL)));
  }

  private static boolean inside(Region r, GeoPoint p) {
    return p.lat() >= r.minLat()
        && p.lat() <= r.maxLat()
        && p.lon() >= r.minLon()
        && p.lon() <= r.maxLon();
  }
}
