package org.shoal.pipeline.expand;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.grouping;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.shoal.pipeline.schema.Cols;

/**
 * Where every input row went. The books balance: fixes in = rejected + kept in positions (as {@code
 * fixes}); positions = decisions considered + segment ends; decisions considered = kept + dropped.
 */
public record ExpandReport(
    long fixesIn,
    Map<String, Long> fixesRejected,
    long fixesMergedIntoPositions,
    long fixesSimultaneous,
    long positions,
    long individuals,
    long segments,
    long segmentEnds,
    long decisionsConsidered,
    Map<String, Long> decisionsDropped,
    Double largestDroppedMoveKm,
    long decisions,
    long choiceRows,
    long choicesRemovedWithoutCovariates,
    int minChoices,
    int medianChoices,
    int maxChoices,
    double stayPutRate,
    Map<String, Long> individualsBySplit,
    Map<String, Long> individualsWithDecisionsBySplit,
    Map<String, Long> decisionsBySplit) {

  public long fixesRejectedTotal() {
    return fixesRejected.values().stream().mapToLong(Long::longValue).sum();
  }

  public long decisionsDroppedTotal() {
    return decisionsDropped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** True when every row is accounted for. */
  public boolean balances() {
    return fixesIn == fixesRejectedTotal() + fixesMergedIntoPositions + positions
        && positions == decisionsConsidered + segmentEnds
        && decisionsConsidered == decisions + decisionsDroppedTotal();
  }

  /** Why there are no decisions, in one sentence; null when there are some. */
  public String noDecisionsReason() {
    if (decisions > 0) {
      return null;
    }
    if (fixesIn == 0) {
      return "the tracks have no rows";
    }
    if (positions == 0) {
      return "every fix was rejected (" + fixesRejected + ")";
    }
    if (decisionsConsidered == 0) {
      return individuals == 1 && positions == 1
          ? "the only individual has a single position"
          : "no individual has two positions one step apart ("
              + positions
              + " positions in "
              + segments
              + " segments of "
              + individuals
              + " individuals)";
    }
    return "every decision was dropped (" + decisionsDropped + ")";
  }

  public static ExpandReport of(Expansion.Output out) {
    return of(out, out.choices());
  }

  /**
   * As {@link #of(Expansion.Output)}, with the choices counted from {@code choices}: the table as
   * written (a narrow column scan of the Parquet instead of the expansion again).
   */
  public static ExpandReport of(Expansion.Output out, Dataset<Row> choices) {
    long fixesIn = out.fixesIn().count();
    Map<String, Long> rejected = countBy(out.rejected(), Cols.REASON);
    Row pos =
        out.positions()
            .agg(
                count(lit(1)),
                sum(Cols.FIXES),
                countDistinct(col(Cols.INDIVIDUAL)),
                countDistinct(col(Cols.INDIVIDUAL), col(Cols.SEGMENT)),
                sum(when(col(Cols.NEXT_CELL).isNull(), 1).otherwise(0)))
            .first();
    long positions = pos.getLong(0);
    long fixesInPositions = orZero(pos, 1);
    // one pass over the dropped decisions: counts by reason and the largest move
    Map<String, Long> dropped = new TreeMap<>();
    Double largestMove = null;
    for (Row r :
        out.dropped()
            .groupBy(Cols.REASON)
            .agg(count(lit(1)), max(Cols.DISTANCE_MOVED_KM))
            .collectAsList()) {
      dropped.put(String.valueOf(r.get(0)), r.getLong(1));
      if (!r.isNullAt(2)) {
        largestMove = largestMove == null ? r.getDouble(2) : Math.max(largestMove, r.getDouble(2));
      }
    }

    Dataset<Row> perDecision =
        choices
            .groupBy(Cols.INDIVIDUAL, Cols.DECISION, Cols.SPLIT)
            .agg(
                count(lit(1)).as("n"),
                max(when(col(Cols.SELECTED), col(Cols.CELL).equalTo(col(Cols.ORIGIN_CELL))))
                    .as("stayed"));
    // one pass: a row per split and (grouping(split) = 1) the row for all decisions, absent when
    // there are none
    Row all = null;
    Map<String, Long> individualsWithDecisions = new TreeMap<>();
    Map<String, Long> decisionsBySplit = new TreeMap<>();
    for (Row r :
        perDecision
            .rollup(Cols.SPLIT)
            .agg(
                count(lit(1)).as("decisions"),
                sum("n").as("choiceRows"),
                min("n").as("minChoices"),
                percentile_approx(col("n"), lit(0.5), lit(10_000)).as("medianChoices"),
                max("n").as("maxChoices"),
                sum(when(col("stayed"), 1).otherwise(0)).as("stayed"),
                countDistinct(col(Cols.INDIVIDUAL)).as("individuals"),
                grouping(Cols.SPLIT).as("allSplits"))
            .collectAsList()) {
      if (r.<Byte>getAs("allSplits") == 1) {
        all = r;
      } else {
        String split = r.getAs(Cols.SPLIT);
        individualsWithDecisions.put(split, r.getAs("individuals"));
        decisionsBySplit.put(split, r.getAs("decisions"));
      }
    }
    long decisions = all == null ? 0 : all.<Long>getAs("decisions");
    Map<String, Long> individualsBySplit = new TreeMap<>();
    for (Row r : out.splits().groupBy(Cols.SPLIT).count().collectAsList()) {
      individualsBySplit.put(String.valueOf(r.get(0)), r.getLong(1));
    }
    ExpandReport report =
        new ExpandReport(
            fixesIn,
            rejected,
            fixesInPositions - positions,
            out.simultaneous().count(),
            positions,
            pos.getLong(2),
            pos.getLong(3),
            orZero(pos, 4),
            positions - orZero(pos, 4),
            dropped,
            largestMove,
            decisions,
            decisions == 0 ? 0 : all.<Long>getAs("choiceRows"),
            out.removedChoices().count(),
            decisions == 0 ? 0 : all.<Long>getAs("minChoices").intValue(),
            decisions == 0 ? 0 : all.<Long>getAs("medianChoices").intValue(),
            decisions == 0 ? 0 : all.<Long>getAs("maxChoices").intValue(),
            decisions == 0 ? Double.NaN : all.<Long>getAs("stayed") / (double) decisions,
            individualsBySplit,
            individualsWithDecisions,
            decisionsBySplit);
    return report;
  }

  /** A sum over no rows is null: zero here. */
  private static long orZero(Row r, int i) {
    return r.isNullAt(i) ? 0 : r.getLong(i);
  }

  private static Map<String, Long> countBy(Dataset<Row> rows, String column) {
    Map<String, Long> out = new TreeMap<>();
    List<Row> counts = rows.groupBy(column).count().collectAsList();
    for (Row r : counts) {
      out.put(String.valueOf(r.get(0)), r.getLong(1));
    }
    return new LinkedHashMap<>(out);
  }
}
