package org.shoal.pipeline.model;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

/** Inference against a plain-Java softmax of the scorer's log-odds, with a hand-written network. */
class TestInference {
  private static final StructType SCHEMA =
      StructType.fromDDL(
          "individual STRING, decision INT, choice INT, split STRING, a DOUBLE, b FLOAT");

  /** 2 inputs -> 3 tanh units -> 1. */
  private static final LogOddsScorer NETWORK =
      new LogOddsScorer(
          List.of("a", "b"),
          "tanh",
          List.of(
              new double[][] {{0.5, -1.0, 2.0}, {1.5, 0.25, -0.75}},
              new double[][] {{1.0}, {-2.0}, {0.5}}),
          List.of(new double[] {0.1, -0.2, 0.3}, new double[] {0.05}));

  /** φ = -b. */
  private static final LogOddsScorer LINEAR =
      new LogOddsScorer(
          List.of("b"),
          "identity",
          List.<double[][]>of(new double[][] {{-1.0}}),
          List.<double[]>of(new double[] {0}));

  /**
   * Rows of {@link #SCHEMA}: {@code decisions} decisions of 1 to {@code maxChoices} choices for
   * each of {@code individuals} individuals, the first {@code training} of them in the train split.
   */
  private static List<Row> randomChoices(
      long seed, int individuals, int training, int decisions, int maxChoices) {
    Random rng = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < individuals; i++) {
      for (int d = 1; d <= decisions; d++) {
        int m = 1 + rng.nextInt(maxChoices);
        for (int c = 1; c <= m; c++) {
          rows.add(
              RowFactory.create(
                  "f" + i,
                  d,
                  c,
                  i < training ? "train" : "validation",
                  rng.nextGaussian() * 3,
                  (float) rng.nextGaussian()));
        }
      }
    }
    return rows;
  }

  @Test
  void probabilitiesAreTheSoftmaxOfTheScorersLogOddsWithinEachDecision() {
    List<Row> rows = randomChoices(3, 4, 3, 5, 6);
    Dataset<Row> choices = SharedSpark.session().createDataFrame(rows, SCHEMA).repartition(3);
    LogOddsScorer linear = LINEAR;
    List<Row> out =
        Inference.apply(
                choices,
                List.of(
                    new Inference.Scored(NETWORK, Cols.LOG_ODDS, Cols.PROBABILITY),
                    new Inference.Scored(linear, "_phi_linear", "probability_linear")),
                List.of("split"))
            .collectAsList();
    Map<String, Double> z = new HashMap<>();
    Map<String, Double> zLinear = new HashMap<>();
    for (Row r : rows) {
      String key = r.getString(0) + "/" + r.getInt(1);
      z.merge(
          key,
          Math.exp(NETWORK.logOdds(new double[] {r.getDouble(4), r.getFloat(5)})),
          Double::sum);
      zLinear.merge(key, Math.exp(-r.getFloat(5)), Double::sum);
    }
    assertThat(out).hasSize(rows.size());
    for (Row r : out) {
      String key = r.<String>getAs(Cols.INDIVIDUAL) + "/" + r.<Integer>getAs(Cols.DECISION);
      double a = r.getAs("a");
      double b = r.<Float>getAs("b");
      double phi = NETWORK.logOdds(new double[] {a, b});
      assertThat(r.<Double>getAs(Cols.LOG_ODDS)).isEqualTo(phi);
      assertThat(r.<Double>getAs(Cols.PROBABILITY))
          .isCloseTo(Math.exp(phi) / z.get(key), within(1e-12));
      assertThat(r.<Double>getAs("probability_linear"))
          .isCloseTo(Math.exp(-b) / zLinear.get(key), within(1e-12));
    }
  }

  @Test
  void streamingEqualsTheWindowsToTheLastBitWhenEveryDecisionIsContiguous() {
    // blocks of whole decisions span decision boundaries: 300 decisions of up to 30 choices
    List<Row> rows = randomChoices(8, 6, 4, 300, 30);
    Dataset<Row> choices =
        SharedSpark.session()
            .createDataFrame(rows, SCHEMA)
            .repartition(3, col(Cols.INDIVIDUAL))
            .sortWithinPartitions(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE);
    List<Inference.Scored> models =
        List.of(
            new Inference.Scored(NETWORK, Cols.LOG_ODDS, Cols.PROBABILITY),
            new Inference.Scored(LINEAR, "_phi_linear", "probability_linear"));
    Inference.Streamed streamed = Inference.streamed(choices, models);
    Dataset<Row> windows = Inference.apply(choices, models, List.of());
    assertThat(streamed.predictions().schema()).isEqualTo(windows.schema());
    List<Row> fromStream = streamed.predictions().collectAsList();
    assertThat(streamed.wholeDecisions()).isTrue();
    assertThat(fromStream).hasSize(rows.size());
    assertThat(fromStream).containsExactlyInAnyOrderElementsOf(windows.collectAsList());
  }

  @Test
  void streamingTellsWhenADecisionWasSplitOrOutOfOrder() {
    List<Row> rows = new ArrayList<>();
    for (int d = 1; d <= 40; d++) {
      for (int c = 1; c <= 3; c++) {
        rows.add(RowFactory.create("f1", d, c, "train", (double) c, 1f));
      }
    }
    List<Inference.Scored> models =
        List.of(new Inference.Scored(NETWORK, Cols.LOG_ODDS, Cols.PROBABILITY));
    Dataset<Row> table = SharedSpark.session().createDataFrame(rows, SCHEMA).coalesce(1);
    // in order, but decision 21's rows in two partitions
    Dataset<Row> split =
        SharedSpark.session()
            .createDataFrame(rows.subList(0, 61), SCHEMA)
            .coalesce(1)
            .union(
                SharedSpark.session().createDataFrame(rows.subList(61, 120), SCHEMA).coalesce(1));
    Inference.Streamed s = Inference.streamed(split, models);
    s.predictions().collectAsList();
    assertThat(s.wholeDecisions()).isFalse();
    // one partition, decisions out of order
    Inference.Streamed unordered =
        Inference.streamed(table.sortWithinPartitions(col(Cols.DECISION).desc()), models);
    unordered.predictions().collectAsList();
    assertThat(unordered.wholeDecisions()).isFalse();
    Inference.Streamed ordered = Inference.streamed(table, models);
    ordered.predictions().collectAsList();
    assertThat(ordered.wholeDecisions()).isTrue();
  }

  @Test
  void extremeLogOddsKeepTheirProbabilities() {
    LogOddsScorer identity =
        new LogOddsScorer(
            List.of("a"),
            "identity",
            List.<double[][]>of(new double[][] {{1.0}}),
            List.<double[]>of(new double[] {0}));
    double[][] decisions = {
      {900, 899, 890}, {-900, -901, -905}, {650, 640}, {-650, -660}, {0, 0, -1000}, {100, -100}
    };
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < decisions.length; d++) {
      for (int c = 0; c < decisions[d].length; c++) {
        rows.add(RowFactory.create("f1", d, c, "train", decisions[d][c], 0f));
      }
    }
    Dataset<Row> choices = SharedSpark.session().createDataFrame(rows, SCHEMA);
    for (Row r : Inference.apply(choices, identity, "run").collectAsList()) {
      double[] phi = decisions[r.<Integer>getAs(Cols.DECISION)];
      double max = Arrays.stream(phi).max().getAsDouble();
      double z = Arrays.stream(phi).map(p -> Math.exp(p - max)).sum();
      double expected = Math.exp(phi[r.<Integer>getAs(Cols.CHOICE)] - max) / z;
      assertThat(r.<Double>getAs(Cols.PROBABILITY)).isCloseTo(expected, within(1e-13));
    }
  }

  @Test
  void aMissingFeatureIsNamedWithItsDecision() {
    List<Row> rows =
        List.of(
            RowFactory.create("f1", 1, 1, "train", 1.0, 2f),
            RowFactory.create("f1", 2, 1, "train", null, 2f));
    Dataset<Row> choices = SharedSpark.session().createDataFrame(rows, SCHEMA);
    assertThatThrownBy(() -> Inference.apply(choices, NETWORK, "run").collectAsList())
        .hasStackTraceContaining("feature 'a' is missing in decision 2 of individual 'f1'");
    assertThatThrownBy(
            () ->
                Inference.streamed(
                        choices,
                        List.of(new Inference.Scored(NETWORK, Cols.LOG_ODDS, Cols.PROBABILITY)))
                    .predictions()
                    .collectAsList())
        .hasStackTraceContaining("feature 'a' is missing in decision 2 of individual 'f1'");
    assertThatThrownBy(() -> Inference.apply(choices.drop("b"), NETWORK, "run"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the model needs feature 'b'");
  }
}
