package org.shoal.pipeline.evaluate;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import java.util.List;
import org.apache.spark.sql.expressions.Window;
import org.shoal.pipeline.expand.Splits;
import org.shoal.pipeline.model.ConditionalLogit;
import org.shoal.pipeline.schema.Cols;

/**
 * Baselines fitted on the training split and evaluated like any model, so a trained model is never only compared
 * with choosing at random.
 */
public final class Baselines {
  private static final String DISTANCE_KM = org.shoal.pipeline.expand.ChoiceTable.DISTANCE_KM;
  public static final String STAY_PUT_RATE = "stay-put rate";
  public static final String DISTANCE = "distance logit";
  /** The distance baseline's inputs: distance in units of 100 km, its square, and staying put (0/1). */
  public static final List<String> DISTANCE_FEATURES = List.of("_distance", "_distance_sq", "_stay_put");

  private Baselines() {}

  /** Whether the predictions have what the stay-put-rate baseline needs (an imported table has no cells). */
  public static boolean canStayPut(Dataset<Row> predictions) {
    java.util.List<String> names = java.util.Arrays.asList(predictions.columns());
    return names.containsAll(java.util.List.of(Cols.CELL, Cols.ORIGIN_CELL, Splits.SPLIT));
  }

  /** Whether the predictions have what the distance baseline needs (distance, cells and a split). */
  public static boolean canDistance(Dataset<Row> predictions) {
    return canStayPut(predictions) && java.util.Arrays.asList(predictions.columns()).contains(DISTANCE_KM);
  }

  /**
   * The distance baseline: an exact conditional logit on distance, distance² and staying put, fitted on the
   * training decisions (null when there are none).
   */
  public static ConditionalLogit.Fit fitDistance(Dataset<Row> predictions) {
    Dataset<Row> train = withDistanceFeatures(predictions.filter(col(Splits.SPLIT).equalTo(Splits.TRAIN)));
    if (train.isEmpty()) {
      return null;
    }
    return ConditionalLogit.fit(ConditionalLogit.decisions(train, DISTANCE_FEATURES), DISTANCE_FEATURES, 1e-10, 500);
  }

  /** The predictions with {@code probability} replaced by the fitted distance logit's (a softmax per decision). */
  public static Dataset<Row> distance(Dataset<Row> predictions, ConditionalLogit.Fit fit) {
    Column phi = lit(0.0);
    for (int k = 0; k < DISTANCE_FEATURES.size(); k++) {
      phi = phi.plus(col(DISTANCE_FEATURES.get(k)).multiply(lit(fit.estimates()[k])));
    }
    var decision = Window.partitionBy(Cols.INDIVIDUAL, Cols.DECISION);
    return withDistanceFeatures(predictions)
        .withColumn("_phi", phi)
        .withColumn("_odds", org.apache.spark.sql.functions.exp(col("_phi").minus(max(col("_phi")).over(decision))))
        .withColumn(Cols.PROBABILITY, col("_odds").divide(sum(col("_odds")).over(decision)))
        .drop("_phi", "_odds", DISTANCE_FEATURES.get(0), DISTANCE_FEATURES.get(1), DISTANCE_FEATURES.get(2));
  }

  private static Dataset<Row> withDistanceFeatures(Dataset<Row> choices) {
    Column d = col(DISTANCE_KM).divide(100.0);
    return choices
        .withColumn(DISTANCE_FEATURES.get(0), d)
        .withColumn(DISTANCE_FEATURES.get(1), d.multiply(d))
        .withColumn(DISTANCE_FEATURES.get(2), when(col(Cols.CELL).equalTo(col(Cols.ORIGIN_CELL)), 1.0).otherwise(0.0));
  }

  /**
   * The predictions with {@code probability} replaced by the stay-put-rate baseline's: p = (stays + 1) / (decisions
   * + 2) over the training decisions from the same origin cell (the overall training share, smoothed the same way,
   * for an origin without training decisions); the stay-put choice gets p and every other choice (1 − p)/(m − 1); a
   * decision whose only choice is staying gets 1 (one without a stay-put choice, 1/m). The +1/+2 keeps a cell seen only staying (or only moving) in
   * training from giving a validation decision probability 0.
   */
  public static Dataset<Row> stayPutRate(Dataset<Row> predictions) {
    Column stays = col(Cols.CELL).equalTo(col(Cols.ORIGIN_CELL));
    Dataset<Row> trainingDecisions =
        predictions
            .filter(col(Splits.SPLIT).equalTo(Splits.TRAIN))
            .groupBy(Cols.INDIVIDUAL, Cols.DECISION)
            .agg(
                max(col(Cols.ORIGIN_CELL)).as(Cols.ORIGIN_CELL),
                max(when(col(Cols.SELECTED).and(stays), 1).otherwise(0)).as("_stayed"));
    Row overall = trainingDecisions.agg(sum("_stayed"), count(lit(1))).first();
    double overallRate =
        ((overall.isNullAt(0) ? 0 : overall.getLong(0)) + 1.0) / (overall.getLong(1) + 2.0);
    Dataset<Row> perCell =
        trainingDecisions
            .groupBy(Cols.ORIGIN_CELL)
            .agg(sum("_stayed").plus(1).divide(count(lit(1)).plus(2)).as("_rate"));
    var decision = Window.partitionBy(Cols.INDIVIDUAL, Cols.DECISION);
    Column m = count(lit(1)).over(decision);
    Column hasStay = max(when(stays, 1).otherwise(0)).over(decision);
    Column p = coalesce(col("_rate"), lit(overallRate));
    return predictions
        .join(broadcast(perCell), predictions.col(Cols.ORIGIN_CELL).equalTo(perCell.col(Cols.ORIGIN_CELL)), "left")
        .drop(perCell.col(Cols.ORIGIN_CELL))
        .withColumn("_m", m)
        .withColumn("_has_stay", hasStay)
        .withColumn(
            Cols.PROBABILITY,
            when(col("_has_stay").equalTo(0), lit(1.0).divide(col("_m"))) // no stay-put choice: uniform
                .when(col("_m").equalTo(1), lit(1.0))
                .when(stays, p)
                .otherwise(lit(1.0).minus(p).divide(col("_m").minus(1))))
        .drop("_rate", "_m", "_has_stay");
  }
}
