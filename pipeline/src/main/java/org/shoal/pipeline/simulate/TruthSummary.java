package org.shoal.pipeline.simulate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.shoal.pipeline.schema.Cols;

/**
 * What the truth table says about the simulated world: how often fish stayed put (observed, and
 * expected under the true model with its sampling error), choice-set sizes, and the log-likelihood
 * per step of the true model, which bounds what any trained model can reach on this data, next to
 * the uniform baseline.
 */
public record TruthSummary(
    long individuals,
    long steps,
    long choiceRows,
    int minChoices,
    int maxChoices,
    double stayPutRate,
    double expectedStayPutRate,
    double stayPutRateStdError,
    double trueMeanLogLikelihood,
    double uniformMeanLogLikelihood) {

  public static TruthSummary of(Dataset<Row> truth) {
    Dataset<Row> perStep =
        truth
            .groupBy(Cols.INDIVIDUAL, Cols.DATE)
            .agg(
                count(lit(1)).as("n"),
                sum(when(col(Cols.CELL).equalTo(col(Cols.ORIGIN_CELL)), col(Cols.PROBABILITY)))
                    .as("p_stay"),
                max(when(col(Cols.SELECTED), col(Cols.CELL).equalTo(col(Cols.ORIGIN_CELL))))
                    .cast("int")
                    .as("stayed"),
                sum(when(col(Cols.SELECTED), log(col(Cols.PROBABILITY)))).as("ll"));
    Row r =
        perStep
            .agg(
                org.apache.spark.sql.functions.countDistinct(col(Cols.INDIVIDUAL)),
                count(lit(1)),
                sum("n"),
                min("n"),
                max("n"),
                sum("stayed"),
                sum("p_stay"),
                sum(col("p_stay").multiply(lit(1.0).minus(col("p_stay")))),
                sum("ll"),
                sum(log(lit(1.0).divide(col("n")))))
            .first();
    long steps = r.getLong(1);
    return new TruthSummary(
        r.getLong(0),
        steps,
        r.getLong(2),
        (int) r.getLong(3),
        (int) r.getLong(4),
        r.getLong(5) / (double) steps,
        r.getDouble(6) / steps,
        Math.sqrt(r.getDouble(7)) / steps,
        r.getDouble(8) / steps,
        r.getDouble(9) / steps);
  }
}
