package org.shoal.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.shoal.pipeline.testing.SharedSpark;

/** Parameter averaging and grid mode against single-JVM training. */
class TestSparkTraining {
  private final JavaSparkContext sc =
      JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
  private static final List<String> F = List.of("d", "c", "s");

  /** Decisions whose choices follow phi = -3 d + cos h (features d, cos h, sin h). */
  static Decisions linearWorld(int n, long seed) {
    Random rng = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int m = 5 + rng.nextInt(6);
      double[][] x = new double[m][];
      double[] p = new double[m];
      double z = 0;
      for (int j = 0; j < m; j++) {
        double h = rng.nextDouble() * 2 * Math.PI;
        x[j] = new double[] {rng.nextDouble(), Math.cos(h), Math.sin(h)};
        p[j] = Math.exp(-3 * x[j][0] + x[j][1]);
        z += p[j];
      }
      double u = rng.nextDouble() * z;
      int sel = m - 1;
      for (int j = 0; j < m; j++) {
        u -= p[j];
        if (u < 0) {
          sel = j;
          break;
        }
      }
      for (int j = 0; j < m; j++) {
        rows.add(
            RowFactory.create(
                "i" + (i % 50), i, j == sel, (float) x[j][0], (float) x[j][1], (float) x[j][2]));
      }
    }
    return Decisions.build(rows.iterator(), F);
  }

  /** A choice table of {@code data} as Spark rows, shuffled into several partitions. */
  private org.apache.spark.sql.Dataset<Row> table(Decisions data, int individuals) {
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < data.size(); d++) {
      for (int c = 0; c < data.choices(d); c++) {
        rows.add(
            RowFactory.create(
                "i" + (d % individuals),
                d,
                c,
                c == data.selected(d),
                data.feature(d, c, 0),
                data.feature(d, c, 1),
                data.feature(d, c, 2)));
      }
    }
    java.util.Collections.shuffle(rows, new Random(4));
    var schema =
        new org.apache.spark.sql.types.StructType()
            .add("individual", "string", false)
            .add("decision", "int", false)
            .add("choice", "int", false)
            .add("selected", "boolean", false)
            .add("d", "float", false)
            .add("c", "float", false)
            .add("s", "float", false);
    return SharedSpark.session().createDataFrame(rows, schema).repartition(5);
  }

  /**
   * Built on the executors partition by partition, the decisions come out as one build over the
   * table sorted by individual, decision and choice.
   */
  @Test
  void collectingEqualsBuildingFromTheSortedTable() {
    Decisions data = linearWorld(400, 7);
    var table = table(data, 37);
    Decisions collected = Decisions.collect(table, List.of("s", "d"));
    Decisions expected =
        Decisions.build(
            table
                .orderBy("individual", "decision", "choice")
                .select(Decisions.columns(List.of("s", "d")))
                .collectAsList()
                .iterator(),
            List.of("s", "d"));
    assertThat(collected.size()).isEqualTo(400);
    assertThat(collected.choiceRows()).isEqualTo(data.choiceRows());
    for (int d = 0; d < expected.size(); d++) {
      assertThat(collected.choices(d)).isEqualTo(expected.choices(d));
      assertThat(collected.selected(d)).isEqualTo(expected.selected(d));
      for (int c = 0; c < expected.choices(d); c++) {
        assertThat(collected.feature(d, c, 0)).isEqualTo(expected.feature(d, c, 0));
        assertThat(collected.feature(d, c, 1)).isEqualTo(expected.feature(d, c, 1));
      }
    }
  }

  @Test
  void aBadDecisionFailsCollectingWithItsOwnSentence() {
    var table =
        table(linearWorld(100, 8), 10)
            .withColumn(
                "selected",
                org.apache.spark.sql.functions.expr(
                    "selected or (decision = 42 and choice = 0) or (decision = 42 and choice = 1)"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Decisions.collect(table, F))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("decision 42 of individual 'i2' has more than one selected choice");
  }

  @Test
  void oneWorkerAveragingEveryStepEqualsSingleJvmTraining() {
    // One minibatch per fit: averaging then splits nothing at random, so the update sequence is the
    // same.
    Decisions data = linearWorld(200, 1);
    List<DataSet> batches = data.batches(200, null, DataType.FLOAT);
    NetworkSpec spec = new NetworkSpec(List.of(8), "tanh", 0, 0.1, 3);
    var conf = spec.configuration(3, data.maxChoices(), new Sgd(0.1), DataType.FLOAT, 1e4);

    MultiLayerNetwork local = new MultiLayerNetwork(conf.clone());
    local.init();
    SparkDl4jMultiLayer spark = SparkTraining.averaging(sc, local.clone(), 200, 1, 1, 3);
    org.nd4j.linalg.api.ndarray.INDArray initial = local.params().dup();
    JavaRDD<DataSet> rdd = sc.parallelize(batches, 1);
    for (int step = 0; step < 3; step++) {
      local.fit(batches.get(0));
      spark.fit(rdd);
    }

    assertThat(spark.getNetwork().params().sub(local.params()).amaxNumber().doubleValue())
        .isLessThan(1e-5);
    assertThat(local.params().sub(initial).amaxNumber().doubleValue())
        .as("training moved the weights")
        .isGreaterThan(1e-3);
  }

  @Test
  void parameterAveragingOnTwoWorkersTrainsToWithinOnePercentOfSingleJvm() {
    Decisions train = linearWorld(8000, 2);
    Decisions validation = linearWorld(3000, 3);
    NetworkSpec spec = new NetworkSpec(List.of(16, 16), "tanh", 0, 0.01, 5);
    Training.Plan plan = new Training.Plan(500, 8, 0, 5);
    Training.Result single = Training.fit(spec, plan, train, validation, e -> {});
    JavaRDD<DataSet> trainRdd = sc.parallelize(train.batches(500, 9L, DataType.FLOAT), 2);
    JavaRDD<DataSet> validationRdd =
        sc.parallelize(validation.batches(500, null, DataType.FLOAT), 2);
    Training.Result averaged =
        SparkTraining.fitAveraging(
            sc,
            new SparkTraining.Averaging(spec, plan, 2),
            new SparkTraining.Minibatches(
                trainRdd, validationRdd, 3, train.maxChoices(), train.choiceRows(), false),
            e -> {});
    double a = averaged.best().validationLoss();
    double s = single.best().validationLoss();
    System.out.printf("validation NLL: single JVM %.5f, parameter averaging %.5f%n", s, a);
    assertThat(Math.abs(a - s) / s).isLessThan(0.01);
    // the distributed "true" training loss is the mean per decision, like the local one
    double localLoss =
        Training.meanLoss(averaged.network(), train.batches(1000, null, DataType.FLOAT));
    assertThat(averaged.history().get(averaged.bestEpoch() - 1).trainLoss())
        .isCloseTo(localLoss, org.assertj.core.api.Assertions.within(1e-3));
  }

  @Test
  void gridRunsEveryEntryAsItsOwnTaskAndSeedsAreReal() {
    Decisions train = linearWorld(1500, 4);
    Decisions validation = linearWorld(500, 5);
    List<RunSpec> runs = new ArrayList<>();
    for (List<Integer> hidden : List.of(List.<Integer>of(), List.of(8))) {
      for (double lr : new double[] {0.05, 0.1}) {
        for (long seed : new long[] {0, 1}) {
          runs.add(
              new RunSpec(
                  F,
                  new NetworkSpec(hidden, "tanh", 0, lr, seed),
                  new Training.Plan(100, 3, 0, seed),
                  "t"));
        }
      }
    }
    runs.add(runs.get(runs.size() - 1)); // a repeated configuration must give identical weights
    List<SparkTraining.GridResult> results = SparkTraining.grid(sc, runs, train, validation);
    assertThat(results).hasSize(9);
    assertThat(results.stream().map(r -> r.run().runId()).distinct().count()).isEqualTo(8);
    assertThat(results.get(8).network().params()).isEqualTo(results.get(7).network().params());
    assertThat(results.get(6).network().params()).isNotEqualTo(results.get(7).network().params());
    double uniform = 0;
    for (int d = 0; d < validation.size(); d++) {
      uniform += Math.log(validation.choices(d));
    }
    uniform /= validation.size();
    for (SparkTraining.GridResult r : results) {
      assertThat(r.history()).hasSize(3);
      assertThat(r.best().validationLoss()).isLessThan(uniform);
    }
  }
}
