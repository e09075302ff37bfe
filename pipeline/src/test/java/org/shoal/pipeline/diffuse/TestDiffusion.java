package org.shoal.pipeline.diffuse;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.features.ColumnStats;
import org.shoal.pipeline.features.Normalisation;
import org.shoal.pipeline.features.Transform;
import org.shoal.pipeline.geo.GeoPoint;
import org.shoal.pipeline.h3.ChoiceSet;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.model.LogOddsScorer;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.simulate.SimulateWorld;
import org.shoal.pipeline.simulate.SimulationSpec;
import org.shoal.pipeline.simulate.SyntheticWorld;
import org.shoal.pipeline.simulate.Worlds;
import org.shoal.pipeline.testing.SharedSpark;

/**
 * Transition tables from a (hand-set) model and diffusion through them, against plain-Java
 * expectations.
 */
class TestDiffusion {
  private final SparkSession spark = SharedSpark.session();
  private static final List<String> FEATURES =
      List.of("f_distance", "f_sin_bearing", "f_cos_bearing", "f_stay_put", "f_temperature");
  private static final Normalisation NORMALISATION =
      new Normalisation(
          Map.of("temperature", Transform.ZSCORE),
          Map.of("temperature", new ColumnStats(1, 10, 3, 0, 20)));
  private static final SyntheticWorld WORLD = new SyntheticWorld(Worlds.SMALL);
  private static final LocalDate FROM = LocalDate.of(2020, 6, 1);

  /** A linear model: phi = w . features. */
  private static LogOddsScorer linear(double... w) {
    double[][] weights = new double[w.length][1];
    for (int i = 0; i < w.length; i++) {
      weights[i][0] = w[i];
    }
    return new LogOddsScorer(
        FEATURES, "identity", List.<double[][]>of(weights), List.<double[]>of(new double[] {0}));
  }

  private Dataset<Row> transitions(LogOddsScorer model, int days) {
    SimulationSpec spec = new SimulationSpec(1, 1, days, days, FROM, 0, 75, 7);
    Dataset<Row> covariates = SimulateWorld.covariates(spark, WORLD, spec);
    Dataset<Row> origins =
        covariates.filter(col(Cols.DATE).lt(java.sql.Date.valueOf(FROM.plusDays(days))));
    return Transitions.build(
        origins, covariates, FROM, Worlds.SMALL.radiusKm(), Map.of(), NORMALISATION, model);
  }

  private static Map<String, Double> uniform() {
    Map<String, Double> mass = new HashMap<>();
    for (long c : WORLD.oceanCells()) {
      mass.put(H3Cells.address(c), 1.0);
    }
    return mass;
  }

  @Test
  void eachOriginDaysProbabilitiesSumToOneAndAStayPutModelChangesNothing() {
    Dataset<Row> t = transitions(linear(0, 0, 0, 60, 0), 2).cache();
    for (Row r : t.groupBy(Cols.ORIGIN_CELL, Cols.DAY).sum(Cols.PROBABILITY).collectAsList()) {
      assertThat(r.getDouble(2)).isCloseTo(1.0, within(1e-9));
    }
    assertThat(t.select(Cols.ORIGIN_CELL).distinct().count()).isEqualTo(WORLD.oceanCells().length);
    List<Diffusion.Day> days = Diffusion.run(uniform(), Diffusion.byDay(t.collectAsList(), 2));
    for (Diffusion.Day d : days) {
      for (Map.Entry<String, Double> e : d.density().entrySet()) {
        assertThat(e.getValue()).isCloseTo(1.0, within(1e-12));
      }
      assertThat(d.lost()).isZero();
    }
  }

  @Test
  void anEastwardPreferenceMovesTheCentreOfMassEastByTheExpectedAmount() {
    LogOddsScorer east = linear(0, 2, 0, 0, 0);
    List<Map<String, List<Diffusion.Move>>> moves =
        Diffusion.byDay(transitions(east, 1).collectAsList(), 1);
    long origin = WORLD.oceanCells()[WORLD.oceanCells().length / 2];
    List<Diffusion.Day> days = Diffusion.run(Map.of(H3Cells.address(origin), 1.0), moves);

    // plain Java: softmax of 2 sin(bearing) over the origin's ocean choices (the cells with
    // covariates)
    ChoiceSet choices = WORLD.choices(origin);
    double[] p = new double[choices.size()];
    double z = 0;
    for (int i = 0; i < p.length; i++) {
      boolean stay = choices.cells()[i] == origin;
      p[i] = Math.exp(stay ? 0 : 2 * Math.sin(Math.toRadians(choices.bearingDeg()[i])));
      z += p[i];
    }
    double expected = 0;
    GeoPoint o = H3Cells.centroid(origin);
    for (int i = 0; i < p.length; i++) {
      expected += p[i] / z * (H3Cells.centroid(choices.cells()[i]).lon() - o.lon());
    }
    double centre = 0;
    for (Map.Entry<String, Double> e : days.get(1).density().entrySet()) {
      centre += e.getValue() * (H3Cells.centroid(H3Cells.parse(e.getKey())).lon() - o.lon());
    }
    assertThat(expected).isPositive();
    assertThat(centre).isCloseTo(expected, within(1e-9));
  }

  @Test
  void massIsConservedUpToTheReportedLosses() {
    List<Map<String, List<Diffusion.Move>>> moves =
        Diffusion.byDay(transitions(linear(-1, 0.5, 0.3, 1, -0.2), 3).collectAsList(), 3);
    Map<String, Double> initial = uniform();
    // start one unit of mass in a land cell: it has no transitions and must be reported lost on day
    // 1
    long land =
        java.util.Arrays.stream(WORLD.regionCells()).filter(WORLD::isLand).findFirst().getAsLong();
    initial.put(H3Cells.address(land), 1.0);
    List<Diffusion.Day> days = Diffusion.run(initial, moves);
    double lost = 0;
    for (Diffusion.Day d : days) {
      lost += d.lost();
      assertThat(d.mass() + lost).isCloseTo(WORLD.oceanCells().length + 1.0, within(1e-9));
    }
    assertThat(days.get(1).lost()).isCloseTo(1.0, within(1e-12));
    assertThat(Diffusion.totalVariation(days.get(0).density(), days.get(0).density())).isZero();
    assertThat(Diffusion.totalVariation(days.get(0).density(), days.get(3).density()))
        .isBetween(0.0, 1.0);
  }
}
