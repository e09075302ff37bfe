package org.shoal.pipeline.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

/** The stay-put-rate baseline against probabilities worked out by hand. */
class TestBaselines {
  private static final StructType SCHEMA =
      StructType.fromDDL(
          "individual STRING, decision INT, origin_cell STRING, cell STRING, selected BOOLEAN, split STRING, probability DOUBLE");

  private static Row row(
      String ind, int d, String origin, String cell, boolean selected, String split) {
    return RowFactory.create(ind, d, origin, cell, selected, split, 0.5);
  }

  @Test
  void stayPutRatesPerOriginFromTrainingWithTheOverallRateForUnseenOrigins() {
    List<Row> rows =
        List.of(
            // training: origin A stays once in two decisions, origin D once in one
            row("t", 1, "A", "A", true, "train"),
            row("t", 1, "A", "B", false, "train"),
            row("t", 1, "A", "C", false, "train"),
            row("t", 2, "A", "A", false, "train"),
            row("t", 2, "A", "B", true, "train"),
            row("t", 2, "A", "C", false, "train"),
            row("t", 3, "D", "D", true, "train"),
            row("t", 3, "D", "E", false, "train"),
            // validation: a move from A among 4 choices, a stay at an origin never seen in
            // training, a lone choice
            row("v", 1, "A", "A", false, "validation"),
            row("v", 1, "A", "B", false, "validation"),
            row("v", 1, "A", "C", true, "validation"),
            row("v", 1, "A", "D", false, "validation"),
            row("v", 2, "Z", "Z", true, "validation"),
            row("v", 2, "Z", "Y", false, "validation"),
            row("v", 3, "Q", "Q", true, "validation"));
    var predictions = SharedSpark.session().createDataFrame(rows, SCHEMA);
    DecisionTable.StayPutRate model = Baselines.stayPutRate(predictions);
    double rateA = (1 + 1) / (2 + 2.0); // 0.5
    double rateD = (1 + 1) / (1 + 2.0);
    double overall = (2 + 1) / (3 + 2.0); // 3 training decisions, 2 stays
    assertThat(model.rateByOrigin()).containsOnlyKeys("A", "D");
    assertThat(model.rateByOrigin().get("A")).isCloseTo(rateA, within(1e-12));
    assertThat(model.rateByOrigin().get("D")).isCloseTo(rateD, within(1e-12));
    assertThat(model.overall()).isCloseTo(overall, within(1e-12));
    // the selected choice's probability in every decision, and renormalised within subsets
    DecisionTable table =
        DecisionTable.of(
            predictions,
            List.of(model),
            Map.of("moves", "cell <> origin_cell", "AC", "cell in ('A', 'C')"),
            List.of("split"));
    Map<String, Row> byDecision =
        table.rows().collectAsList().stream()
            .collect(
                Collectors.toMap(
                    r -> r.<String>getAs(Cols.INDIVIDUAL) + r.<Integer>getAs(Cols.DECISION),
                    r -> r));
    String all = table.ll(Baselines.STAY_PUT_RATE, DecisionTable.ALL);
    assertThat(byDecision.get("t1").<Double>getAs(all)).isCloseTo(Math.log(rateA), within(1e-12));
    assertThat(byDecision.get("t2").<Double>getAs(all))
        .isCloseTo(Math.log((1 - rateA) / 2), within(1e-12));
    assertThat(byDecision.get("t3").<Double>getAs(all)).isCloseTo(Math.log(rateD), within(1e-12));
    assertThat(byDecision.get("v1").<Double>getAs(all))
        .isCloseTo(Math.log((1 - rateA) / 3), within(1e-12));
    assertThat(byDecision.get("v2").<Double>getAs(all)).isCloseTo(Math.log(overall), within(1e-12));
    assertThat(byDecision.get("v3").<Double>getAs(all)).isEqualTo(0.0);
    String moves = table.ll(Baselines.STAY_PUT_RATE, "moves");
    assertThat(byDecision.get("v1").<Double>getAs(moves))
        .isCloseTo(Math.log(1.0 / 3), within(1e-12));
    assertThat(byDecision.get("t1").<Double>getAs(moves)).isNull(); // stayed: not in the subset
    String ac = table.ll(Baselines.STAY_PUT_RATE, "AC");
    double q = (1 - rateA) / 3;
    assertThat(byDecision.get("v1").<Double>getAs(ac))
        .isCloseTo(Math.log(q / (rateA + q)), within(1e-12));
  }

  @Test
  void theDistanceLogitMaximisesTheTrainingLikelihoodAndScoresEveryDecision() {
    StructType schema =
        SCHEMA
            .add(DataTypes.createStructField("distance_km", DataTypes.DoubleType, false))
            .add(DataTypes.createStructField(Cols.CHOICE, DataTypes.IntegerType, false));
    double[] km = {0, 50, 100, 150};
    String[] cells = {"O", "P", "Q", "R"};
    int[] trainSelected = {0, 1, 0, 2, 1, 0, 0, 3, 1, 0};
    List<Row> rows = new java.util.ArrayList<>();
    for (int d = 0; d < trainSelected.length; d++) {
      for (int j = 0; j < 4; j++) {
        rows.add(
            RowFactory.create(
                "t" + (d % 3),
                d + 1,
                "O",
                cells[j],
                j == trainSelected[d],
                "train",
                0.25,
                km[j],
                j + 1));
      }
    }
    for (int j = 0; j < 3; j++) { // a validation decision with three choices
      rows.add(RowFactory.create("v", 1, "O", cells[j], j == 1, "validation", 0.25, km[j], j + 1));
    }
    var predictions = SharedSpark.session().createDataFrame(rows, schema);
    assertThat(Baselines.canDistance(predictions)).isTrue();
    org.shoal.pipeline.model.ConditionalLogit.Fit fit =
        Baselines.fitDistance(predictions, 1000, 1000);
    assertThat(fit.decisions()).isEqualTo(trainSelected.length);
    // beyond the limit: a seeded sample, the same every time
    org.shoal.pipeline.model.ConditionalLogit.Fit sampled =
        Baselines.fitDistance(predictions, 6, 1000);
    assertThat(sampled.decisions()).isLessThan(trainSelected.length).isPositive();
    assertThat(Baselines.fitDistance(predictions, 6, 1000).estimates())
        .containsExactly(sampled.estimates());
    // beyond the choice rows' limit (6 decisions of 4 choices): the same sample
    assertThat(Baselines.fitDistance(predictions, 1000, 24).estimates())
        .containsExactly(sampled.estimates());
    double[] b = fit.estimates();
    // a plain-Java conditional logit at the fitted coefficients: the log-likelihood matches, the
    // gradient vanishes
    double ll = 0;
    double[] gradient = new double[3];
    for (int s : trainSelected) {
      double[][] x = new double[4][];
      double[] phi = new double[4];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < 4; j++) {
        double d = km[j] / 100;
        x[j] = new double[] {d, d * d, j == 0 ? 1 : 0};
        phi[j] = b[0] * x[j][0] + b[1] * x[j][1] + b[2] * x[j][2];
        max = Math.max(max, phi[j]);
      }
      double z = 0;
      for (double f : phi) {
        z += Math.exp(f - max);
      }
      ll += phi[s] - max - Math.log(z);
      for (int j = 0; j < 4; j++) {
        double p = Math.exp(phi[j] - max) / z;
        for (int k = 0; k < 3; k++) {
          gradient[k] += ((j == s ? 1 : 0) - p) * x[j][k];
        }
      }
    }
    assertThat(fit.logLikelihood()).isCloseTo(ll, within(1e-9));
    for (double g : gradient) {
      assertThat(Math.abs(g) / trainSelected.length).isLessThan(1e-7);
    }
    // the scored decisions: the training log-likelihood again, and a validation decision's softmax
    DecisionTable table =
        DecisionTable.of(predictions, List.of(Baselines.distance(fit)), Map.of(), List.of("split"));
    String llColumn = table.ll(Baselines.DISTANCE, DecisionTable.ALL);
    List<Row> scored = table.rows().collectAsList();
    double scoredLl =
        scored.stream()
            .filter(r -> r.<String>getAs("split").equals("train"))
            .mapToDouble(r -> r.<Double>getAs(llColumn))
            .sum();
    assertThat(scoredLl).isCloseTo(ll, within(1e-9));
    double[] phi = new double[3];
    double z = 0;
    for (int j = 0; j < 3; j++) {
      double d = km[j] / 100;
      phi[j] = b[0] * d + b[1] * d * d + b[2] * (j == 0 ? 1 : 0);
      z += Math.exp(phi[j]);
    }
    Row validation =
        scored.stream()
            .filter(r -> r.<String>getAs("split").equals("validation"))
            .findFirst()
            .orElseThrow();
    assertThat(validation.<Double>getAs(llColumn)).isCloseTo(phi[1] - Math.log(z), within(1e-12));
  }
}
