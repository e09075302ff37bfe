package org.shoal.pipeline.expand;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.shoal.pipeline.geo.Geodesy;
import org.shoal.pipeline.h3.ChoiceTable;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.schema.Cols;

/**
 * Positions to the long decision/choice table. A decision is a position whose next step is present
 * (same segment); its choices are the origin's choice set, optionally only cells with covariates
 * that day. A decision whose next cell is not among its choices goes to {@code dropped} with the
 * reason, never silently away.
 */
public final class ExpandDecisions {
  public static final String BEYOND_RADIUS = "next cell beyond radius";
  public static final String NO_COVARIATES = "next cell has no covariates";

  private static final String HAS_COVARIATES = "_has_covariates";

  /** What to do with a choice whose cell has no covariate row that day (land, outside the data). */
  public enum MissingCovariates {
    /** Remove the choice (the original research's inner join), counted in the report. */
    DROP,
    /** Stop with an error naming the first such (cell, date). */
    FAIL;
  }

  /**
   * @param choices kept choices: individual, decision, choice, date, origin_cell, cell, next_cell,
   *     selected, distance_km, bearing_deg, the position's attributes and the covariates of {@code
   *     cell} that day
   * @param dropped one row per dropped decision: individual, decision, date, origin_cell,
   *     next_cell, distance_moved_km, reason
   * @param removedChoices choices of kept decisions removed for missing covariates
   * @param flagged every candidate choice with its decision's drop reason (cached: choices, dropped
   *     and removed choices are all read from it, so the per-decision windows run once)
   */
  public record Result(
      Dataset<Row> choices,
      Dataset<Row> dropped,
      Dataset<Row> removedChoices,
      Dataset<Row> flagged) {}

  private ExpandDecisions() {}

  public static Result apply(
      Dataset<Row> positions, Dataset<Row> covariates, double radiusKm, MissingCovariates missing) {
    WindowSpec byIndividual = Window.partitionBy(Cols.INDIVIDUAL).orderBy(Cols.STEP);
    Dataset<Row> decisions =
        positions
            .filter(col(Cols.NEXT_CELL).isNotNull())
            .withColumn(Cols.DECISION, row_number().over(byIndividual))
            .withColumnRenamed(Cols.CELL, Cols.ORIGIN_CELL)
            .drop(Cols.LATITUDE, Cols.LONGITUDE, Cols.NEXT_STEP, Cols.FIXES)
            .withColumn(
                Cols.DISTANCE_MOVED_KM, distanceKm(col(Cols.ORIGIN_CELL), col(Cols.NEXT_CELL)));

    Dataset<Row> choices = decisions.join(ChoiceTable.of(decisions, radiusKm), Cols.ORIGIN_CELL);
    if (covariates != null) {
      // A table without dates (a static layer such as bathymetry) joins by cell alone.
      boolean daily = java.util.Arrays.asList(covariates.columns()).contains(Cols.DATE);
      Column key = choices.col(Cols.CELL).equalTo(covariates.col(Cols.CELL));
      if (daily) {
        key = key.and(choices.col(Cols.DATE).equalTo(covariates.col(Cols.DATE)));
      }
      choices = choices.join(covariates.withColumn(HAS_COVARIATES, lit(true)), key, "left");
      choices = choices.drop(covariates.col(Cols.CELL));
      if (daily) {
        choices = choices.drop(covariates.col(Cols.DATE));
      }
    } else {
      choices = choices.withColumn(HAS_COVARIATES, lit(true));
    }
    Column hasCovariates = col(HAS_COVARIATES).isNotNull();
    if (missing == MissingCovariates.FAIL) {
      failOnMissing(choices, hasCovariates);
    }

    WindowSpec byDecision = Window.partitionBy(Cols.INDIVIDUAL, Cols.DECISION);
    Column isNext = col(Cols.CELL).equalTo(col(Cols.NEXT_CELL));
    Dataset<Row> flagged =
        choices
            .withColumn("_in_radius", max(isNext).over(byDecision))
            .withColumn("_next_has_cov", max(isNext.and(hasCovariates)).over(byDecision))
            .withColumn(
                Cols.REASON,
                when(col("_in_radius").unary_$bang(), lit(BEYOND_RADIUS))
                    .when(col("_next_has_cov").unary_$bang(), lit(NO_COVARIATES)))
            .persist(StorageLevel.MEMORY_AND_DISK());

    Dataset<Row> dropped =
        droppedDecisions(flagged.filter(col(Cols.REASON).isNotNull()), col(Cols.REASON));
    Dataset<Row> kept = flagged.filter(col(Cols.REASON).isNull());
    Dataset<Row> removed =
        kept.filter(hasCovariates.unary_$bang())
            .drop("_in_radius", "_next_has_cov", Cols.REASON, HAS_COVARIATES);
    Dataset<Row> out =
        kept.filter(hasCovariates)
            .drop("_in_radius", "_next_has_cov", Cols.REASON, HAS_COVARIATES)
            .withColumn(Cols.SELECTED, isNext)
            .withColumn(Cols.CHOICE, row_number().over(byDecision.orderBy(Cols.CELL)));
    return new Result(out, dropped, removed, flagged);
  }

  /** Geodesic km between two cells' centroids. */
  public static double distanceKm(String fromCell, String toCell) {
    return Geodesy.distanceKm(
        H3Cells.centroid(H3Cells.parse(fromCell)), H3Cells.centroid(H3Cells.parse(toCell)));
  }

  private static Column distanceKm(Column from, Column to) {
    return udf((UDF2<String, String, Double>) ExpandDecisions::distanceKm, DataTypes.DoubleType)
        .apply(from, to);
  }

  private static void failOnMissing(Dataset<Row> choices, Column hasCovariates) {
    java.util.List<Row> first =
        choices
            .filter(hasCovariates.unary_$bang())
            .select(Cols.CELL, Cols.DATE)
            .limit(1)
            .collectAsList();
    if (!first.isEmpty()) {
      throw new IllegalArgumentException(
          "no covariates for choice cell "
              + first.get(0).get(0)
              + " on "
              + first.get(0).get(1)
              + " (and maybe others); set expand.missing-covariates = drop to remove such choices");
    }
  }

  /**
   * One row per decision of {@code choices}, as the dropped table holds it, with {@code reason}.
   */
  static Dataset<Row> droppedDecisions(Dataset<Row> choices, Column reason) {
    return choices
        .select(
            col(Cols.INDIVIDUAL),
            col(Cols.DECISION),
            col(Cols.DATE),
            col(Cols.ORIGIN_CELL),
            col(Cols.NEXT_CELL),
            col(Cols.DISTANCE_MOVED_KM),
            reason.as(Cols.REASON))
        .distinct();
  }
}
