package org.shoal.pipeline.model;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.NoOp;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

/**
 * Contrast pairs trained as draws (each selected choice once, {@link PairwiseLoss}) against the
 * same pairs trained one by one as two-choice decisions: the same loss, gradient and fit.
 */
class TestPairwiseDraws {
  private static final List<String> F = List.of("d", "c", "s");

  /**
   * Rows of a pairs table as shoal contrasts writes it: (individual, decision = pair, choice 1 the
   * selected, 2 the alternative, selected, d, c, s, draw), {@code alternatives} pairs per draw.
   */
  static List<Row> pairRows(int individuals, int draws, int alternatives, long seed) {
    Random rng = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < individuals; i++) {
      for (int draw = 1; draw <= draws; draw++) {
        float[] chosen = features(rng);
        for (int slot = 0; slot < alternatives; slot++) {
          int pair = (draw - 1) * alternatives + slot + 1;
          rows.add(row("fish" + i, pair, 1, true, chosen, draw));
          rows.add(row("fish" + i, pair, 2, false, features(rng), draw));
        }
      }
    }
    return rows;
  }

  private static float[] features(Random rng) {
    return new float[] {
      (float) rng.nextDouble(), (float) (2 * rng.nextDouble() - 1), rng.nextBoolean() ? 1f : 0f
    };
  }

  private static Row row(
      String individual, int pair, int choice, boolean selected, float[] x, int draw) {
    return RowFactory.create(individual, pair, choice, selected, x[0], x[1], x[2], draw);
  }

  /** The rows as {@link Decisions#build} reads them: every pair a two-choice decision. */
  private static Decisions asPairs(List<Row> rows) {
    return Decisions.build(
        rows.stream()
            .map(r -> RowFactory.create(r.get(0), r.get(1), r.get(3), r.get(4), r.get(5), r.get(6)))
            .iterator(),
        F);
  }

  /** The rows as {@link Decisions#buildDraws} reads them. */
  private static Decisions asDraws(List<Row> rows) {
    return Decisions.buildDraws(
        rows.stream()
            .map(
                r ->
                    RowFactory.create(
                        r.get(0), r.get(7), r.get(3), r.get(4), r.get(5), r.get(6), r.get(1)))
            .iterator(),
        F);
  }

  private static MultiLayerNetwork network(boolean pairwise, int maxChoices, double maskOffset) {
    NetworkSpec spec = new NetworkSpec(List.of(5, 4), "tanh", 0, 0.1, 3);
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            spec.configuration(3, maxChoices, new NoOp(), DataType.DOUBLE, maskOffset, pairwise));
    net.init();
    return net;
  }

  @Test
  void aDrawHoldsItsAlternativesThenItsSelectedChoiceOnce() {
    List<Row> rows = pairRows(2, 3, 4, 1);
    Decisions draws = asDraws(rows);
    assertThat(draws.pairwise()).isTrue();
    assertThat(draws.size()).isEqualTo(6);
    assertThat(draws.pairsOrDecisions()).isEqualTo(24);
    assertThat(draws.choiceRows()).isEqualTo(30);
    // the second draw of the first fish: pairs 5..8, rows 8..15
    assertThat(draws.selected(1)).isEqualTo(4);
    for (int slot = 0; slot < 4; slot++) {
      Row alternative = rows.get(8 + 2 * slot + 1);
      assertThat(draws.feature(1, slot, 1)).isEqualTo(alternative.getFloat(5));
    }
    assertThat(draws.feature(1, 4, 0)).isEqualTo(rows.get(8).getFloat(4));
  }

  @Test
  void drawsHaveThePairsLossAndGradient() {
    List<Row> rows = pairRows(3, 4, 5, 2);
    Decisions pairs = asPairs(rows);
    Decisions draws = asDraws(rows);
    MultiLayerNetwork softmax = network(false, 2, 1e4);
    MultiLayerNetwork pairwise = network(true, 6, 1e4);
    pairwise.setParams(softmax.params());
    DataSet pairBatch = pairs.batches(pairs.size(), null, DataType.DOUBLE).get(0);
    DataSet drawBatch = draws.batches(1_000_000, null, DataType.DOUBLE).get(0);
    assertThat(drawBatch.getFeatures().size(0)).isEqualTo(12);

    softmax.setInput(pairBatch.getFeatures());
    softmax.setLabels(pairBatch.getLabels());
    softmax.setLayerMaskArrays(pairBatch.getFeaturesMaskArray(), null);
    softmax.computeGradientAndScore();
    pairwise.setInput(drawBatch.getFeatures());
    pairwise.setLabels(drawBatch.getLabels());
    pairwise.setLayerMaskArrays(drawBatch.getFeaturesMaskArray(), null);
    pairwise.computeGradientAndScore();

    assertThat(pairwise.score()).isCloseTo(softmax.score(), within(1e-12));
    // DL4J divides by the minibatch when it updates: the per-example gradients differ by the
    // number of examples, pairs against draws
    double[] g = pairwise.gradient().gradient().dup().data().asDouble();
    double[] reference = softmax.gradient().gradient().dup().data().asDouble();
    assertThat(g).hasSameSizeAs(reference);
    double scale = (double) pairs.size() / draws.size();
    for (int k = 0; k < g.length; k++) {
      assertThat(g[k] * scale).isCloseTo(reference[k], within(1e-10));
    }
    assertThat(Training.meanLoss(pairwise, List.of(drawBatch)))
        .isCloseTo(Training.meanLoss(softmax, List.of(pairBatch)), within(1e-12));
  }

  @Test
  void thePairwiseGradientIsTheNumericalOneWithPaddedDraws() {
    // draws of 1 to 4 alternatives in one batch: padded slots, per-draw means over unequal counts
    List<Row> rows = new ArrayList<>();
    Random rng = new Random(7);
    for (int draw = 1; draw <= 8; draw++) {
      int alternatives = 1 + (draw % 4);
      float[] chosen = features(rng);
      for (int slot = 0; slot < alternatives; slot++) {
        int pair = 10 * draw + slot;
        rows.add(row("f", pair, 1, true, chosen, draw));
        rows.add(row("f", pair, 2, false, features(rng), draw));
      }
    }
    Decisions draws = asDraws(rows);
    DataSet ds = draws.batches(1_000, null, DataType.DOUBLE).get(0);
    MultiLayerNetwork net = network(true, draws.maxChoices(), 30.0);
    assertThat(TestLogOddsNetwork.gradientsCheck(net, ds)).isTrue();
    // and the loss is the mean of the pairs' losses, computed pair by pair in plain Java
    LogOddsScorer scorer = LogOddsScorer.of(net, F, "tanh");
    double sum = 0;
    int n = 0;
    for (int i = 0; i < rows.size(); i += 2) {
      double s = scorer.logOdds(values(rows.get(i)));
      double a = scorer.logOdds(values(rows.get(i + 1)));
      sum += Math.log1p(Math.exp(a - s));
      n++;
    }
    assertThat(Training.meanLoss(net, List.of(ds))).isCloseTo(sum / n, within(1e-9));
  }

  private static double[] values(Row r) {
    return new double[] {r.getFloat(4), r.getFloat(5), r.getFloat(6)};
  }

  /**
   * With one minibatch holding every pair, training on draws takes the same steps as training on
   * the pairs: the same losses every epoch and the same pair log-odds differences. (Not bit for bit
   * the same weights: the output bias, which no pair sees, has a gradient of 0 up to rounding, and
   * Adam's step on such a gradient takes its sign.)
   */
  @Test
  void fullBatchTrainingOnDrawsFollowsTrainingOnPairs() {
    List<Row> train = pairRows(4, 6, 5, 3);
    List<Row> validation = pairRows(2, 6, 5, 4);
    NetworkSpec spec = new NetworkSpec(List.of(8), "relu", 0, 0.01, 5);
    Training.Plan plan = new Training.Plan(100_000, 6, 0, 9);
    Training.Result pairs = Training.fit(spec, plan, asPairs(train), asPairs(validation), e -> {});
    Training.Result draws = Training.fit(spec, plan, asDraws(train), asDraws(validation), e -> {});
    for (int e = 0; e < 6; e++) {
      assertThat(draws.history().get(e).trainLoss())
          .isCloseTo(pairs.history().get(e).trainLoss(), within(1e-5));
      assertThat(draws.history().get(e).validationLoss())
          .isCloseTo(pairs.history().get(e).validationLoss(), within(1e-5));
    }
    assertThat(pairs.history().get(5).trainLoss())
        .isLessThan(pairs.history().get(0).trainLoss() - 1e-3); // it did learn
    LogOddsScorer fromDraws = LogOddsScorer.of(draws.network(), F, "relu");
    LogOddsScorer fromPairs = LogOddsScorer.of(pairs.network(), F, "relu");
    for (int i = 0; i < validation.size(); i += 2) {
      double[] chosen = values(validation.get(i));
      double[] alternative = values(validation.get(i + 1));
      assertThat(fromDraws.logOdds(alternative) - fromDraws.logOdds(chosen))
          .isCloseTo(fromPairs.logOdds(alternative) - fromPairs.logOdds(chosen), within(1e-4));
    }
  }

  @Test
  void aSampleOfPairsFromDrawsHoldsThePairsASampleOfPairDecisionsHolds() {
    List<Row> rows = pairRows(3, 7, 5, 10);
    Decisions pairs = asPairs(rows);
    Decisions draws = asDraws(rows);
    for (int n : new int[] {1, 4, 13, 50, 104}) {
      Decisions fromPairs = pairs.spaced(n);
      Decisions fromDraws = draws.spacedPairs(n);
      assertThat(fromDraws.pairsOrDecisions()).isEqualTo(n);
      int k = 0;
      for (int d = 0; d < fromDraws.size(); d++) {
        int s = fromDraws.selected(d);
        for (int j = 0; j < fromDraws.choices(d); j++) {
          if (j == s) {
            continue;
          }
          for (int f = 0; f < 3; f++) {
            // a pair decision holds its selected choice first, then its alternative
            assertThat(fromDraws.feature(d, s, f)).isEqualTo(fromPairs.feature(k, 0, f));
            assertThat(fromDraws.feature(d, j, f)).isEqualTo(fromPairs.feature(k, 1, f));
          }
          k++;
        }
      }
      assertThat(k).isEqualTo(n);
    }
    assertThat(draws.spacedPairs(105)).isSameAs(draws);
  }

  @Test
  void minibatchesCountPairs() {
    Decisions draws = asDraws(pairRows(1, 40, 5, 6));
    // 200 pairs in batches of 50 pairs: 10 draws each
    List<DataSet> batches = draws.bucketedBatches(50, 1L, DataType.DOUBLE);
    assertThat(batches).hasSize(4);
    assertThat(batches.get(0).getFeatures().size(0)).isEqualTo(10);
  }

  /** {@code rows} as a Spark table of pairs, shuffled across 3 partitions. */
  private static Dataset<Row> table(List<Row> rows) {
    StructType schema =
        new StructType()
            .add(Cols.INDIVIDUAL, DataTypes.StringType)
            .add(Cols.DECISION, DataTypes.IntegerType)
            .add(Cols.CHOICE, DataTypes.IntegerType)
            .add(Cols.SELECTED, DataTypes.BooleanType)
            .add("d", DataTypes.FloatType)
            .add("c", DataTypes.FloatType)
            .add("s", DataTypes.FloatType)
            .add(Cols.DRAW, DataTypes.IntegerType);
    List<Row> shuffled = new ArrayList<>(rows);
    java.util.Collections.shuffle(shuffled, new Random(2));
    return SharedSpark.session().createDataFrame(shuffled, schema).repartition(3);
  }

  @Test
  void parameterAveragingTrainsPairsAsDrawsToo() {
    List<Row> trainRows = pairRows(6, 8, 5, 11);
    List<Row> validationRows = pairRows(3, 8, 5, 12);
    SparkTraining.Minibatches data =
        SparkTraining.Minibatches.of(table(trainRows), table(validationRows), F, 100, 2, true);
    assertThat(data.pairwise()).isTrue();
    assertThat(data.maxChoices()).isEqualTo(6);
    assertThat(data.choiceRows()).isEqualTo(6 * 8 * 6); // draws of 5 alternatives + 1 selected
    Training.Result averaged =
        SparkTraining.fitAveraging(
            org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                SharedSpark.session().sparkContext()),
            new SparkTraining.Averaging(
                new NetworkSpec(List.of(8), "tanh", 0, 0.01, 4),
                new Training.Plan(100, 3, 0, 4),
                2),
            data,
            e -> {});
    // the losses computed on the executors are the pairs' mean loss, pair by pair
    LogOddsScorer scorer = LogOddsScorer.of(averaged.network(), F, "tanh");
    double sum = 0;
    for (int i = 0; i < validationRows.size(); i += 2) {
      sum +=
          Math.log1p(
              Math.exp(
                  scorer.logOdds(values(validationRows.get(i + 1)))
                      - scorer.logOdds(values(validationRows.get(i)))));
    }
    assertThat(averaged.best().validationLoss())
        .isCloseTo(sum / (validationRows.size() / 2), within(1e-5));
  }

  @Test
  void collectingAPairsTableGivesItsDrawsInOrder() {
    List<Row> rows = pairRows(3, 5, 4, 8);
    Dataset<Row> table = table(rows);
    Decisions collected = Decisions.collectDraws(table, F);
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(
        Comparator.comparing((Row r) -> r.getString(0))
            .thenComparingInt(r -> r.getInt(7))
            .thenComparingInt(r -> r.getInt(1))
            .thenComparingInt(r -> r.getInt(2)));
    Decisions built = asDraws(sorted);
    assertThat(collected.pairwise()).isTrue();
    assertThat(collected.size()).isEqualTo(built.size());
    for (int d = 0; d < built.size(); d++) {
      assertThat(collected.selected(d)).isEqualTo(built.selected(d));
      for (int j = 0; j < built.choices(d); j++) {
        for (int f = 0; f < 3; f++) {
          assertThat(collected.feature(d, j, f)).isEqualTo(built.feature(d, j, f));
        }
      }
    }
  }

  @Test
  void collectingSortedPartitionsWithoutAShuffleGivesWhatCollectingGives() {
    List<Row> rows = pairRows(7, 4, 3, 13);
    // whole individuals per partition, sorted by individual, decision and choice: as shoal's files
    Dataset<Row> sorted =
        table(rows)
            .repartition(3, col(Cols.INDIVIDUAL))
            .sortWithinPartitions(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE);
    assertSame(Decisions.collectSorted(sorted, F, true), Decisions.collectDraws(table(rows), F));
    assertSame(Decisions.collectSorted(sorted, F, false), Decisions.collect(table(rows), F));
    // an individual in several partitions, or its decisions out of order: not sorted, no result
    Dataset<Row> spread =
        table(rows).sortWithinPartitions(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE);
    assertThat(Decisions.collectSorted(spread, F, true)).isNull();
    Dataset<Row> unordered =
        table(rows)
            .repartition(3, col(Cols.INDIVIDUAL))
            .sortWithinPartitions(col(Cols.INDIVIDUAL), col(Cols.DECISION).desc());
    assertThat(Decisions.collectSorted(unordered, F, false)).isNull();
  }

  private static void assertSame(Decisions actual, Decisions expected) {
    assertThat(actual.pairwise()).isEqualTo(expected.pairwise());
    assertThat(actual.size()).isEqualTo(expected.size());
    for (int d = 0; d < expected.size(); d++) {
      assertThat(actual.choices(d)).isEqualTo(expected.choices(d));
      assertThat(actual.selected(d)).isEqualTo(expected.selected(d));
      for (int j = 0; j < expected.choices(d); j++) {
        for (int f = 0; f < F.size(); f++) {
          assertThat(actual.feature(d, j, f)).isEqualTo(expected.feature(d, j, f));
        }
      }
    }
  }

  @Test
  void aBadPairOrDrawIsNamed() {
    List<Row> twoSelected = new ArrayList<>(pairRows(1, 2, 3, 9));
    Row alternative = twoSelected.get(3);
    twoSelected.set(
        3,
        RowFactory.create(
            alternative.get(0),
            alternative.get(1),
            alternative.get(2),
            true,
            alternative.get(4),
            alternative.get(5),
            alternative.get(6),
            alternative.get(7)));
    assertThatThrownBy(() -> asDraws(twoSelected))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pair 2 of individual 'fish0' has 2 choice(s), 2 selected");

    List<Row> otherSelected = new ArrayList<>(pairRows(1, 2, 3, 9));
    Row chosen = otherSelected.get(2);
    otherSelected.set(
        2,
        RowFactory.create(
            chosen.get(0), chosen.get(1), chosen.get(2), true, 0.5f, 0.5f, 0.5f, chosen.get(7)));
    assertThatThrownBy(() -> asDraws(otherSelected))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pairs 1 and 2 of individual 'fish0' are in draw 1");
  }
}
