package org.shoal.pipeline.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.shoal.pipeline.model.ConditionalLogit;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Split;

/**
 * Baselines fitted on the training split and evaluated like any model, so a trained model is never
 * only compared with choosing at random.
 */
public final class Baselines {
  private static final String DISTANCE_KM = org.shoal.pipeline.h3.ChoiceTable.DISTANCE_KM;
  public static final String STAY_PUT_RATE = "stay-put rate";
  public static final String DISTANCE = "distance logit";

  /**
   * The distance baseline's inputs: distance in units of 100 km, its square, and staying put (0/1).
   */
  public static final List<String> DISTANCE_FEATURES =
      List.of("_distance", "_distance_sq", "_stay_put");

  /** Training decisions the distance logit is fitted on at most (a seeded sample beyond). */
  public static final long DISTANCE_MAX_DECISIONS = 50_000;

  /**
   * Their choice rows at most: the rows are collected to the driver, and fine cells or wide radii
   * give hundreds of choices per decision (220 MB of collected rows at this cap, measured).
   */
  public static final long DISTANCE_MAX_CHOICES = 1_000_000;

  private Baselines() {}

  /**
   * Whether the predictions have what the stay-put-rate baseline needs (an imported table has no
   * cells).
   */
  public static boolean canStayPut(Dataset<Row> predictions) {
    java.util.List<String> names = java.util.Arrays.asList(predictions.columns());
    return names.containsAll(java.util.List.of(Cols.CELL, Cols.ORIGIN_CELL, Cols.SPLIT));
  }

  /**
   * Whether the predictions have what the distance baseline needs (distance, cells and a split).
   */
  public static boolean canDistance(Dataset<Row> predictions) {
    return canStayPut(predictions)
        && java.util.Arrays.asList(predictions.columns()).contains(DISTANCE_KM);
  }

  /**
   * The distance baseline: an exact conditional logit on distance, distance² and staying put,
   * fitted on the training decisions (null when there are none). Beyond {@code maxDecisions}
   * training decisions or {@code maxChoices} of their choice rows it is fitted on a seeded sample
   * of decisions within both (by a hash of individual and decision): three coefficients need no
   * more. Those decisions are collected and fitted on the driver, where each Newton step is a loop
   * over them instead of a Spark job. Their arrays take a few megabytes (50 000 decisions of about
   * 20 choices and 3 features); the rows collected to build them, one per choice, are larger and
   * held only while they are grouped.
   */
  public static ConditionalLogit.Fit fitDistance(
      Dataset<Row> predictions, long maxDecisions, long maxChoices) {
    Dataset<Row> train = predictions.filter(Split.TRAIN.rows());
    Row counts = train.agg(count(when(col(Cols.SELECTED), 1)), count(lit(1))).first();
    long decisions = counts.getLong(0);
    long choices = counts.getLong(1);
    if (decisions == 0) {
      return null;
    }
    if (decisions > maxDecisions || choices > maxChoices) {
      double share = Math.min((double) maxDecisions / decisions, (double) maxChoices / choices);
      Column u =
          pmod(
                  xxhash64(col(Cols.INDIVIDUAL), col(Cols.DECISION), lit(SAMPLE_SEED)),
                  lit(1_000_000L))
              .divide(1e6);
      train = train.filter(u.lt(share));
    }
    return ConditionalLogit.fitInMemory(
        ConditionalLogit.collectDecisions(withDistanceFeatures(train), DISTANCE_FEATURES),
        DISTANCE_FEATURES,
        1e-6,
        200);
  }

  private static final long SAMPLE_SEED = 42;

  /** The fitted distance logit as a model: its log-odds for every choice. */
  public static DecisionTable.LogOdds distance(ConditionalLogit.Fit fit) {
    List<Column> x = distanceFeatures();
    Column phi = lit(0.0);
    for (int k = 0; k < x.size(); k++) {
      phi = phi.plus(x.get(k).multiply(lit(fit.estimates()[k])));
    }
    return new DecisionTable.LogOdds(DISTANCE, phi);
  }

  /** {@link #DISTANCE_FEATURES} as expressions over a choice table. */
  private static List<Column> distanceFeatures() {
    Column d = col(DISTANCE_KM).divide(100.0);
    return List.of(
        d, d.multiply(d), when(col(Cols.CELL).equalTo(col(Cols.ORIGIN_CELL)), 1.0).otherwise(0.0));
  }

  private static Dataset<Row> withDistanceFeatures(Dataset<Row> choices) {
    List<Column> x = distanceFeatures();
    for (int k = 0; k < x.size(); k++) {
      choices = choices.withColumn(DISTANCE_FEATURES.get(k), x.get(k));
    }
    return choices;
  }

  /**
   * The stay-put-rate baseline: p = (stays + 1) / (decisions + 2) over the training decisions from
   * the same origin cell (the overall training share, smoothed the same way, for an origin without
   * training decisions); the stay-put choice gets p and every other choice (1 − p)/(m − 1) (see
   * {@link DecisionTable.StayPutRate}). The +1/+2 keeps a cell seen only staying (or only moving)
   * in training from giving a validation decision probability 0.
   */
  public static DecisionTable.StayPutRate stayPutRate(Dataset<Row> predictions) {
    Column stays = col(Cols.CELL).equalTo(col(Cols.ORIGIN_CELL));
    List<Row> perOrigin =
        predictions
            .filter(Split.TRAIN.rows().and(col(Cols.SELECTED)))
            .groupBy(col(Cols.ORIGIN_CELL).cast("string"))
            .agg(sum(when(stays, 1).otherwise(0)), count(lit(1)))
            .collectAsList();
    Map<String, Double> rates = new HashMap<>();
    long stayed = 0;
    long decisions = 0;
    for (Row r : perOrigin) {
      rates.put(r.getString(0), (r.getLong(1) + 1.0) / (r.getLong(2) + 2.0));
      stayed += r.getLong(1);
      decisions += r.getLong(2);
    }
    return new DecisionTable.StayPutRate(STAY_PUT_RATE, rates, (stayed + 1.0) / (decisions + 2.0));
  }
}
