package org.shoal.pipeline.simulate;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

class TestSimulateWorld {
  private final SparkSession spark = SharedSpark.session();
  private static final SimulateWorld.Setup SETUP =
      new SimulateWorld.Setup(Worlds.SMALL, Worlds.MODEL, Worlds.simulation(7, 12), 5);

  @Test
  void truthSummaryAgreesWithAPlainJavaLoop() {
    TruthSummary summary = TruthSummary.of(SimulateWorld.truth(spark, SETUP));
    TrackSimulator sim =
        new TrackSimulator(new SyntheticWorld(SETUP.world()), SETUP.model(), SETUP.simulation());
    long steps = 0;
    long stayed = 0;
    long rows = 0;
    double expected = 0;
    double ll = 0;
    for (int i = 0; i < 12; i++) {
      for (TrackSimulator.Step s : sim.simulate(i).steps()) {
        steps++;
        rows += s.choices().size();
        stayed += s.destination() == s.origin() ? 1 : 0;
        expected += s.probabilities()[s.choices().indexOf(s.origin())];
        ll += Math.log(s.probabilities()[s.selected()]);
      }
    }
    assertThat(summary.individuals()).isEqualTo(12);
    assertThat(summary.steps()).isEqualTo(steps);
    assertThat(summary.choiceRows()).isEqualTo(rows);
    assertThat(summary.stayPutRate()).isCloseTo(stayed / (double) steps, within(1e-12));
    assertThat(summary.expectedStayPutRate()).isCloseTo(expected / steps, within(1e-9));
    assertThat(summary.trueMeanLogLikelihood()).isCloseTo(ll / steps, within(1e-9));
    assertThat(summary.trueMeanLogLikelihood()).isGreaterThan(summary.uniformMeanLogLikelihood());
  }

  @Test
  void rowsDoNotDependOnPartitioning() {
    SimulateWorld.Setup other =
        new SimulateWorld.Setup(SETUP.world(), SETUP.model(), SETUP.simulation(), 1);
    assertThat(SimulateWorld.truth(spark, other).collectAsList())
        .isEqualTo(SimulateWorld.truth(spark, SETUP).collectAsList());
    assertThat(SimulateWorld.tracks(spark, other).collectAsList())
        .isEqualTo(SimulateWorld.tracks(spark, SETUP).collectAsList());
  }

  @Test
  void tracksAreDailyAndFollowTheSelectedChoices() {
    Dataset<Row> tracks = SimulateWorld.tracks(spark, SETUP);
    Dataset<Row> selected = SimulateWorld.truth(spark, SETUP).filter(col(Cols.SELECTED));
    // one position per step plus the final one
    assertThat(tracks.count()).isEqualTo(selected.count() + 12);
    List<Row> first = tracks.filter(col(Cols.INDIVIDUAL_ID).equalTo("sim-00000")).collectAsList();
    for (int i = 1; i < first.size(); i++) {
      long gap =
          first.get(i).getTimestamp(1).getTime() - first.get(i - 1).getTimestamp(1).getTime();
      assertThat(gap).isEqualTo(86_400_000L);
    }
    Row start = first.get(0);
    String cell = H3Cells.address(H3Cells.cellOf(start.getDouble(2), start.getDouble(3), 4));
    Row firstStep =
        selected.filter(col(Cols.INDIVIDUAL).equalTo("sim-00000")).orderBy(Cols.DATE).first();
    assertThat(firstStep.getAs(Cols.ORIGIN_CELL).toString()).isEqualTo(cell);
  }

  @Test
  void covariatesCoverEveryOceanCellOnEveryDay() {
    SyntheticWorld world = new SyntheticWorld(SETUP.world());
    Dataset<Row> cov = SimulateWorld.covariates(spark, world, SETUP.simulation());
    assertThat(cov.count())
        .isEqualTo((long) world.oceanCells().length * SETUP.simulation().coveredDays());
    assertThat(cov.select(Cols.CELL, Cols.DATE).distinct().count()).isEqualTo(cov.count());
    Row r = cov.first();
    assertThat(world.isOcean(H3Cells.parse(r.getString(0)))).isTrue();
    assertThat(r.getDouble(2)).isPositive(); // mixed layer thickness
    assertThat(r.getDouble(3)).isPositive(); // npp
  }
}
