package org.shoal.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The network against exact references: numerical gradients and the closed-form conditional logit.
 */
class TestLogOddsNetwork {
  private static final List<String> F = List.of("d", "c", "s");

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @AfterAll
  static void singlePrecision() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
  }

  /** Random decisions with 2..6 choices; features in [0, 1) and [-1, 1). */
  static Decisions decisions(int n, long seed) {
    Random rng = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < n; d++) {
      int m = 2 + rng.nextInt(5);
      int sel = rng.nextInt(m);
      for (int j = 0; j < m; j++) {
        rows.add(
            RowFactory.create(
                "i",
                d,
                j == sel,
                (float) rng.nextDouble(),
                (float) (2 * rng.nextDouble() - 1),
                (float) (2 * rng.nextDouble() - 1)));
      }
    }
    return Decisions.build(rows.iterator(), F);
  }

  private static double[] probabilities(Decisions data, int d, double[] beta, double bias) {
    int m = data.choices(d);
    double[] p = new double[m];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < m; j++) {
      double phi = bias;
      for (int f = 0; f < beta.length; f++) {
        phi += beta[f] * data.feature(d, j, f);
      }
      p[j] = phi;
      max = Math.max(max, phi);
    }
    double z = 0;
    for (int j = 0; j < m; j++) {
      p[j] = Math.exp(p[j] - max);
      z += p[j];
    }
    for (int j = 0; j < m; j++) {
      p[j] /= z;
    }
    return p;
  }

  @Test
  void bucketedBatchesHoldEveryDecisionOncePaddedOnlyToTheirOwnLargest() {
    Decisions data = decisions(60, 4); // 2 to 6 choices each
    List<DataSet> bucketed = data.bucketedBatches(8, 5L, DataType.DOUBLE);
    long decisions = 0;
    long slots = 0;
    for (DataSet b : bucketed) {
      int rows = (int) b.getFeatures().size(0);
      long m = b.getFeatures().size(2);
      INDArray perDecision = b.getFeaturesMaskArray().sum(1);
      assertThat(perDecision.maxNumber().longValue()).as("padded to its own largest").isEqualTo(m);
      // sorted by choice count: a batch spans at most two adjacent counts
      assertThat(m - perDecision.minNumber().longValue()).isLessThanOrEqualTo(1);
      decisions += rows;
      slots += rows * m;
    }
    assertThat(decisions).isEqualTo(data.size());
    assertThat(slots).isLessThan((long) data.size() * data.maxChoices());
    assertThat(data.bucketedBatches(8, 5L, DataType.DOUBLE).get(0).getFeatures())
        .as("the same seed gives the same batches")
        .isEqualTo(bucketed.get(0).getFeatures());

    // every decision keeps its features and its selected choice: the same loss as plain batches
    MultiLayerNetwork net = initialised(List.of(4), "tanh", 2, data, 1e4);
    assertThat(Training.meanLoss(net, bucketed))
        .isCloseTo(
            Training.meanLoss(net, data.batches(data.size(), null, DataType.DOUBLE)),
            within(1e-12));
  }

  @ParameterizedTest
  @ValueSource(strings = {"relu", "tanh", "sigmoid", "identity"})
  void passesDl4jsNumericalGradientCheckWithPaddedDecisions(String activation) {
    Decisions data = decisions(7, 5);
    DataSet ds = data.batches(7, null, DataType.DOUBLE).get(0);
    // a finite mask offset: the check disables log clipping, and exp(-1e4) would give 0 * log 0
    MultiLayerNetwork net = initialised(List.of(5, 4), activation, 12, data, 30.0);
    assertThat(gradientsCheck(net, ds)).isTrue();
  }

  /**
   * DL4J's numerical gradient check of {@code net} on one masked batch, with double precision as
   * ND4J's default while it runs (the check requires it).
   */
  static boolean gradientsCheck(MultiLayerNetwork net, DataSet ds) {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      return checkGradients(net, ds);
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  private static boolean checkGradients(MultiLayerNetwork net, DataSet ds) {
    return GradientCheckUtil.checkGradients(
        new GradientCheckUtil.MLNConfig()
            .net(net)
            .input(ds.getFeatures())
            .labels(ds.getLabels())
            .inputMask(ds.getFeaturesMaskArray())
            .epsilon(1e-6)
            .maxRelError(1e-3)
            .minAbsoluteError(1e-8)
            .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
            .exitOnFirstError(false));
  }

  /**
   * shoal's dense layer against DL4J's own, built from the same layers and weights: the same loss,
   * gradients and log-odds, over several updates (so the forward pass the backward pass reuses is
   * the current one).
   */
  @ParameterizedTest
  @ValueSource(strings = {"relu", "tanh", "sigmoid", "identity"})
  void directDenseLayersTrainExactlyAsDl4jsDenseLayers(String activation) {
    Decisions data = decisions(40, 8);
    NetworkSpec spec = new NetworkSpec(List.of(6, 5), activation, 0, 0.05, 3);
    NeuralNetConfiguration.ListBuilder stock =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .dataType(DataType.DOUBLE)
            .updater(new Sgd(0.05))
            .list();
    for (int h : spec.hidden()) {
      stock.layer(new DenseLayer.Builder().nOut(h).activation(spec.dl4jActivation()).build());
    }
    stock.layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build());
    stock.layer(new MaskedChoiceLayer(data.maxChoices(), 1e4));
    stock.layer(
        new LossLayer.Builder()
            .lossFunction(new LossMCXENT())
            .activation(Activation.SOFTMAX)
            .build());
    stock.setInputType(InputType.recurrent(3, data.maxChoices()));
    MultiLayerNetwork reference = new MultiLayerNetwork(stock.build());
    reference.init();
    MultiLayerNetwork direct =
        new MultiLayerNetwork(
            spec.configuration(3, data.maxChoices(), new Sgd(0.05), DataType.DOUBLE, 1e4));
    direct.init();
    direct.setParams(reference.params().dup());
    for (DataSet b : data.batches(10, 4L, DataType.DOUBLE)) {
      direct.fit(b);
      reference.fit(b);
      assertThat(direct.score()).isCloseTo(reference.score(), within(1e-12));
      assertThat(direct.params().sub(reference.params()).amaxNumber().doubleValue())
          .isLessThan(1e-12);
    }
    List<DataSet> all = data.batches(data.size(), null, DataType.DOUBLE);
    assertThat(Training.meanLoss(direct, all))
        .isCloseTo(Training.meanLoss(reference, all), within(1e-12));
  }

  @Test
  void withoutHiddenLayersLossAndGradientAreTheExactConditionalLogit() {
    Decisions data = decisions(25, 6);
    DataSet ds = data.batches(25, null, DataType.DOUBLE).get(0);
    MultiLayerNetwork net = initialised(List.of(), "relu", 1, data, 1e4); // linear
    double[] beta = {-2.0, 0.5, 0.3};
    net.getLayer(0).setParam("W", Nd4j.create(new double[][] {{beta[0]}, {beta[1]}, {beta[2]}}));
    net.getLayer(0).setParam("b", Nd4j.create(new double[][] {{0.7}}));
    net.setInput(ds.getFeatures());
    net.setLabels(ds.getLabels());
    net.setLayerMaskArrays(ds.getFeaturesMaskArray(), null);
    net.computeGradientAndScore();

    double nll = 0;
    double[] grad = new double[3];
    for (int d = 0; d < data.size(); d++) {
      double[] p = probabilities(data, d, beta, 0.7);
      nll -= Math.log(p[data.selected(d)]);
      for (int j = 0; j < p.length; j++) {
        double y = j == data.selected(d) ? 1 : 0;
        for (int f = 0; f < 3; f++) {
          grad[f] += (p[j] - y) * data.feature(d, j, f);
        }
      }
    }
    assertThat(net.score()).isCloseTo(nll / data.size(), within(1e-9));
    INDArray w = net.gradient().getGradientFor("0_W");
    for (int f = 0; f < 3; f++) {
      // DL4J's raw gradient is the sum over decisions; the updater divides by the batch size
      assertThat(w.getDouble(f, 0)).isCloseTo(grad[f], within(1e-9));
    }
    assertThat(net.gradient().getGradientFor("0_b").getDouble(0)).isCloseTo(0.0, within(1e-9));
    assertThat(Training.meanLoss(net, List.of(ds))).isCloseTo(nll / data.size(), within(1e-9));
  }

  @Test
  void paddedChoicesGetZeroProbabilityAndTheScorerReproducesTheNetwork() {
    Decisions data = decisions(20, 7);
    DataSet ds = data.batches(20, null, DataType.DOUBLE).get(0);
    MultiLayerNetwork net = initialised(List.of(6, 5), "relu", 3, data, 1e4);
    INDArray p = net.output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), null);
    LogOddsScorer scorer = LogOddsScorer.of(net, F, "relu");
    for (int d = 0; d < data.size(); d++) {
      double total = 0;
      double[] phi = new double[data.choices(d)];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < data.maxChoices(); j++) {
        if (j >= data.choices(d)) {
          assertThat(p.getDouble(d, j)).isZero();
          continue;
        }
        total += p.getDouble(d, j);
        phi[j] =
            scorer.logOdds(
                new double[] {data.feature(d, j, 0), data.feature(d, j, 1), data.feature(d, j, 2)});
        max = Math.max(max, phi[j]);
      }
      assertThat(total).isCloseTo(1.0, within(1e-12));
      double z = 0;
      for (double v : phi) {
        z += Math.exp(v - max);
      }
      for (int j = 0; j < phi.length; j++) {
        assertThat(Math.exp(phi[j] - max) / z).isCloseTo(p.getDouble(d, j), within(1e-9));
      }
    }
  }

  @Test
  void selectingFeaturesKeepsEachChoiceRowsValuesInTheWantedOrder() {
    Decisions all = decisions(30, 11);
    Decisions two = all.select(F, List.of("s", "d"));
    assertThat(two.features()).isEqualTo(2);
    assertThat(two.size()).isEqualTo(all.size());
    for (int d = 0; d < all.size(); d++) {
      assertThat(two.selected(d)).isEqualTo(all.selected(d));
      for (int c = 0; c < all.choices(d); c++) {
        assertThat(two.feature(d, c, 0)).isEqualTo(all.feature(d, c, 2));
        assertThat(two.feature(d, c, 1)).isEqualTo(all.feature(d, c, 0));
      }
    }
    assertThat(all.select(F, F)).isSameAs(all);
    assertThatThrownBy(() -> all.select(F, List.of("d", "x")))
        .hasMessageContaining("feature 'x' is not among the collected [d, c, s]");
  }

  /**
   * Fits side by side give each fit the weights it gets alone on one native thread, whatever runs
   * beside it, and leave the native thread counts as they were.
   */
  @Test
  void fitsSideBySideEqualEachFitAloneOnOneNativeThread() {
    Decisions train = decisions(3000, 21);
    Decisions validation = decisions(500, 22);
    Training.Plan plan = new Training.Plan(400, 3, 0, 5);
    List<Training.Fit> fits = new ArrayList<>();
    for (List<String> features : List.of(List.of("d", "s"), F, List.of("c"))) {
      fits.add(
          new Training.Fit(
              String.join("+", features),
              new NetworkSpec(List.of(32, 32), "relu", 0, 0.01, features.size()),
              plan,
              train.select(F, features),
              validation.select(F, features),
              e -> {}));
    }
    int threads = Nd4j.getEnvironment().maxThreads();
    List<Training.Result> together = Training.fitAll(fits, 2);
    assertThat(Nd4j.getEnvironment().maxThreads()).isEqualTo(threads);
    for (int i = 0; i < fits.size(); i++) {
      Training.Fit f = fits.get(i);
      Training.Result alone =
          NativeThreads.with(
              1, () -> Training.fit(f.spec(), f.plan(), f.train(), f.validation(), e -> {}));
      assertThat(together.get(i).network().params()).isEqualTo(alone.network().params());
      assertThat(together.get(i).history())
          .extracting(Training.Epoch::trainLoss)
          .isEqualTo(alone.history().stream().map(Training.Epoch::trainLoss).toList());
    }
    assertThat(together.get(0).network().params()).isNotEqualTo(together.get(1).network().params());
  }

  @Test
  void aFailingFitBesideOthersFailsWithItsOwnSentence() {
    Decisions none = Decisions.build(java.util.Collections.emptyIterator(), F);
    NetworkSpec spec = new NetworkSpec(List.of(4), "relu", 0, 0.01, 1);
    Training.Plan plan = new Training.Plan(10, 2, 0, 0);
    List<Training.Fit> fits =
        List.of(
            new Training.Fit("fine", spec, plan, decisions(50, 1), decisions(10, 2), e -> {}),
            new Training.Fit("empty", spec, plan, none, decisions(10, 2), e -> {}));
    int threads = Nd4j.getEnvironment().maxThreads();
    assertThatThrownBy(() -> Training.fitAll(fits, 2))
        .hasMessageStartingWith("there are no training decisions");
    assertThat(Nd4j.getEnvironment().maxThreads()).isEqualTo(threads);
  }

  @Test
  void theSeedFixesTheInitialWeights() {
    NetworkSpec a = new NetworkSpec(List.of(8, 8), "relu", 0, 0.01, 4);
    NetworkSpec b = new NetworkSpec(List.of(8, 8), "relu", 0, 0.01, 5);
    assertThat(Training.newNetwork(a, 3, 4, false).params())
        .isEqualTo(Training.newNetwork(a, 3, 4, false).params());
    assertThat(Training.newNetwork(a, 3, 4, false).params())
        .isNotEqualTo(Training.newNetwork(b, 3, 4, false).params());
  }

  @Test
  void aSpacedSampleKeepsEvenlySpacedDecisionsWithTheirChoices() {
    Decisions all = decisions(10, 11);
    Decisions sample = all.spaced(4);
    int[] picked = {0, 2, 5, 7}; // floor(i * 10 / 4)
    assertThat(sample.size()).isEqualTo(4);
    for (int i = 0; i < picked.length; i++) {
      assertThat(sample.choices(i)).isEqualTo(all.choices(picked[i]));
      assertThat(sample.selected(i)).isEqualTo(all.selected(picked[i]));
      for (int c = 0; c < sample.choices(i); c++) {
        for (int f = 0; f < F.size(); f++) {
          assertThat(sample.feature(i, c, f)).isEqualTo(all.feature(picked[i], c, f));
        }
      }
    }
    assertThat(all.spaced(10)).isSameAs(all);
    assertThat(all.spaced(99)).isSameAs(all);
  }

  @Test
  void featuresFarFromUnitScaleAreNamedWithTheirMeanAndSd() {
    // c: 0, 40, 0, 40 (mean 20, sd 20); d: 1, 2, 3, 4; s: -30 throughout (mean -30, sd 0)
    List<Row> rows = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      rows.add(RowFactory.create("i", j / 2, j % 2 == 0, (float) (j + 1), j % 2 * 40f, -30f));
    }
    Decisions data = Decisions.build(rows.iterator(), F);
    assertThat(data.farFromUnitScale(F, 10))
        .containsExactly("c (mean 20.0, sd 20.0)", "s (mean -30.0, sd 0.00)");
    assertThat(data.farFromUnitScale(F, 30)).isEmpty();
  }

  /**
   * With validation decisions, an epoch's training loss is the epoch's weights scored on a sample
   * of the training decisions as large as the validation set (at least 20 000): here 20 000 of 30
   * 000.
   */
  @Test
  void theTrainingLossIsScoredOnASampleAsLargeAsTheValidationSet() {
    Decisions train = decisions(30_000, 12);
    Decisions validation = decisions(500, 13);
    Training.Result r =
        Training.fit(
            new NetworkSpec(List.of(4), "relu", 0, 0.01, 1),
            new Training.Plan(1000, 1, 0, 0),
            train,
            validation,
            e -> {});
    Decisions sample = Training.trainLossSample(train, validation);
    assertThat(sample.size()).isEqualTo(Training.TRAIN_LOSS_SAMPLE_MIN);
    double sampled = Training.meanLoss(r.network(), sample.batches(1000, null, DataType.FLOAT));
    double full = Training.meanLoss(r.network(), train.batches(1000, null, DataType.FLOAT));
    assertThat(r.history().get(0).trainLoss()).isCloseTo(sampled, within(1e-9));
    assertThat(Math.abs(sampled - full)).isGreaterThan(0).isLessThan(0.02);
    assertThat(r.history().get(0).validationLoss())
        .isCloseTo(
            Training.meanLoss(r.network(), validation.batches(1000, null, DataType.FLOAT)),
            within(1e-9));
  }

  /**
   * No validation decisions (one animal): every epoch runs, the last is kept, and the result says
   * so.
   */
  @Test
  void withoutValidationDecisionsTrainingKeepsTheLastEpoch() {
    Decisions train = decisions(40, 3);
    Decisions none = Decisions.build(java.util.Collections.emptyIterator(), F);
    Training.Plan plan = new Training.Plan(10, 4, 1, 0);
    List<Training.Epoch> seen = new ArrayList<>();
    Training.Result r =
        Training.fit(new NetworkSpec(List.of(4), "relu", 0, 0.01, 1), plan, train, none, seen::add);
    assertThat(r.validated()).isFalse();
    assertThat(r.history())
        .hasSize(4); // patience 1 would have stopped a validated run whose loss is NaN
    assertThat(r.bestEpoch()).isEqualTo(4);
    assertThat(r.history()).allSatisfy(e -> assertThat(e.validationLoss()).isNaN());
    assertThat(Training.meanLoss(r.network(), train.batches(10, null, DataType.DOUBLE)))
        .isCloseTo(r.history().get(3).trainLoss(), within(1e-9));
  }

  @Test
  void noTrainingDecisionsIsOneSentence() {
    Decisions none = Decisions.build(java.util.Collections.emptyIterator(), F);
    assertThatThrownBy(
            () ->
                Training.fit(
                    new NetworkSpec(List.of(4), "relu", 0, 0.01, 1),
                    new Training.Plan(10, 2, 0, 0),
                    none,
                    decisions(5, 1),
                    e -> {}))
        .hasMessageStartingWith("there are no training decisions");
  }

  /**
   * A large raw feature makes one choice's probability round to 1 and the others' to 0 in float:
   * still finite.
   */
  @Test
  void theLossStaysFiniteWhenAChoiceDominates() {
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < 20; d++) {
      for (int j = 0; j < 3; j++) {
        rows.add(
            RowFactory.create(
                "i",
                d,
                j == 0,
                (float) (500 * j),
                0f,
                0f)); // the selected choice is the unlikely one
      }
    }
    Decisions data = Decisions.build(rows.iterator(), F);
    MultiLayerNetwork net =
        Training.newNetwork(new NetworkSpec(List.of(), "identity", 0, 0.01, 1), 3, 3, false);
    net.getLayer(0)
        .setParam(
            "W",
            Nd4j.create(new double[][] {{1}, {0}, {0}})
                .castTo(net.getLayer(0).getParam("W").dataType()));
    double loss = Training.meanLoss(net, data.batches(10, null, DataType.FLOAT));
    // φ = 0, 500, 1000 for choices 1..3: −log p(first) = log(1 + e^500 + e^1000) ≈ 1000
    assertThat(loss).isCloseTo(1000 + Math.log1p(Math.exp(-500) + Math.exp(-1000)), within(1e-3));
  }

  /**
   * A network with these hidden layers on {@code data}'s three features, in doubles, without an
   * updater.
   */
  private static MultiLayerNetwork initialised(
      List<Integer> hidden, String activation, long seed, Decisions data, double maskOffset) {
    NetworkSpec spec = new NetworkSpec(hidden, activation, 0, 0.1, seed);
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            spec.configuration(3, data.maxChoices(), new NoOp(), DataType.DOUBLE, maskOffset));
    net.init();
    return net;
  }
}
