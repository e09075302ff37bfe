package org.shoal.pipeline.contrast;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

class TestSampleContrasts {
  private final SparkSession spark = SharedSpark.session();

  private static SampleContrasts.Params pairs(int n, int a, long seed) {
    return new SampleContrasts.Params(SampleContrasts.Mode.PAIRS, n, a, seed);
  }

  private static List<Row> sorted(Dataset<Row> rows) {
    return rows.orderBy(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE).collectAsList();
  }

  @Test
  void everyIndividualGetsExactlyNDrawsOfAPairsEachAndPairsAreWellFormed() {
    Dataset<Row> choices = ChoiceTables.make(spark, new int[] {1, 3, 10, 40}, 6, 0.5, 1);
    List<Row> rows = sorted(SampleContrasts.apply(choices, pairs(25, 4, 7)).rows());
    Map<String, Integer> perIndividual = new HashMap<>();
    for (int i = 0; i < rows.size(); i += 2) {
      Row sel = rows.get(i);
      Row alt = rows.get(i + 1);
      String id = sel.getAs(Cols.INDIVIDUAL);
      perIndividual.merge(id, 1, Integer::sum);
      assertThat(alt.<String>getAs(Cols.INDIVIDUAL)).isEqualTo(id);
      assertThat(alt.<Integer>getAs(Cols.DECISION)).isEqualTo(sel.<Integer>getAs(Cols.DECISION));
      assertThat(sel.<Integer>getAs(Cols.CHOICE)).isEqualTo(1);
      assertThat(alt.<Integer>getAs(Cols.CHOICE)).isEqualTo(2);
      assertThat(sel.<Boolean>getAs(Cols.SELECTED)).isTrue();
      assertThat(alt.<Boolean>getAs(Cols.SELECTED)).isFalse();
      assertThat(alt.<Integer>getAs(Cols.SOURCE_DECISION))
          .isEqualTo(sel.<Integer>getAs(Cols.SOURCE_DECISION));
      assertThat(alt.<Integer>getAs(Cols.DRAW)).isEqualTo(sel.<Integer>getAs(Cols.DRAW));
      // features travel with their choice
      assertThat(alt.<Double>getAs("f_x"))
          .isEqualTo(
              alt.<Integer>getAs(Cols.SOURCE_DECISION) * 100.0
                  + alt.<Integer>getAs(Cols.SOURCE_CHOICE));
      assertThat(alt.<String>getAs("split")).isEqualTo(sel.<String>getAs("split"));
    }
    assertThat(perIndividual).hasSize(4).allSatisfy((id, n) -> assertThat(n).isEqualTo(25 * 4));
    assertThat(rows.stream().map(r -> r.<Integer>getAs(Cols.DECISION)).distinct().count())
        .isEqualTo(100);
  }

  /**
   * The sampling rule as a plain loop over the collected table: draw k of an individual takes its
   * usable decision of rank Draws.index(n, seed, individual, 1, k, 0) by decision id, alternative a
   * of that draw its unselected choice of rank Draws.index(m, seed, individual, 2, k + 1, a).
   */
  private static List<String> expectedDraws(List<Row> input, SampleContrasts.Params p) {
    Map<String, java.util.TreeMap<Integer, List<Row>>> decisions = new java.util.TreeMap<>();
    for (Row r : input) {
      decisions
          .computeIfAbsent(r.getAs(Cols.INDIVIDUAL), k -> new java.util.TreeMap<>())
          .computeIfAbsent(r.getAs(Cols.DECISION), k -> new java.util.ArrayList<>())
          .add(r);
    }
    List<String> expected = new java.util.ArrayList<>();
    decisions.forEach(
        (id, byDecision) -> {
          List<List<Row>> usable = new java.util.ArrayList<>();
          for (List<Row> choices : byDecision.values()) {
            choices.sort(Comparator.comparing(r -> r.<Integer>getAs(Cols.CHOICE)));
            long selected = choices.stream().filter(r -> r.<Boolean>getAs(Cols.SELECTED)).count();
            boolean hasAlternative = selected < choices.size();
            if (selected == 1 && (p.mode() == SampleContrasts.Mode.DECISIONS || hasAlternative)) {
              usable.add(choices);
            }
          }
          for (int k = 0; k < p.decisionsPerIndividual(); k++) {
            List<Row> choices =
                usable.get(
                    org.shoal.pipeline.util.Draws.index(usable.size(), p.seed(), id, 1, k, 0));
            int draw = k + 1;
            if (p.mode() == SampleContrasts.Mode.DECISIONS) {
              for (Row c : choices) {
                expected.add(key(id, draw, c.getAs(Cols.CHOICE), c, draw));
              }
              continue;
            }
            Row chosen =
                choices.stream().filter(r -> r.<Boolean>getAs(Cols.SELECTED)).findFirst().get();
            List<Row> others =
                choices.stream().filter(r -> !r.<Boolean>getAs(Cols.SELECTED)).toList();
            for (int a = 0; a < p.alternativesPerDecision(); a++) {
              Row other =
                  others.get(
                      org.shoal.pipeline.util.Draws.index(others.size(), p.seed(), id, 2, draw, a));
              int pair = k * p.alternativesPerDecision() + a + 1;
              expected.add(key(id, pair, 1, chosen, draw));
              expected.add(key(id, pair, 2, other, draw));
            }
          }
        });
    java.util.Collections.sort(expected);
    return expected;
  }

  private static String key(String id, int decision, int choice, Row source, int draw) {
    return String.join(
        "|",
        id,
        String.valueOf(decision),
        String.valueOf(choice),
        String.valueOf(source.<Integer>getAs(Cols.DECISION)),
        String.valueOf(source.<Integer>getAs(Cols.CHOICE)),
        String.valueOf(source.<Double>getAs("f_x")),
        String.valueOf(draw));
  }

  private static List<String> actualDraws(Dataset<Row> rows) {
    List<String> actual = new java.util.ArrayList<>();
    for (Row r : rows.collectAsList()) {
      actual.add(
          String.join(
              "|",
              r.<String>getAs(Cols.INDIVIDUAL),
              String.valueOf(r.<Integer>getAs(Cols.DECISION)),
              String.valueOf(r.<Integer>getAs(Cols.CHOICE)),
              String.valueOf(r.<Integer>getAs(Cols.SOURCE_DECISION)),
              String.valueOf(r.<Integer>getAs(Cols.SOURCE_CHOICE)),
              String.valueOf(r.<Double>getAs("f_x")),
              String.valueOf(r.<Integer>getAs(Cols.DRAW))));
    }
    java.util.Collections.sort(actual);
    return actual;
  }

  @Test
  void theStreamedDrawsEqualAPlainLoopOverTheTable() {
    // unusable decisions among usable ones, shifting the ranks of those after them: one without a
    // selected choice (fish-1's 30) and single-choice ones (fish-4's 15, 25, ..., usable as
    // whole decisions but not for pairs)
    Dataset<Row> many = ChoiceTables.make(spark, new int[] {4, 9, 1, 0, 12}, 6, 0.5, 8);
    Dataset<Row> single = ChoiceTables.make(spark, new int[] {0, 0, 0, 0, 5}, 1, 1.0, 9);
    Dataset<Row> choices =
        many.withColumn(Cols.DECISION, col(Cols.DECISION).multiply(10))
            .filter(
                col(Cols.INDIVIDUAL)
                    .equalTo("fish-1")
                    .and(col(Cols.DECISION).equalTo(30))
                    .and(col(Cols.SELECTED))
                    .unary_$bang())
            .unionByName(single.withColumn(Cols.DECISION, col(Cols.DECISION).multiply(10).plus(5)))
            .repartition(5);
    List<Row> input = choices.collectAsList();
    for (SampleContrasts.Params p :
        List.of(
            pairs(17, 3, 21),
            new SampleContrasts.Params(SampleContrasts.Mode.DECISIONS, 7, 0, 22))) {
      assertThat(actualDraws(SampleContrasts.apply(choices, p).rows()))
          .isEqualTo(expectedDraws(input, p));
      // clustered by a column that is a function of the individual, as the job lays them out
      assertThat(actualDraws(SampleContrasts.apply(choices, p, col("split")).rows()))
          .isEqualTo(expectedDraws(input, p));
    }
    assertThat(
            SampleContrasts.apply(choices, pairs(1, 1, 1)).skipped().collectAsList().stream()
                .map(
                    r ->
                        r.getAs(Cols.INDIVIDUAL)
                            + "/"
                            + r.getAs(Cols.DECISION)
                            + " "
                            + r.getAs("reason"))
                .sorted())
        .containsExactly(
            "fish-1/30 " + SampleContrasts.NO_SELECTED,
            "fish-4/15 " + SampleContrasts.NO_ALTERNATIVE,
            "fish-4/25 " + SampleContrasts.NO_ALTERNATIVE,
            "fish-4/35 " + SampleContrasts.NO_ALTERNATIVE,
            "fish-4/45 " + SampleContrasts.NO_ALTERNATIVE,
            "fish-4/55 " + SampleContrasts.NO_ALTERNATIVE);
  }

  @Test
  void aDecisionDrawnTwiceGetsFreshAlternatives() {
    // one decision with many alternatives, drawn 30 times: the alternative sets must not all repeat
    Dataset<Row> choices = ChoiceTables.make(spark, new int[] {1}, 40, 1.0, 2);
    List<Row> rows = sorted(SampleContrasts.apply(choices, pairs(30, 3, 5)).rows());
    Map<Integer, List<Integer>> byDraw = new HashMap<>();
    for (Row r : rows) {
      if (!r.<Boolean>getAs(Cols.SELECTED)) {
        byDraw
            .computeIfAbsent(r.getAs(Cols.DRAW), k -> new java.util.ArrayList<>())
            .add(r.getAs(Cols.SOURCE_CHOICE));
      }
    }
    assertThat(byDraw).hasSize(30);
    assertThat(byDraw.values().stream().distinct().count()).isGreaterThan(25);
  }

  @Test
  void resultsDoNotDependOnPartitioningAndASeedIsReproducible() {
    Dataset<Row> choices = ChoiceTables.make(spark, new int[] {5, 8, 13}, 7, 0.6, 3);
    List<Row> one = sorted(SampleContrasts.apply(choices.repartition(1), pairs(20, 3, 11)).rows());
    List<Row> many = sorted(SampleContrasts.apply(choices.repartition(7), pairs(20, 3, 11)).rows());
    List<Row> other = sorted(SampleContrasts.apply(choices, pairs(20, 3, 12)).rows());
    assertThat(many).isEqualTo(one);
    assertThat(other).isNotEqualTo(one);
  }

  @Test
  void sortedPartitionsStreamWithoutASortAndAreCheckedWhole() {
    Dataset<Row> choices = ChoiceTables.make(spark, new int[] {5, 8, 13, 4, 9}, 7, 0.6, 3);
    List<Row> expected = sorted(SampleContrasts.apply(choices, pairs(20, 3, 11)).rows());
    // one partition in the order of a choice table shoal wrote (Spark drops a sort under a join)
    List<Row> rows = choices.orderBy(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE).collectAsList();
    SampleContrasts.Result streamed =
        SampleContrasts.apply(inOnePartition(rows, choices), pairs(20, 3, 11), true);
    assertThat(sorted(streamed.rows())).isEqualTo(expected);
    assertThat(streamed.wholeIndividuals()).isTrue();
    // an individual's rows split over partitions, or its decisions out of order: told
    SampleContrasts.Result split =
        SampleContrasts.apply(inOnePartition(rows, choices).repartition(3), pairs(20, 3, 11), true);
    split.rows().count();
    assertThat(split.wholeIndividuals()).isFalse();
    List<Row> reversed = new ArrayList<>(rows);
    java.util.Collections.reverse(reversed);
    SampleContrasts.Result unordered =
        SampleContrasts.apply(inOnePartition(reversed, choices), pairs(20, 3, 11), true);
    unordered.rows().count();
    assertThat(unordered.wholeIndividuals()).isFalse();
  }

  private Dataset<Row> inOnePartition(List<Row> rows, Dataset<Row> like) {
    return spark.createDataFrame(rows, like.schema()).coalesce(1);
  }

  @Test
  void decisionsWithoutAnAlternativeAreCountedAndSkipped() {
    Dataset<Row> single = ChoiceTables.make(spark, new int[] {2}, 1, 1.0, 4);
    Dataset<Row> normal = ChoiceTables.make(spark, new int[] {0, 3}, 5, 0.5, 4);
    SampleContrasts.Result r = SampleContrasts.apply(single.unionByName(normal), pairs(10, 2, 1));
    List<Row> skipped = r.skipped().orderBy(Cols.DECISION).collectAsList();
    assertThat(skipped).hasSize(2);
    assertThat(skipped)
        .allSatisfy(
            s -> assertThat(s.<String>getAs("reason")).isEqualTo(SampleContrasts.NO_ALTERNATIVE));
    assertThat(r.rows().filter(col(Cols.INDIVIDUAL).equalTo("fish-0")).count()).isZero();
    assertThat(r.rows().filter(col(Cols.INDIVIDUAL).equalTo("fish-1")).count())
        .isEqualTo(10 * 2 * 2);
  }

  /**
   * The research log's relation: with stay-put rate p and A alternatives drawn from the M - 1 = A
   * others, the stay-put choice wins p*A / (p*A + (1 - p)) of the pairs it takes part in.
   */
  @Test
  void theStayPutWinRateMatchesTheResearchLogsRelation() {
    int a = 19;
    int[] decisions = new int[60];
    java.util.Arrays.fill(decisions, 40);
    Dataset<Row> choices = ChoiceTables.make(spark, decisions, a + 1, 0.65, 5);
    List<Row> rows = sorted(SampleContrasts.apply(choices, pairs(200, a, 9)).rows());
    long stayDraws = 0;
    long moveDraws = 0;
    long stayWins = 0;
    long stayLosses = 0;
    for (int i = 0; i < rows.size(); i += 2) {
      Row sel = rows.get(i);
      Row alt = rows.get(i + 1);
      boolean selStays = sel.getAs(Cols.CELL).equals(sel.getAs(Cols.ORIGIN_CELL));
      boolean altStays = alt.getAs(Cols.CELL).equals(alt.getAs(Cols.ORIGIN_CELL));
      boolean firstPairOfItsDraw = (sel.<Integer>getAs(Cols.DECISION) - 1) % a == 0;
      if (firstPairOfItsDraw) {
        if (selStays) {
          stayDraws++;
        } else {
          moveDraws++;
        }
      }
      stayWins += selStays ? 1 : 0;
      stayLosses += altStays ? 1 : 0;
    }
    double p = stayDraws / (double) (stayDraws + moveDraws);
    double expected = p * a / (p * a + (1 - p));
    double observed = stayWins / (double) (stayWins + stayLosses);
    // stayLosses ~ Binomial(moveDraws * A, 1 / A): its sd bounds the error of the rate
    double sdLosses = Math.sqrt(moveDraws * a * (1.0 / a) * (1 - 1.0 / a));
    double sdRate = stayWins * sdLosses / Math.pow(stayWins + moveDraws, 2);
    assertThat(stayDraws + moveDraws).isEqualTo(60 * 200);
    assertThat(p).isBetween(0.6, 0.7);
    assertThat(Math.abs(observed - expected)).isLessThan(4 * sdRate);
    assertThat(expected).isBetween(0.96, 0.98);
  }

  @Test
  void decisionModeKeepsWholeDecisionsBalancedOrAllOnce() {
    Dataset<Row> choices = ChoiceTables.make(spark, new int[] {2, 9}, 5, 0.5, 6);
    List<Row> balanced =
        sorted(
            SampleContrasts.apply(
                    choices, new SampleContrasts.Params(SampleContrasts.Mode.DECISIONS, 6, 0, 1))
                .rows());
    assertThat(balanced).hasSize(2 * 6 * 5);
    assertThat(balanced.stream().filter(r -> r.<Boolean>getAs(Cols.SELECTED)).count())
        .isEqualTo(12);
    List<Row> all =
        sorted(
            SampleContrasts.apply(
                    choices, new SampleContrasts.Params(SampleContrasts.Mode.DECISIONS, 0, 0, 1))
                .rows());
    assertThat(all).hasSize(11 * 5);
    assertThat(all)
        .extracting(
            r ->
                r.getAs(Cols.INDIVIDUAL)
                    + "/"
                    + r.<Integer>getAs(Cols.SOURCE_DECISION)
                    + "/"
                    + r.<Integer>getAs(Cols.SOURCE_CHOICE))
        .doesNotHaveDuplicates();
    assertThat(
            all.stream()
                .max(Comparator.comparing(r -> r.<Integer>getAs(Cols.DECISION)))
                .get()
                .<Integer>getAs(Cols.DECISION))
        .isEqualTo(9);
  }
}
