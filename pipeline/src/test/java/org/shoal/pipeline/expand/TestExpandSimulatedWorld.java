package org.shoal.pipeline.expand;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.features.ChoiceFeatures;
import org.shoal.pipeline.features.Transform;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.simulate.SimulateWorld;
import org.shoal.pipeline.simulate.Worlds;
import org.shoal.pipeline.testing.SharedSpark;

/**
 * Expanding the simulator's tracks with its covariates gives back exactly its choice sets and
 * selections.
 */
class TestExpandSimulatedWorld {
  private final SparkSession spark = SharedSpark.session();
  @TempDir Path dir;

  @Test
  void reproducesTheSimulatorsChoiceSetsAndSelectedCells() {
    SimulateWorld.Setup setup =
        new SimulateWorld.Setup(Worlds.SMALL, Worlds.MODEL, Worlds.simulation(17, 8), 4);
    Expansion.Output out =
        Worlds.expand(
            spark,
            setup,
            dir,
            List.of(ChoiceFeatures.Base.values()),
            Map.of("temperature", Transform.ZSCORE),
            1);

    String[] key = {Cols.INDIVIDUAL, Cols.DATE, Cols.ORIGIN_CELL, Cols.CELL, Cols.SELECTED};
    Dataset<Row> expanded = out.choices().select(key[0], key[1], key[2], key[3], key[4]);
    Dataset<Row> truth =
        SimulateWorld.truth(spark, setup).select(key[0], key[1], key[2], key[3], key[4]);
    long n = truth.count();
    assertThat(n).isGreaterThan(1000);
    assertThat(expanded.count()).isEqualTo(n);
    assertThat(expanded.exceptAll(truth).count()).isZero();
    assertThat(truth.exceptAll(expanded).count()).isZero();
    assertThat(out.dropped().count()).isZero();

    // the simulator's temperature is the covariate expand joined, candidate by candidate
    Row r = out.choices().filter(col(Cols.SELECTED)).first();
    assertThat(r.<Double>getAs("temperature")).isNotNull();
  }
}
