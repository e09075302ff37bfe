package org.shoal.pipeline.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

/** Every metric against a plain-Java loop over the same rows. */
class TestEvaluation {
  private final SparkSession spark = SharedSpark.session();

  static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField(Cols.INDIVIDUAL, DataTypes.StringType, false),
              DataTypes.createStructField(Cols.DECISION, DataTypes.IntegerType, false),
              DataTypes.createStructField(Cols.CHOICE, DataTypes.IntegerType, false),
              DataTypes.createStructField(Cols.ORIGIN_CELL, DataTypes.StringType, false),
              DataTypes.createStructField(Cols.CELL, DataTypes.StringType, false),
              DataTypes.createStructField(Cols.SELECTED, DataTypes.BooleanType, false),
              DataTypes.createStructField("distance_km", DataTypes.DoubleType, false),
              DataTypes.createStructField("region", DataTypes.StringType, false),
              DataTypes.createStructField(Cols.PROBABILITY, DataTypes.DoubleType, true)));

  /** Individuals with 1..9 decisions of 2..6 choices; choice 1 stays put; random softmax probabilities. */
  static List<Row> predictions(long seed) {
    Random rng = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      int decisions = i == 0 ? 1 : 1 + rng.nextInt(9);
      String region = i % 2 == 0 ? "north" : "south";
      for (int d = 1; d <= decisions; d++) {
        int m = 2 + rng.nextInt(5);
        double[] p = new double[m];
        double z = 0;
        for (int j = 0; j < m; j++) {
          p[j] = Math.exp(rng.nextGaussian());
          z += p[j];
        }
        int sel = rng.nextInt(m);
        for (int j = 0; j < m; j++) {
          rows.add(RowFactory.create("f" + i, d, j + 1, "o", j == 0 ? "o" : "c" + j, j == sel, j * 30.0, region, p[j] / z));
        }
      }
    }
    return rows;
  }

  private Dataset<Row> frame(List<Row> rows) {
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Plain-Java reference: ll per individual, filtered by region (null = all). */
  static Map<String, List<Double>> reference(List<Row> rows, String region) {
    Map<String, List<Double>> out = new HashMap<>();
    for (Row r : rows) {
      if (r.getBoolean(5) && (region == null || region.equals(r.getString(7)))) {
        out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(Math.log(r.getDouble(8)));
      }
    }
    return out;
  }

  @Test
  void groupedMetricsEqualAPlainJavaLoop() {
    List<Row> rows = predictions(1);
    Dataset<Row> decisions = Evaluation.decisions(frame(rows));
    Row all = Evaluation.grouped(decisions, List.of()).first();
    Map<String, List<Double>> ref = reference(rows, null);
    assertThat(all.<Double>getAs("d_nlp")).isCloseTo(Metrics.decisionNlp(ref), within(1e-12));
    assertThat(all.<Double>getAs("mean_ll")).isCloseTo(Metrics.plainMean(ref), within(1e-12));
    assertThat(all.<Double>getAs("gmp")).isCloseTo(Math.exp(Metrics.decisionNlp(ref)), within(1e-12));
    assertThat(all.<Long>getAs("individuals")).isEqualTo(7);
    assertThat(all.<Long>getAs("decisions")).isEqualTo(ref.values().stream().mapToLong(List::size).sum());
    for (Row g : Evaluation.grouped(decisions, List.of("region")).collectAsList()) {
      Map<String, List<Double>> r = reference(rows, g.getAs("region"));
      assertThat(g.<Double>getAs("d_nlp")).isCloseTo(Metrics.decisionNlp(r), within(1e-12));
      assertThat(g.<String>getAs(Evaluation.GROUP)).isEqualTo("region");
    }
    // f0 has a single decision: its group is that decision's ll
    Row single = Evaluation.grouped(decisions.filter(col(Cols.INDIVIDUAL).equalTo("f0")), List.of(Cols.INDIVIDUAL)).first();
    assertThat(single.<Double>getAs("d_nlp")).isCloseTo(reference(rows, null).get("f0").get(0), within(1e-12));
  }

  @Test
  void theUniformBaselineIsOneOverTheChoiceCount() {
    List<Row> rows = predictions(2);
    Row all = Evaluation.grouped(Evaluation.decisions(frame(rows)), List.of()).first();
    Map<String, List<Double>> uniform = new HashMap<>();
    Map<String, Map<Integer, Integer>> counts = new HashMap<>();
    for (Row r : rows) {
      counts.computeIfAbsent(r.getString(0), k -> new HashMap<>()).merge(r.getInt(1), 1, Integer::sum);
    }
    counts.forEach((ind, byDecision) -> byDecision.values().forEach(n -> uniform.computeIfAbsent(ind, k -> new ArrayList<>()).add(Math.log(1.0 / n))));
    assertThat(all.<Double>getAs("uniform_d_nlp")).isCloseTo(Metrics.decisionNlp(uniform), within(1e-12));
  }

  @Test
  void subsetsRenormaliseAndKeepDecisionsWhoseSelectedChoiceSurvives() {
    List<Row> rows = predictions(3);
    Dataset<Row> moved = Evaluation.subset(frame(rows), "distance_km > 0");
    // plain Java: drop stay-put choices, renormalise, keep decisions whose selection moved
    Map<String, List<Double>> ref = new HashMap<>();
    Map<String, double[]> sums = new HashMap<>();
    for (Row r : rows) {
      if (r.getDouble(6) > 0) {
        sums.computeIfAbsent(r.getString(0) + "/" + r.getInt(1), k -> new double[1])[0] += r.getDouble(8);
      }
    }
    for (Row r : rows) {
      if (r.getBoolean(5) && r.getDouble(6) > 0) {
        ref.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
            .add(Math.log(r.getDouble(8) / sums.get(r.getString(0) + "/" + r.getInt(1))[0]));
      }
    }
    Row all = Evaluation.grouped(Evaluation.decisions(moved), List.of()).first();
    assertThat(all.<Double>getAs("d_nlp")).isCloseTo(Metrics.decisionNlp(ref), within(1e-12));
    // probabilities sum to one again
    for (Row r : moved.groupBy(Cols.INDIVIDUAL, Cols.DECISION).sum(Cols.PROBABILITY).collectAsList()) {
      assertThat(r.getDouble(2)).isCloseTo(1.0, within(1e-12));
    }
    // an empty subset is reported with no decisions, not an error
    Row empty = Evaluation.grouped(Evaluation.decisions(Evaluation.subset(frame(rows), "distance_km > 1000")), List.of()).first();
    assertThat(empty.<Long>getAs("individuals")).isZero();
    assertThat(empty.isNullAt(empty.fieldIndex("d_nlp"))).isTrue();
  }

  @Test
  void zeroOrMissingProbabilitiesAreNamedErrors() {
    List<Row> rows = new ArrayList<>(predictions(4));
    Row first = rows.stream().filter(r -> r.getBoolean(5)).findFirst().get();
    int at = rows.indexOf(first);
    rows.set(at, RowFactory.create(first.get(0), first.get(1), first.get(2), first.get(3), first.get(4), true, first.get(6), first.get(7), 0.0));
    assertThatThrownBy(() -> Evaluation.decisions(frame(rows)))
        .hasMessageContaining("decision " + first.get(1) + " of individual '" + first.get(0) + "'")
        .hasMessageContaining("probability 0.0");
    rows.set(at, RowFactory.create(first.get(0), first.get(1), first.get(2), first.get(3), first.get(4), true, first.get(6), first.get(7), Double.NaN));
    assertThatThrownBy(() -> Evaluation.decisions(frame(rows))).hasMessageContaining("probability NaN");
  }

  @Test
  void comparisonAndCalibrationFollowTheirDefinitions() {
    List<Row> a = predictions(5);
    List<Row> b = new ArrayList<>();
    for (Row r : a) {
      b.add(RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), r.get(7), 0.0));
    }
    // model b: uniform
    Map<String, Integer> m = new HashMap<>();
    for (Row r : a) {
      m.merge(r.getString(0) + "/" + r.getInt(1), 1, Integer::sum);
    }
    b.replaceAll(r -> RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), r.get(7), 1.0 / m.get(r.getString(0) + "/" + r.getInt(1))));
    Dataset<Row> diff = Evaluation.compare(Evaluation.decisions(frame(a)), Evaluation.decisions(frame(b)));
    List<Row> perIndividual = Evaluation.individualDifferences(diff).collectAsList();
    Map<String, List<Double>> ref = new HashMap<>();
    for (Row r : a) {
      if (r.getBoolean(5)) {
        ref.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
            .add(Math.log(r.getDouble(8)) - Math.log(1.0 / m.get(r.getString(0) + "/" + r.getInt(1))));
      }
    }
    double previous = Double.POSITIVE_INFINITY;
    for (Row r : perIndividual) {
      double expected = ref.get(r.getString(0)).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      assertThat(r.<Double>getAs("mean_ll_diff")).isCloseTo(expected, within(1e-12));
      assertThat(r.<Double>getAs("mean_ll_diff")).isLessThanOrEqualTo(previous);
      previous = r.getAs("mean_ll_diff");
    }
    List<Row> calibration = Evaluation.calibration(frame(a), 4).collectAsList();
    long total = 0;
    for (Row c : calibration) {
      int bin = c.getAs("bin");
      long n = 0;
      double predicted = 0;
      double observed = 0;
      for (Row r : a) {
        if (Math.min((int) Math.floor(r.getDouble(8) * 4), 3) == bin) {
          n++;
          predicted += r.getDouble(8);
          observed += r.getBoolean(5) ? 1 : 0;
        }
      }
      assertThat(c.<Long>getAs("choices")).isEqualTo(n);
      assertThat(c.<Double>getAs("mean_predicted")).isCloseTo(predicted / n, within(1e-12));
      assertThat(c.<Double>getAs("observed")).isCloseTo(observed / n, within(1e-12));
      total += n;
    }
    assertThat(total).isEqualTo(a.size());
  }
}
