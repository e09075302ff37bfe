package org.shoal.pipeline.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.mean;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.expand.Expansion;
import org.shoal.pipeline.features.ChoiceFeatures;
import org.shoal.pipeline.features.Transform;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.simulate.SimulateWorld;
import org.shoal.pipeline.simulate.Worlds;
import org.shoal.pipeline.testing.SharedSpark;

/**
 * The whole modelling chain on a simulated world: a network trained on expanded decisions must
 * reach, on the validation fish, a log-likelihood per decision within 1 % of the true model's, far
 * above the uniform baseline.
 */
class TestRecoversTheTrueModel {
  private final SparkSession spark = SharedSpark.session();
  @TempDir Path dir;

  @Test
  void validationLogLikelihoodIsWithinOnePercentOfTheTruth() {
    SimulateWorld.Setup setup =
        new SimulateWorld.Setup(Worlds.SMALL, Worlds.MODEL, Worlds.simulation(2024, 900), 100);
    Expansion.Output out =
        Worlds.expand(
            spark,
            setup,
            dir,
            List.of(
                ChoiceFeatures.Base.DISTANCE,
                ChoiceFeatures.Base.HEADING,
                ChoiceFeatures.Base.STAY_PUT),
            Map.of("temperature", Transform.ZSCORE, "net_primary_production", Transform.LOG_ZSCORE),
            5);
    Dataset<Row> choices = out.choices().cache();
    Decisions train =
        Decisions.collect(choices.filter(col("split").equalTo("train")), out.features());
    Decisions validation =
        Decisions.collect(choices.filter(col("split").equalTo("validation")), out.features());

    Training.Result fit =
        Training.fit(
            new NetworkSpec(List.of(32, 32), "tanh", 0, 0.01, 7),
            new Training.Plan(500, 60, 10, 7),
            train,
            validation,
            e ->
                System.out.printf(
                    "epoch %d train %.4f validation %.4f%n",
                    e.epoch(), e.trainLoss(), e.validationLoss()));

    Dataset<Row> truth = SimulateWorld.truth(spark, setup);
    Dataset<Row> validationKeys =
        choices
            .filter(col("split").equalTo("validation").and(col(Cols.SELECTED)))
            .select(Cols.INDIVIDUAL, Cols.DATE);
    double trueLoss =
        -truth
            .filter(col(Cols.SELECTED))
            .join(
                validationKeys,
                new scala.collection.immutable.Set.Set2<>(Cols.INDIVIDUAL, Cols.DATE).toSeq())
            .agg(mean(log(col(Cols.PROBABILITY))))
            .first()
            .getDouble(0);
    double uniformLoss = 0;
    for (int d = 0; d < validation.size(); d++) {
      uniformLoss += Math.log(validation.choices(d));
    }
    uniformLoss /= validation.size();
    double learned = fit.best().validationLoss();
    System.out.printf(
        "validation NLL per decision: learned %.4f, true %.4f, uniform %.4f (%d train, %d validation decisions)%n",
        learned, trueLoss, uniformLoss, train.size(), validation.size());
    assertThat(validation.size()).isGreaterThan(3000);
    assertThat(Math.abs(learned - trueLoss) / trueLoss).isLessThan(0.01);
    assertThat(learned).isLessThan(uniformLoss - 1.0);
  }
}
