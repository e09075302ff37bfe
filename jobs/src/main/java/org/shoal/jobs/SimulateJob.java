package org.shoal.jobs;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.shoal.jobs.config.SimulateConfig;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.simulate.SimulateWorld;
import org.shoal.pipeline.simulate.SyntheticWorld;
import org.shoal.pipeline.simulate.TruthSummary;
import picocli.CommandLine.Command;

/**
 * {@code shoal simulate}: the built-in synthetic world. Writes, under shoal.simulate.output:
 *
 * <ul>
 *   <li>{@code cells/} every cell of the region with its centroid and land flag (Parquet, {@code
 *       Schemas.CELLS});
 *   <li>{@code covariates/} environment per (ocean cell, day) (Parquet, {@code
 *       Schemas.COVARIATES});
 *   <li>{@code tracks.csv} daily positions with fish attributes ({@code Schemas.TRACKS});
 *   <li>{@code truth/} every choice of every step with the true probability (Parquet, {@code
 *       Schemas.TRUTH});
 *   <li>{@code report.json} counts, stay-put rates and the true model's log-likelihood.
 * </ul>
 */
@Command(name = "simulate", description = "Simulate tagged fish in a synthetic ocean.")
final class SimulateJob extends JobCommand<SimulateConfig> {
  SimulateJob() {
    super(SimulateConfig::from);
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    SimulateWorld.Setup setup = config.setup();
    String out = config.output();

    progress.stage("building the world");
    SyntheticWorld world = new SyntheticWorld(setup.world());
    int ocean = world.oceanCells().length;
    int land = world.regionCells().length - ocean;
    progress.finished(String.format(Locale.ROOT, "%d ocean cells, %d land cells", ocean, land));

    progress.stage("writing cells and covariates to " + out);
    Outputs.parquet(SimulateWorld.cells(spark, world), out + "/cells");
    Outputs.parquet(
        SimulateWorld.covariates(spark, world, setup.simulation()), out + "/covariates");
    progress.finished(
        String.format(
            Locale.ROOT, "%d days x %d ocean cells", setup.simulation().coveredDays(), ocean));

    progress.stage(
        String.format(Locale.ROOT, "simulating %d fish", setup.simulation().individuals()));
    Outputs.parquet(SimulateWorld.truth(spark, setup), out + "/truth");
    TruthSummary summary = TruthSummary.of(spark.read().parquet(out + "/truth"));
    double seconds =
        progress.finished(
            String.format(
                Locale.ROOT, "%d steps, %d choice rows", summary.steps(), summary.choiceRows()));

    progress.stage("writing tracks.csv");
    Outputs.singleCsv(
        spark,
        SimulateWorld.tracks(spark, setup),
        out + "/tracks.csv",
        Cols.INDIVIDUAL_ID,
        Cols.TIMESTAMP);
    progress.finished(
        String.format(Locale.ROOT, "%d positions", summary.steps() + summary.individuals()));

    Report report =
        new Report(setup.simulation().seed(), ocean, land, summary, summary.steps() / seconds);
    report.lines().forEach(progress::info);
    Outputs.json(spark, report, out + "/report.json");
    progress.info("wrote " + out + "/report.json");
  }

  /** report.json: the world's size, the simulated truth's summary and the simulation speed. */
  record Report(
      long seed, int oceanCells, int landCells, TruthSummary summary, double stepsPerSecond) {
    List<String> lines() {
      return List.of(
          String.format(
              Locale.ROOT,
              "stay-put rate %.3f (true model expects %.3f +- %.3f); %d-%d choices per step",
              summary.stayPutRate(),
              summary.expectedStayPutRate(),
              summary.stayPutRateStdError(),
              summary.minChoices(),
              summary.maxChoices()),
          String.format(
              Locale.ROOT,
              "true model: mean log-likelihood per step %.4f (GMP %.4f); uniform baseline %.4f (GMP"
                  + " %.4f)",
              summary.trueMeanLogLikelihood(),
              Math.exp(summary.trueMeanLogLikelihood()),
              summary.uniformMeanLogLikelihood(),
              Math.exp(summary.uniformMeanLogLikelihood())),
          String.format(Locale.ROOT, "simulation speed: %.0f steps/s", stepsPerSecond));
    }
  }
}
