package org.shoal.pipeline.diffuse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.shoal.pipeline.features.ChoiceFeatures;
import org.shoal.pipeline.features.Normalisation;
import org.shoal.pipeline.h3.ChoiceTable;
import org.shoal.pipeline.model.Inference;
import org.shoal.pipeline.model.LogOddsScorer;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.util.JoinKeys;

/**
 * The daily transition table of a trained model: for every (origin cell, day) with covariates, the
 * probability of moving to each cell of its choice set that has covariates that day. It is built
 * with the same code as training data (choice table, features, normalisation, scorer, softmax),
 * with (origin cell, day) as the decision, so the model sees exactly the inputs it was trained on.
 */
public final class Transitions {

  private Transitions() {}

  /**
   * @param origins (cell, date) rows to start from, e.g. the covariates of a region and period
   * @param covariates (cell, date, variables...)
   * @param attributes fixed individual attributes (e.g. fork_length_cm) given to every decision
   * @return origin_cell, destination, date, day (days since {@code from}), probability
   */
  public static Dataset<Row> build(
      Dataset<Row> origins,
      Dataset<Row> covariates,
      LocalDate from,
      double radiusKm,
      Map<String, Double> attributes,
      Normalisation normalisation,
      LogOddsScorer scorer) {
    Dataset<Row> decisions =
        origins
            .select(col(Cols.CELL).as(Cols.ORIGIN_CELL), col(Cols.DATE))
            .distinct()
            .withColumn(Cols.DAY, datediff(col(Cols.DATE), lit(java.sql.Date.valueOf(from))))
            .withColumn(Cols.INDIVIDUAL, col(Cols.ORIGIN_CELL))
            .withColumn(Cols.DECISION, col(Cols.DAY));
    Dataset<Row> choices =
        decisions
            .join(ChoiceTable.of(decisions, radiusKm), Cols.ORIGIN_CELL)
            .join(covariates, JoinKeys.of(Cols.CELL, Cols.DATE))
            .withColumn(Cols.SELECTED, lit(false));
    for (Map.Entry<String, Double> a : attributes.entrySet()) {
      choices = choices.withColumn(a.getKey(), lit(a.getValue()));
    }
    choices = normalisation.apply(ChoiceFeatures.add(choices, radiusKm));
    Column[] out = {
      col(Cols.ORIGIN_CELL),
      col(Cols.CELL).as(Cols.DESTINATION),
      col(Cols.DATE),
      col(Cols.DAY),
      col(Cols.PROBABILITY)
    };
    return Inference.apply(choices, scorer, "transitions").select(out);
  }
}
