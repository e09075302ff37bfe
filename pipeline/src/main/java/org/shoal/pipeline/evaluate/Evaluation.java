package org.shoal.pipeline.evaluate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.shoal.pipeline.schema.Cols;

/**
 * Distributed evaluation beyond the per-group metrics of {@link DecisionTable}: per-individual
 * differences between two models, and calibration.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Per individual: the mean difference of log-likelihoods {@code model} − {@code baseline} over
   * its decisions, their count and the {@code colourBy} value of its first decision as a string;
   * most improved first.
   */
  public static Dataset<Row> individualDifferences(
      DecisionTable table, String model, String baseline, String colourBy) {
    return table
        .rows()
        .withColumn(
            "ll_diff",
            col(table.ll(model, DecisionTable.ALL))
                .minus(col(table.ll(baseline, DecisionTable.ALL))))
        .groupBy(Cols.INDIVIDUAL)
        .agg(
            avg("ll_diff").as("mean_ll_diff"),
            count(lit(1)).as("decisions"),
            first(col("`" + colourBy + "`")).cast("string").as("colour"))
        .orderBy(col("mean_ll_diff").desc(), col(Cols.INDIVIDUAL));
  }

  /**
   * Reliability table over every choice: bins of predicted probability vs the observed selection
   * rate (a choice without a selection flag is not selected, as in {@link DecisionTable}). {@link
   * Calibration} takes the same table as the decision table's pass streams past.
   */
  public static Dataset<Row> calibration(Dataset<Row> predictions, int bins) {
    return predictions
        .withColumn(
            Calibration.BIN,
            least(floor(col(Cols.PROBABILITY).multiply(bins)), lit(bins - 1)).cast("int"))
        .groupBy(Calibration.BIN)
        .agg(
            avg(Cols.PROBABILITY).as(Calibration.MEAN_PREDICTED),
            avg(coalesce(col(Cols.SELECTED), lit(false)).cast("double")).as(Calibration.OBSERVED),
            count(lit(1)).as(Calibration.CHOICES))
        .withColumn(Calibration.BIN_LOW, col(Calibration.BIN).divide(bins))
        .withColumn(Calibration.BIN_HIGH, col(Calibration.BIN).plus(1).divide(bins))
        .orderBy(Calibration.BIN);
  }
}
