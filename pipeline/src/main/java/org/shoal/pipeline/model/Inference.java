package org.shoal.pipeline.model;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.shoal.pipeline.schema.Cols;

/**
 * Batch inference: the log-odds of every choice row from a {@link LogOddsScorer}, then the
 * probability as the softmax within each decision, with the decision's maximum subtracted before
 * exponentiating so large log-odds cannot overflow.
 */
public final class Inference {
  public static final String RUN_ID = "run_id";

  private Inference() {}

  /** A model to score with, and the columns its log-odds and probabilities go to. */
  public record Scored(LogOddsScorer scorer, String logOddsColumn, String probabilityColumn)
      implements java.io.Serializable {}

  public static Dataset<Row> apply(Dataset<Row> choices, LogOddsScorer scorer, String runId) {
    return apply(choices, List.of(new Scored(scorer, Cols.LOG_ODDS, Cols.PROBABILITY)), List.of())
        .withColumn(RUN_ID, lit(runId));
  }

  /**
   * Several models in one pass over the choices: each row is read once and scored by every model (a
   * UDF over the model's features only, so no other column is converted), and every model's softmax
   * uses the same window over the decision. {@code clusteredBy}: columns constant within each
   * individual by which the caller has already hash-partitioned the rows (e.g. to write them
   * partitioned by them); the window then reuses that partitioning instead of shuffling again. A
   * missing feature value fails naming the feature, decision and individual.
   */
  public static Dataset<Row> apply(
      Dataset<Row> choices, List<Scored> models, List<String> clusteredBy) {
    List<String> names = Arrays.asList(choices.columns());
    Dataset<Row> scored = choices;
    for (Scored m : models) {
      List<Column> x = new ArrayList<>();
      List<Column> missing = new ArrayList<>();
      Column anyMissing = lit(false);
      for (String f : m.scorer().features()) {
        if (!names.contains(f)) {
          throw new IllegalArgumentException(
              "the model needs feature '" + f + "', which the choices lack; columns: " + names);
        }
        Column value = col("`" + f + "`").cast(DataTypes.DoubleType);
        x.add(value);
        missing.add(when(value.isNull(), lit(f)));
        anyMissing = anyMissing.or(value.isNull());
      }
      Column error =
          raise_error(
              concat(
                  lit("feature '"),
                  concat_ws("', '", missing.toArray(Column[]::new)),
                  lit("' is missing in decision "),
                  col(Cols.DECISION).cast("string"),
                  lit(" of individual '"),
                  col(Cols.INDIVIDUAL).cast("string"),
                  lit("'")));
      UserDefinedFunction score = udf(new Score(m.scorer()), DataTypes.DoubleType);
      scored =
          scored.withColumn(
              m.logOddsColumn(),
              when(anyMissing, error).otherwise(score.apply(array(x.toArray(Column[]::new)))));
    }
    List<Column> keys = new ArrayList<>();
    clusteredBy.forEach(c -> keys.add(col(c)));
    keys.add(col(Cols.INDIVIDUAL));
    keys.add(col(Cols.DECISION));
    WindowSpec decision = Window.partitionBy(keys.toArray(Column[]::new));
    if (names.contains(Cols.CHOICE)) {
      // Ordered by choice over the whole decision: the sums run in a fixed order, and the rows
      // leave sorted as a choice table is written, so the write needs no sort of its own.
      decision =
          decision
              .orderBy(Cols.CHOICE)
              .rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    }
    // Every model's maximum in one window, then every model's sum in another: Spark runs a window
    // per select, so model by model would pass over the rows twice per model (measured on the
    // demo's 2.9 M contrast rows and three models: see the README).
    List<String> odds = new ArrayList<>();
    List<String> maxima = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      Column lo = col(models.get(i).logOddsColumn());
      maxima.add("_max" + i);
      scored = scored.withColumn("_max" + i, max(lo).over(decision));
    }
    for (int i = 0; i < models.size(); i++) {
      Column lo = col(models.get(i).logOddsColumn());
      odds.add("_odds" + i);
      scored = scored.withColumn("_odds" + i, exp(lo.minus(col("_max" + i))));
    }
    for (int i = 0; i < models.size(); i++) {
      scored =
          scored.withColumn(
              models.get(i).probabilityColumn(),
              col("_odds" + i).divide(sum(col("_odds" + i)).over(decision)));
    }
    return scored.drop(maxima.toArray(String[]::new)).drop(odds.toArray(String[]::new));
  }

  /** One model's log-odds of one choice from its feature values. */
  private static final class Score implements UDF1<scala.collection.Seq<Object>, Double> {
    private final LogOddsScorer scorer;

    Score(LogOddsScorer scorer) {
      this.scorer = scorer;
    }

    @Override
    public Double call(scala.collection.Seq<Object> features) {
      double[] x = new double[features.length()];
      for (int i = 0; i < x.length; i++) {
        x[i] = ((Number) features.apply(i)).doubleValue();
      }
      return scorer.logOdds(x);
    }
  }
}
