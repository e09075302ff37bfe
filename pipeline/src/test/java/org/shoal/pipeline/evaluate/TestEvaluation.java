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
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

/** Every metric against a plain-Java loop over the same rows. */
class TestEvaluation {
  private final SparkSession spark = SharedSpark.session();

  static final StructType SCHEMA =
      StructType.fromDDL(
          "individual STRING, decision INT, choice INT, origin_cell STRING, cell STRING, selected BOOLEAN, distance_km DOUBLE, region STRING, probability DOUBLE");

  /**
   * Individuals with 1..9 decisions of 2..6 choices; choice 1 stays put; random softmax
   * probabilities.
   */
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
          rows.add(
              RowFactory.create(
                  "f" + i,
                  d,
                  j + 1,
                  "o",
                  j == 0 ? "o" : "c" + j,
                  j == sel,
                  j * 30.0,
                  region,
                  p[j] / z));
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

  private static final String MODEL = "m";

  private DecisionTable table(List<Row> rows, Map<String, String> subsets) {
    return DecisionTable.of(
        frame(rows),
        List.of(new DecisionTable.Probability(MODEL, col(Cols.PROBABILITY))),
        subsets,
        List.of("region"));
  }

  /** The metrics row of one model and group. */
  private static Row metric(Dataset<Row> metrics, String model, String group) {
    return metrics.filter(col("model").equalTo(model).and(col("group").equalTo(group))).first();
  }

  @Test
  void groupedMetricsEqualAPlainJavaLoop() {
    List<Row> rows = predictions(1);
    DecisionTable table = table(rows, Map.of());
    Row all = metric(table.metrics("decisions", DecisionTable.ALL, List.of()), MODEL, "all");
    Map<String, List<Double>> ref = reference(rows, null);
    assertThat(all.<Double>getAs("d_nlp")).isCloseTo(Metrics.decisionNlp(ref), within(1e-12));
    assertThat(all.<Double>getAs("mean_ll")).isCloseTo(Metrics.plainMean(ref), within(1e-12));
    assertThat(all.<Double>getAs("gmp"))
        .isCloseTo(Math.exp(Metrics.decisionNlp(ref)), within(1e-12));
    assertThat(all.<Long>getAs("individuals")).isEqualTo(7);
    assertThat(all.<Long>getAs("decisions"))
        .isEqualTo(ref.values().stream().mapToLong(List::size).sum());
    assertThat(table.decisions()).isEqualTo(ref.values().stream().mapToLong(List::size).sum());
    List<Row> byRegion =
        table.metrics("decisions", DecisionTable.ALL, List.of("region")).collectAsList();
    assertThat(byRegion).hasSize(2);
    for (Row g : byRegion) {
      String region = g.<String>getAs("group").replace("region=", "");
      assertThat(g.<Double>getAs("d_nlp"))
          .isCloseTo(Metrics.decisionNlp(reference(rows, region)), within(1e-12));
      assertThat(g.<String>getAs("grouping")).isEqualTo("region");
      assertThat(g.<String>getAs("dataset")).isEqualTo("decisions");
    }
    // f0 has a single decision: its group is that decision's ll
    Row single =
        metric(
            table.metrics("decisions", DecisionTable.ALL, List.of(Cols.INDIVIDUAL)),
            MODEL,
            "individual=f0");
    assertThat(single.<Double>getAs("d_nlp")).isCloseTo(ref.get("f0").get(0), within(1e-12));
    assertThat(table.metrics("decisions", DecisionTable.ALL, List.of()).schema().simpleString())
        .isEqualTo(org.shoal.pipeline.schema.Schemas.METRICS.simpleString());
  }

  @Test
  void groupsOfTwoColumnsWithNullsEqualAPlainJavaLoop() {
    List<Row> rows = predictions(4);
    // an integer column, null on every third decision: its group reads "week=null"
    Dataset<Row> frame =
        frame(rows)
            .withColumn(
                "week",
                org.apache
                    .spark
                    .sql
                    .functions
                    .when(col(Cols.DECISION).mod(3).notEqual(0), col(Cols.DECISION).mod(2))
                    .cast("int"));
    DecisionTable table =
        DecisionTable.of(
            frame.repartition(3),
            List.of(new DecisionTable.Probability(MODEL, col(Cols.PROBABILITY))),
            Map.of("moved", "distance_km > 0"),
            List.of("region", "week"));
    List<DecisionTable.GroupingSet> sets =
        List.of(
            new DecisionTable.GroupingSet(DecisionTable.ALL, List.of()),
            new DecisionTable.GroupingSet(DecisionTable.ALL, List.of("region", "week")),
            new DecisionTable.GroupingSet("moved", List.of("week")));
    Map<String, Row> byKey = new HashMap<>();
    for (Row r : table.metrics("decisions", sets).collectAsList()) {
      if (r.getAs("model").equals(MODEL)) {
        byKey.put(r.getAs("subset") + "|" + r.getAs("group"), r);
      }
    }
    // plain Java: the group of each selected row, its ll over all choices and over moved ones
    Map<String, Map<String, List<Double>>> ref = new HashMap<>();
    Map<String, Double> movedSums = new HashMap<>();
    for (Row r : rows) {
      if (r.getDouble(6) > 0) {
        movedSums.merge(r.getString(0) + "/" + r.getInt(1), r.getDouble(8), Double::sum);
      }
    }
    for (Row r : rows) {
      if (!r.getBoolean(5)) {
        continue;
      }
      String week = r.getInt(1) % 3 == 0 ? "null" : String.valueOf(r.getInt(1) % 2);
      String individual = r.getString(0);
      double ll = Math.log(r.getDouble(8));
      ref.computeIfAbsent("all|all", k -> new HashMap<>())
          .computeIfAbsent(individual, k -> new ArrayList<>())
          .add(ll);
      ref.computeIfAbsent("all|region=" + r.getString(7) + ", week=" + week, k -> new HashMap<>())
          .computeIfAbsent(individual, k -> new ArrayList<>())
          .add(ll);
      if (r.getDouble(6) > 0) {
        double moved = Math.log(r.getDouble(8) / movedSums.get(individual + "/" + r.getInt(1)));
        ref.computeIfAbsent("moved|week=" + week, k -> new HashMap<>())
            .computeIfAbsent(individual, k -> new ArrayList<>())
            .add(moved);
      }
    }
    assertThat(byKey.keySet()).isEqualTo(ref.keySet());
    ref.forEach(
        (key, lls) -> {
          Row r = byKey.get(key);
          assertThat(r.<Double>getAs("d_nlp"))
              .as(key)
              .isCloseTo(Metrics.decisionNlp(lls), within(1e-12));
          assertThat(r.<Double>getAs("mean_ll"))
              .as(key)
              .isCloseTo(Metrics.plainMean(lls), within(1e-12));
          assertThat(r.<Long>getAs("individuals")).as(key).isEqualTo(lls.size());
          assertThat(r.<Long>getAs("decisions"))
              .as(key)
              .isEqualTo(lls.values().stream().mapToLong(List::size).sum());
        });
    assertThat(byKey).containsKey("all|region=north, week=null");
  }

  @Test
  void theUniformBaselineIsOneOverTheChoiceCount() {
    List<Row> rows = predictions(2);
    Row all =
        metric(
            table(rows, Map.of()).metrics("decisions", DecisionTable.ALL, List.of()), MODEL, "all");
    Map<String, List<Double>> uniform = new HashMap<>();
    Map<String, Map<Integer, Integer>> counts = new HashMap<>();
    for (Row r : rows) {
      counts
          .computeIfAbsent(r.getString(0), k -> new HashMap<>())
          .merge(r.getInt(1), 1, Integer::sum);
    }
    counts.forEach(
        (ind, byDecision) ->
            byDecision
                .values()
                .forEach(
                    n ->
                        uniform
                            .computeIfAbsent(ind, k -> new ArrayList<>())
                            .add(Math.log(1.0 / n))));
    assertThat(all.<Double>getAs("uniform_d_nlp"))
        .isCloseTo(Metrics.decisionNlp(uniform), within(1e-12));
  }

  @Test
  void subsetsRenormaliseAndKeepDecisionsWhoseSelectedChoiceSurvives() {
    List<Row> rows = predictions(3);
    DecisionTable table =
        table(rows, Map.of("moved", "distance_km > 0", "far", "distance_km > 1000"));
    // plain Java: drop stay-put choices, renormalise, keep decisions whose selection moved
    Map<String, List<Double>> ref = new HashMap<>();
    Map<String, List<Double>> uniform = new HashMap<>();
    Map<String, double[]> sums = new HashMap<>();
    for (Row r : rows) {
      if (r.getDouble(6) > 0) {
        double[] s = sums.computeIfAbsent(r.getString(0) + "/" + r.getInt(1), k -> new double[2]);
        s[0] += r.getDouble(8);
        s[1]++;
      }
    }
    for (Row r : rows) {
      if (r.getBoolean(5) && r.getDouble(6) > 0) {
        double[] s = sums.get(r.getString(0) + "/" + r.getInt(1));
        ref.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
            .add(Math.log(r.getDouble(8) / s[0]));
        uniform.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(-Math.log(s[1]));
      }
    }
    Row moved = metric(table.metrics("decisions", "moved", List.of()), MODEL, "all");
    assertThat(moved.<Double>getAs("d_nlp")).isCloseTo(Metrics.decisionNlp(ref), within(1e-12));
    assertThat(moved.<Double>getAs("uniform_d_nlp"))
        .isCloseTo(Metrics.decisionNlp(uniform), within(1e-12));
    assertThat(moved.<Long>getAs("decisions"))
        .isEqualTo(ref.values().stream().mapToLong(List::size).sum());
    assertThat(moved.<String>getAs("subset")).isEqualTo("moved");
    // an empty subset is reported with no decisions, not an error
    Row empty = metric(table.metrics("decisions", "far", List.of()), MODEL, "all");
    assertThat(empty.<Long>getAs("individuals")).isZero();
    assertThat(empty.<Long>getAs("decisions")).isZero();
    assertThat(empty.<Double>getAs("d_nlp")).isNaN();
  }

  @Test
  void everyModelOfOneTableEqualsItsOwnTableAndLogOddsAreASoftmax() {
    List<Row> rows = predictions(6);
    Dataset<Row> frame =
        frame(rows).withColumn("half", col(Cols.PROBABILITY).multiply(0.5).plus(0.1));
    Map<String, String> subsets = Map.of("moved", "distance_km > 0");
    // log p + 3 is a log-odds whose softmax is p: the same ll in every subset
    List<DecisionTable.Model> models =
        List.of(
            new DecisionTable.Probability(MODEL, col(Cols.PROBABILITY)),
            new DecisionTable.Probability("half", col("half")),
            new DecisionTable.LogOdds(
                "odds", org.apache.spark.sql.functions.log(col(Cols.PROBABILITY)).plus(3)));
    DecisionTable together = DecisionTable.of(frame, models, subsets, List.of("region"));
    List<DecisionTable.GroupingSet> sets =
        List.of(
            new DecisionTable.GroupingSet(DecisionTable.ALL, List.of("region")),
            new DecisionTable.GroupingSet("moved", List.of("region")));
    Map<String, Row> joint = new HashMap<>();
    for (Row r : together.metrics("decisions", sets).collectAsList()) {
      joint.put(r.getAs("model") + "|" + r.getAs("subset") + "|" + r.getAs("group"), r);
    }
    assertThat(joint).hasSize(3 * 2 * 2);
    for (DecisionTable.Model m : models.subList(0, 2)) {
      for (Row r :
          DecisionTable.of(frame, List.of(m), subsets, List.of("region"))
              .metrics("decisions", sets)
              .collectAsList()) {
        Row j = joint.get(m.name() + "|" + r.getAs("subset") + "|" + r.getAs("group"));
        assertThat(j.<Double>getAs("d_nlp")).isEqualTo(r.<Double>getAs("d_nlp"));
        assertThat(j.<Double>getAs("mean_ll")).isEqualTo(r.<Double>getAs("mean_ll"));
        assertThat(j.<Long>getAs("decisions")).isEqualTo(r.<Long>getAs("decisions"));
      }
    }
    for (Row r : joint.values().stream().filter(r -> r.getAs("model").equals(MODEL)).toList()) {
      Row odds = joint.get("odds|" + r.getAs("subset") + "|" + r.getAs("group"));
      assertThat(odds.<Double>getAs("d_nlp")).isCloseTo(r.getAs("d_nlp"), within(1e-12));
    }
  }

  /**
   * The rows in partitions cut where {@code cuts} say (row indices), each partition in the rows'
   * order: Spark would drop a sortWithinPartitions under an aggregation.
   */
  private Dataset<Row> partitions(List<Row> rows, int... cuts) {
    Dataset<Row> out = null;
    int from = 0;
    for (int to :
        java.util.stream.IntStream.concat(
                java.util.Arrays.stream(cuts), java.util.stream.IntStream.of(rows.size()))
            .toArray()) {
      Dataset<Row> part = frame(rows.subList(from, to)).coalesce(1);
      out = out == null ? part : out.union(part);
      from = to;
    }
    return out;
  }

  /** The index of the first row of individual {@code id}. */
  private static int firstRowOf(List<Row> rows, String id) {
    return rows.indexOf(rows.stream().filter(r -> r.getString(0).equals(id)).findFirst().get());
  }

  private static final List<DecisionTable.Model> EVERY_KIND =
      List.of(
          new DecisionTable.Probability(MODEL, col(Cols.PROBABILITY)),
          new DecisionTable.LogOdds(
              "odds", org.apache.spark.sql.functions.log(col(Cols.PROBABILITY)).plus(3)),
          new DecisionTable.StayPutRate("stay", Map.of("o", 0.4), 0.3));

  @Test
  void aTableStreamedFromWholeDecisionsEqualsTheAggregatedOneToTheLastBit() {
    List<Row> rows = predictions(9);
    Dataset<Row> choices = partitions(rows, firstRowOf(rows, "f3"), firstRowOf(rows, "f5"));
    Map<String, String> subsets = Map.of("moved", "distance_km > 0");
    List<String> carried = List.of("region", Cols.CELL, Cols.ORIGIN_CELL, "distance_km");
    DecisionTable streamed = DecisionTable.streamed(choices, EVERY_KIND, subsets, carried).table();
    DecisionTable aggregated = DecisionTable.of(choices, EVERY_KIND, subsets, carried);
    assertThat(streamed).isNotNull();
    assertThat(streamed.rows().schema()).isEqualTo(aggregated.rows().schema());
    List<Row> expected = aggregated.rows().collectAsList();
    assertThat(expected).hasSize(rows.stream().filter(r -> r.getBoolean(5)).toList().size());
    assertThat(streamed.rows().collectAsList()).containsExactlyInAnyOrderElementsOf(expected);
    List<DecisionTable.GroupingSet> sets =
        List.of(
            new DecisionTable.GroupingSet(DecisionTable.ALL, List.of("region")),
            new DecisionTable.GroupingSet("moved", List.of(DecisionTable.MOVED)));
    // the same decisions' lls, summed over groups in another partition order: equal to rounding
    Map<String, Row> metrics = new HashMap<>();
    for (Row r : aggregated.metrics("decisions", sets).collectAsList()) {
      metrics.put(r.getAs("model") + "|" + r.getAs("group"), r);
    }
    List<Row> fromStream = streamed.metrics("decisions", sets).collectAsList();
    assertThat(fromStream).hasSize(metrics.size()).hasSize(3 * 3);
    for (Row r : fromStream) {
      Row e = metrics.get(r.getAs("model") + "|" + r.getAs("group"));
      assertThat(r.<Long>getAs("decisions")).isEqualTo(e.<Long>getAs("decisions"));
      for (String m : List.of("d_nlp", "mean_ll", "uniform_d_nlp")) {
        assertThat(r.<Double>getAs(m)).isCloseTo(e.getAs(m), within(1e-14));
      }
    }
    streamed.unpersist();
    aggregated.unpersist();
  }

  @Test
  void aStreamedTableIsRefusedWhenADecisionIsCutOrOutOfOrderAndValidatedOtherwise() {
    List<Row> rows = predictions(9);
    List<String> carried = List.of("region");
    // a decision of individual f3 cut between two partitions
    int cut = firstRowOf(rows, "f3") + 1;
    assertThat(DecisionTable.streamed(partitions(rows, cut), EVERY_KIND, Map.of(), carried).table())
        .isNull();
    // the last row of a decision in the middle moved to a partition of its own: no partition's
    // first or last decision is cut, but individual f3 is in both
    List<Row> moved = new ArrayList<>(rows);
    int last = firstRowOf(rows, "f4") - 1;
    moved.add(moved.remove(last - rows.get(last).getInt(2) - 1));
    assertThat(moved.get(moved.size() - 1).getString(0)).isEqualTo("f3");
    assertThat(
            DecisionTable.streamed(
                    partitions(moved, moved.size() - 1), EVERY_KIND, Map.of(), carried)
                .table())
        .isNull();
    // one partition, its individuals in reverse order
    List<Row> reversed = new ArrayList<>();
    for (int i = 6; i >= 0; i--) {
      String id = "f" + i;
      rows.stream().filter(r -> r.getString(0).equals(id)).forEach(reversed::add);
    }
    assertThat(DecisionTable.streamed(partitions(reversed), EVERY_KIND, Map.of(), carried).table())
        .isNull();
    // whole decisions in order, one with two selected choices: the error of the aggregated table
    List<Row> twice = new ArrayList<>(rows);
    Row other = twice.stream().filter(r -> !r.getBoolean(5)).findFirst().get();
    twice.set(twice.indexOf(other), with(other, true, other.getDouble(8)));
    assertThatThrownBy(
            () -> DecisionTable.streamed(partitions(twice), EVERY_KIND, Map.of(), carried).table())
        .hasMessageContaining(
            "decision "
                + other.get(1)
                + " of individual '"
                + other.get(0)
                + "' has 2 selected choices");
  }

  /** The row with another probability (its last column). */
  private static Row withProbability(Row r, Double probability) {
    return with(r, r.getBoolean(5), probability);
  }

  /** {@code r} with another selected flag (column 5) and probability (the last column). */
  private static Row with(Row r, boolean selected, Double probability) {
    Object[] values = new Object[r.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = r.get(i);
    }
    values[5] = selected;
    values[values.length - 1] = probability;
    return RowFactory.create(values);
  }

  @Test
  void zeroOrMissingProbabilitiesAreNamedErrors() {
    List<Row> rows = new ArrayList<>(predictions(4));
    Row first = rows.stream().filter(r -> r.getBoolean(5)).findFirst().get();
    int at = rows.indexOf(first);
    rows.set(at, withProbability(first, 0.0));
    assertThatThrownBy(() -> table(rows, Map.of()))
        .hasMessageContaining("decision " + first.get(1) + " of individual '" + first.get(0) + "'")
        .hasMessageContaining("probability 0.0 under model 'm'");
    rows.set(at, withProbability(first, Double.NaN));
    assertThatThrownBy(() -> table(rows, Map.of())).hasMessageContaining("probability NaN");
    Row other = rows.stream().filter(r -> !r.getBoolean(5)).findFirst().get();
    rows.set(at, first);
    rows.set(rows.indexOf(other), with(other, false, null));
    assertThatThrownBy(() -> table(rows, Map.of()))
        .hasMessageContaining(
            "decision "
                + other.get(1)
                + " of individual '"
                + other.get(0)
                + "' has 1 choice(s) without a probability");
    rows.set(
        rows.indexOf(rows.stream().filter(r -> r.get(8) == null).findFirst().get()),
        with(other, true, 0.5));
    assertThatThrownBy(() -> table(rows, Map.of())).hasMessageContaining("has 2 selected choices");
  }

  @Test
  void comparisonAndCalibrationFollowTheirDefinitions() {
    List<Row> a = predictions(5);
    Map<String, Integer> m = new HashMap<>();
    for (Row r : a) {
      m.merge(r.getString(0) + "/" + r.getInt(1), 1, Integer::sum);
    }
    // against the uniform model
    List<Row> perIndividual =
        Evaluation.individualDifferences(table(a, Map.of()), MODEL, DecisionTable.UNIFORM, "region")
            .collectAsList();
    Map<String, List<Double>> ref = new HashMap<>();
    for (Row r : a) {
      if (r.getBoolean(5)) {
        ref.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
            .add(
                Math.log(r.getDouble(8))
                    - Math.log(1.0 / m.get(r.getString(0) + "/" + r.getInt(1))));
      }
    }
    double previous = Double.POSITIVE_INFINITY;
    for (Row r : perIndividual) {
      double expected =
          ref.get(r.getString(0)).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      assertThat(r.<Double>getAs("mean_ll_diff")).isCloseTo(expected, within(1e-12));
      assertThat(r.<Double>getAs("mean_ll_diff")).isLessThanOrEqualTo(previous);
      assertThat(r.<Long>getAs("decisions")).isEqualTo(ref.get(r.getString(0)).size());
      assertThat(r.<String>getAs("colour")).isIn("north", "south");
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

  @Test
  void calibrationTakenAsTheTableStreamsEqualsAPlainJavaLoop() {
    List<Row> rows = predictions(9);
    Calibration calibration = Calibration.register(spark, 4);
    assertThat(calibration.rows()).as("no pass yet").isEmpty();
    DecisionTable table =
        DecisionTable.streamed(
                partitions(rows, firstRowOf(rows, "f3"), firstRowOf(rows, "f5")),
                List.of(new DecisionTable.Probability(MODEL, col(Cols.PROBABILITY))),
                Map.of(),
                List.of("region"),
                col(Cols.PROBABILITY),
                calibration)
            .table();
    assertThat(table).isNotNull();
    List<Row> streamed = calibration.rows().orElseThrow();
    long[] n = new long[4];
    double[] predicted = new double[4];
    long[] observed = new long[4];
    for (Row r : rows) {
      int bin = Math.min((int) Math.floor(r.getDouble(8) * 4), 3);
      n[bin]++;
      predicted[bin] += r.getDouble(8);
      observed[bin] += r.getBoolean(5) ? 1 : 0;
    }
    int at = 0;
    for (int bin = 0; bin < 4; bin++) {
      if (n[bin] == 0) {
        continue;
      }
      Row c = streamed.get(at++);
      assertThat(c.<Integer>getAs("bin")).isEqualTo(bin);
      assertThat(c.<Long>getAs("choices")).isEqualTo(n[bin]);
      assertThat(c.<Double>getAs("mean_predicted"))
          .isCloseTo(predicted[bin] / n[bin], within(1e-12));
      assertThat(c.<Double>getAs("observed"))
          .isCloseTo((double) observed[bin] / n[bin], within(1e-12));
      assertThat(c.<Double>getAs("bin_low")).isEqualTo(bin / 4.0);
      assertThat(c.<Double>getAs("bin_high")).isEqualTo((bin + 1) / 4.0);
    }
    assertThat(streamed).hasSize(at);
    // the same rows as Spark's pass over the predictions, under the same schema
    List<Row> bySpark = Evaluation.calibration(frame(rows), 4).collectAsList();
    assertThat(bySpark).hasSize(streamed.size());
    for (int i = 0; i < bySpark.size(); i++) {
      assertThat(bySpark.get(i).<Long>getAs("choices")).isEqualTo(streamed.get(i).getAs("choices"));
      assertThat(bySpark.get(i).<Double>getAs("mean_predicted"))
          .isCloseTo(streamed.get(i).getAs("mean_predicted"), within(1e-15));
    }
    assertThat(Evaluation.calibration(frame(rows), 4).schema().fieldNames())
        .containsExactly(Calibration.SCHEMA.fieldNames());

    // a negative probability on an unselected choice: Spark's pass names its bin instead
    List<Row> negative = new ArrayList<>(rows);
    int unselected = 0;
    while (negative.get(unselected).getBoolean(5)) {
      unselected++;
    }
    Row r = negative.get(unselected);
    negative.set(
        unselected,
        RowFactory.create(
            r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), r.get(7), -0.5));
    Calibration fallback = Calibration.register(spark, 4);
    DecisionTable.streamed(
            frame(negative).coalesce(1),
            List.of(new DecisionTable.Probability(MODEL, col(Cols.PROBABILITY))),
            Map.of(),
            List.of("region"),
            col(Cols.PROBABILITY),
            fallback)
        .table();
    assertThat(fallback.rows()).isEmpty();
  }
}
