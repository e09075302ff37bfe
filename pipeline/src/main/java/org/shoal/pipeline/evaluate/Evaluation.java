package org.shoal.pipeline.evaluate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.shoal.pipeline.schema.Cols;

/**
 * Distributed evaluation of predictions (a choice table with {@code probability}): per-decision log-probability of
 * the selected choice, then D-NLP, mean, GMP, counts and the uniform baseline for any grouping columns; choice
 * subsets with renormalisation; model-vs-model differences; calibration.
 */
public final class Evaluation {
  public static final String LL = "ll";
  public static final String CHOICES = "choices";
  public static final String MOVED = "moved";
  public static final String DISTANCE_BIN = "distance_bin";
  public static final String GROUP = "group";

  private Evaluation() {}

  /**
   * One row per decision: individual, decision, ll, choices, moved, distance_bin and every other column of the
   * selected row (so any choice-table column can be a grouping column). Fails on a missing, NaN or non-positive
   * probability of a selected choice, naming the decision.
   */
  public static Dataset<Row> decisions(Dataset<Row> predictions) {
    List<String> carried = new ArrayList<>();
    for (String c : predictions.columns()) {
      if (!c.equals(Cols.INDIVIDUAL) && !c.equals(Cols.DECISION)) {
        carried.add(c);
      }
    }
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as(CHOICES));
    aggs.add(sum(when(col(Cols.SELECTED), 1).otherwise(0)).as("_selected"));
    for (String c : carried) {
      aggs.add(max_by(col("`" + c + "`"), col(Cols.SELECTED).cast("int")).as(c));
    }
    Dataset<Row> d =
        predictions
            .groupBy(Cols.INDIVIDUAL, Cols.DECISION)
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    List<Row> bad =
        d.filter(
                col("_selected").notEqual(1)
                    .or(col(Cols.PROBABILITY).isNull())
                    .or(col(Cols.PROBABILITY).isNaN())
                    .or(col(Cols.PROBABILITY).leq(0)))
            .select(Cols.INDIVIDUAL, Cols.DECISION, "_selected", Cols.PROBABILITY)
            .limit(1)
            .collectAsList();
    if (!bad.isEmpty()) {
      Row b = bad.get(0);
      throw new IllegalArgumentException(
          b.getLong(2) != 1
              ? "decision " + b.get(1) + " of individual '" + b.get(0) + "' has " + b.get(2) + " selected choices"
              : "the selected choice of decision " + b.get(1) + " of individual '" + b.get(0)
                  + "' has probability " + b.get(3) + "; log-likelihoods need a positive probability");
    }
    Dataset<Row> out = d.drop("_selected").withColumn(LL, log(col(Cols.PROBABILITY)));
    List<String> names = Arrays.asList(out.columns());
    if (names.contains(Cols.CELL) && names.contains(Cols.ORIGIN_CELL)) {
      out = out.withColumn(MOVED, col(Cols.CELL).notEqual(col(Cols.ORIGIN_CELL)));
    }
    if (names.contains("distance_km")) {
      out =
          out.withColumn(
              DISTANCE_BIN,
              when(col("distance_km").equalTo(0), lit("stay"))
                  .when(col("distance_km").leq(50), lit("0-50 km"))
                  .when(col("distance_km").leq(100), lit("50-100 km"))
                  .otherwise(lit("> 100 km")));
    }
    return out;
  }

  /**
   * Metrics per group: decisions, individuals, d_nlp, mean_ll, gmp, uniform_d_nlp, uniform_gmp. {@code group}
   * names the grouping ("all" when there are no columns).
   */
  public static Dataset<Row> grouped(Dataset<Row> decisions, List<String> groupBy) {
    List<Column> perIndividualKeys = new ArrayList<>();
    List<Column> groupKeys = new ArrayList<>();
    for (String g : groupBy) {
      perIndividualKeys.add(col("`" + g + "`"));
      groupKeys.add(col("`" + g + "`"));
    }
    perIndividualKeys.add(col(Cols.INDIVIDUAL));
    Dataset<Row> perIndividual =
        decisions
            .groupBy(perIndividualKeys.toArray(Column[]::new))
            .agg(
                avg(LL).as("_ind_ll"),
                count(lit(1)).as("_n"),
                sum(LL).as("_sum_ll"),
                avg(log(lit(1.0).divide(col(CHOICES)))).as("_ind_uniform"));
    Dataset<Row> g =
        perIndividual
            .groupBy(groupKeys.toArray(Column[]::new))
            .agg(
                sum("_n").as("decisions"),
                count(lit(1)).as("individuals"),
                avg("_ind_ll").as("d_nlp"),
                sum("_sum_ll").divide(sum("_n")).as("mean_ll"),
                avg("_ind_uniform").as("uniform_d_nlp"))
            .withColumn("gmp", exp(col("d_nlp")))
            .withColumn("uniform_gmp", exp(col("uniform_d_nlp")))
            .withColumn(GROUP, lit(groupBy.isEmpty() ? "all" : String.join(",", groupBy)));
    return g;
  }

  /**
   * Keeps the choices matching {@code predicate} (Spark SQL), renormalises probabilities within each decision,
   * and keeps the decisions whose selected choice survives.
   */
  public static Dataset<Row> subset(Dataset<Row> predictions, String predicate) {
    WindowSpec decision = Window.partitionBy(Cols.INDIVIDUAL, Cols.DECISION);
    return predictions
        .filter(expr(predicate))
        .withColumn("_has_selected", max(col(Cols.SELECTED).cast("int")).over(decision))
        .filter(col("_has_selected").equalTo(1))
        .withColumn(Cols.PROBABILITY, col(Cols.PROBABILITY).divide(sum(Cols.PROBABILITY).over(decision)))
        .drop("_has_selected");
  }

  /** Per-decision difference of log-likelihoods of two models' decisions (same ids): ll_diff = ll_a - ll_b. */
  public static Dataset<Row> compare(Dataset<Row> a, Dataset<Row> b) {
    Dataset<Row> bl = b.select(col(Cols.INDIVIDUAL), col(Cols.DECISION), col(LL).as("ll_reference"));
    return a.join(bl, scala.collection.JavaConverters.asScalaBuffer(List.of(Cols.INDIVIDUAL, Cols.DECISION)).toSeq())
        .withColumn("ll_diff", col(LL).minus(col("ll_reference")));
  }

  /** Per-individual mean difference, most improved first. */
  public static Dataset<Row> individualDifferences(Dataset<Row> compared) {
    return compared
        .groupBy(Cols.INDIVIDUAL)
        .agg(avg("ll_diff").as("mean_ll_diff"), count(lit(1)).as("decisions"))
        .orderBy(col("mean_ll_diff").desc(), col(Cols.INDIVIDUAL));
  }

  /** Reliability table over every choice: bins of predicted probability vs the observed selection rate. */
  public static Dataset<Row> calibration(Dataset<Row> predictions, int bins) {
    return predictions
        .withColumn("bin", least(floor(col(Cols.PROBABILITY).multiply(bins)), lit(bins - 1)).cast("int"))
        .groupBy("bin")
        .agg(
            avg(Cols.PROBABILITY).as("mean_predicted"),
            avg(col(Cols.SELECTED).cast("double")).as("observed"),
            count(lit(1)).as("choices"))
        .withColumn("bin_low", col("bin").divide(bins))
        .withColumn("bin_high", col("bin").plus(1).divide(bins))
        .orderBy("bin");
  }
}
