package org.shoal.pipeline.expand;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.shoal.pipeline.geo.Geodesy;
import org.shoal.pipeline.h3.ChoiceSets;
import org.shoal.pipeline.h3.ChoiceTable;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.util.JoinKeys;

/**
 * Positions to decisions, and kept decisions to the long decision/choice table. A decision is a
 * position whose next step is present (same segment). Whether it can be kept is decided on the
 * decision table, before any choice exists: its next cell must be in the origin's choice set and,
 * with covariates, have covariates that day. A dropped decision keeps its reason, never silently
 * away. The choices of a kept decision are the origin's choice set, optionally only cells with
 * covariates that day.
 */
public final class ExpandDecisions {
  public static final String BEYOND_RADIUS = "next cell beyond radius";
  public static final String NO_COVARIATES = "next cell has no covariates";

  /** A decision's number of candidate choices: the size of its origin's choice set. */
  public static final String CANDIDATES = "candidates";

  private static final String NEXT_HAS_COVARIATES = "_next_has_covariates";
  private static final String COVARIATE_CELL = "_covariate_cell";
  private static final String COVARIATE_DATE = "_covariate_date";

  /** The columns of the dropped-decisions table. */
  public static final List<String> DROPPED_COLUMNS =
      List.of(
          Cols.INDIVIDUAL,
          Cols.DECISION,
          Cols.DATE,
          Cols.ORIGIN_CELL,
          Cols.NEXT_CELL,
          Cols.DISTANCE_MOVED_KM,
          Cols.REASON);

  /** Choice sets per radius, per JVM: tracks revisit few origins, and every task asks again. */
  private static final Map<Double, ChoiceSets> SETS = new ConcurrentHashMap<>();

  /** What to do with a choice whose cell has no covariate row that day (land, outside the data). */
  public enum MissingCovariates {
    /** Remove the choice (the original research's inner join), counted in the report. */
    DROP,
    /** Stop with an error naming the first such (cell, date). */
    FAIL;
  }

  private ExpandDecisions() {}

  /**
   * One row per decision: the position's ids, date and attributes, {@code origin_cell}, {@code
   * next_cell}, {@code decision} (from 1 per individual in time order), {@code distance_moved_km},
   * {@code candidates} and {@code reason} (null for a decision that can be kept).
   */
  public static Dataset<Row> decisions(
      Dataset<Row> positions, Dataset<Row> covariates, double radiusKm, MissingCovariates missing) {
    Column origin = col(Cols.ORIGIN_CELL);
    Dataset<Row> decisions =
        positions
            .filter(col(Cols.NEXT_CELL).isNotNull())
            .withColumn(
                Cols.DECISION,
                row_number().over(Window.partitionBy(Cols.INDIVIDUAL).orderBy(Cols.STEP)))
            .withColumnRenamed(Cols.CELL, Cols.ORIGIN_CELL)
            .drop(Cols.LATITUDE, Cols.LONGITUDE, Cols.NEXT_STEP, Cols.FIXES)
            .withColumn(Cols.DISTANCE_MOVED_KM, distanceKm(origin, col(Cols.NEXT_CELL)))
            .withColumn(CANDIDATES, choiceSetSize(radiusKm).apply(origin));
    Column reason =
        when(
            inChoiceSet(radiusKm).apply(origin, col(Cols.NEXT_CELL)).unary_$bang(),
            lit(BEYOND_RADIUS));
    if (covariates != null) {
      // the (next cell, date) pairs that have covariates, each once
      List<Column> key = new ArrayList<>(List.of(col(Cols.CELL).as(Cols.NEXT_CELL)));
      if (isDaily(covariates)) {
        key.add(col(Cols.DATE));
      }
      Dataset<Row> covered =
          covariates
              .select(key.toArray(Column[]::new))
              .distinct()
              .withColumn(NEXT_HAS_COVARIATES, lit(true));
      List<String> on = List.of(covered.columns()).subList(0, key.size());
      decisions = decisions.join(covered, JoinKeys.of(on), "left");
      reason = reason.when(col(NEXT_HAS_COVARIATES).isNull(), lit(NO_COVARIATES));
      decisions = decisions.withColumn(Cols.REASON, reason).drop(NEXT_HAS_COVARIATES);
      if (missing == MissingCovariates.FAIL) {
        // a next cell without covariates is a choice without covariates
        failOnMissing(
            decisions
                .filter(col(Cols.REASON).equalTo(NO_COVARIATES))
                .select(col(Cols.NEXT_CELL).as(Cols.CELL), col(Cols.DATE)));
      }
    } else {
      decisions = decisions.withColumn(Cols.REASON, reason);
    }
    return decisions;
  }

  /** The kept decisions of a {@link #decisions} table. */
  public static Dataset<Row> kept(Dataset<Row> decisions) {
    return decisions.filter(col(Cols.REASON).isNull());
  }

  /** The dropped decisions of a {@link #decisions} table, with their reason. */
  public static Dataset<Row> dropped(Dataset<Row> decisions) {
    return decisions
        .filter(col(Cols.REASON).isNotNull())
        .select(DROPPED_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
  }

  /**
   * The choices of kept decisions: every column of {@code kept} but {@code candidates} and {@code
   * reason}, then cell, distance_km, bearing_deg, the covariates of {@code cell} that day and
   * {@code selected}; not yet {@link #numbered}.
   */
  public static Dataset<Row> choices(
      Dataset<Row> kept, Dataset<Row> covariates, double radiusKm, MissingCovariates missing) {
    Dataset<Row> decisions = kept.drop(CANDIDATES, Cols.REASON);
    Dataset<Row> choices = decisions.join(ChoiceTable.of(decisions, radiusKm), Cols.ORIGIN_CELL);
    if (covariates != null) {
      // A table without dates (a static layer such as bathymetry) joins by cell alone. Its keys
      // are renamed: the decisions were flagged from the same table, so its own columns would be
      // ambiguous here.
      boolean daily = isDaily(covariates);
      Dataset<Row> values = covariates.withColumnRenamed(Cols.CELL, COVARIATE_CELL);
      Column key = col(Cols.CELL).equalTo(col(COVARIATE_CELL));
      if (daily) {
        values = values.withColumnRenamed(Cols.DATE, COVARIATE_DATE);
        key = key.and(col(Cols.DATE).equalTo(col(COVARIATE_DATE)));
      }
      if (missing == MissingCovariates.FAIL) {
        failOnMissing(choices.join(values, key, "left_anti"));
      }
      // choices without covariates go: their number is the decisions' candidates less the rows
      choices = choices.join(values, key).drop(COVARIATE_CELL, COVARIATE_DATE);
    }
    return choices.withColumn(Cols.SELECTED, col(Cols.CELL).equalTo(col(Cols.NEXT_CELL)));
  }

  /**
   * Numbers each decision's choices from 1 in cell order ({@code choice}). Rows already
   * hash-partitioned by {@code clusteredBy} (columns that depend on the individual alone, such as
   * split and bucket) are numbered within their partitions, and leave sorted by {@code
   * clusteredBy}, individual, decision and choice: a write partitioned by {@code clusteredBy} needs
   * no sort of its own.
   */
  public static Dataset<Row> numbered(Dataset<Row> choices, List<String> clusteredBy) {
    List<Column> keys = new ArrayList<>();
    clusteredBy.forEach(c -> keys.add(col(c)));
    keys.add(col(Cols.INDIVIDUAL));
    keys.add(col(Cols.DECISION));
    return choices.withColumn(
        Cols.CHOICE,
        row_number().over(Window.partitionBy(keys.toArray(Column[]::new)).orderBy(Cols.CELL)));
  }

  /** Geodesic km between two cells' centroids. */
  public static double distanceKm(String fromCell, String toCell) {
    return Geodesy.distanceKm(
        H3Cells.centroid(H3Cells.parse(fromCell)), H3Cells.centroid(H3Cells.parse(toCell)));
  }

  private static boolean isDaily(Dataset<Row> covariates) {
    return List.of(covariates.columns()).contains(Cols.DATE);
  }

  private static ChoiceSets sets(double radiusKm) {
    return SETS.computeIfAbsent(radiusKm, ChoiceSets::new);
  }

  private static Column distanceKm(Column from, Column to) {
    return udf((UDF2<String, String, Double>) ExpandDecisions::distanceKm, DataTypes.DoubleType)
        .apply(from, to);
  }

  private static UserDefinedFunction inChoiceSet(double radiusKm) {
    return udf(
        (UDF2<String, String, Boolean>)
            (from, to) -> sets(radiusKm).of(H3Cells.parse(from)).contains(H3Cells.parse(to)),
        DataTypes.BooleanType);
  }

  private static UserDefinedFunction choiceSetSize(double radiusKm) {
    return udf(
        (UDF1<String, Integer>) from -> sets(radiusKm).of(H3Cells.parse(from)).size(),
        DataTypes.IntegerType);
  }

  private static void failOnMissing(Dataset<Row> uncovered) {
    List<Row> first = uncovered.select(Cols.CELL, Cols.DATE).limit(1).collectAsList();
    if (!first.isEmpty()) {
      throw new IllegalArgumentException(
          "no covariates for choice cell "
              + first.get(0).get(0)
              + " on "
              + first.get(0).get(1)
              + " (and maybe others); set expand.missing-covariates = drop to remove such choices");
    }
  }
}
