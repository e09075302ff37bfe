package org.shoal.pipeline.expand;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.grouping;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.util.Concurrently;

/**
 * Where every input row went. The books balance: fixes in = rejected + kept in positions (as {@code
 * fixes}); positions = decisions considered + segment ends; decisions considered = kept + dropped;
 * the decisions in the choice table as written = kept. A kept decision's choices are its candidates
 * (its origin's choice set) less those removed for missing covariates.
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
    long decisionsKept,
    long decisions,
    long choiceRows,
    long choicesRemovedWithoutCovariates,
    int minChoices,
    int medianChoices,
    int maxChoices,
    double stayPutRate,
    Map<String, Long> individualsBySplit,
    Map<String, Long> individualsWithDecisionsBySplit,
    Map<String, Long> decisionsBySplit,
    Map<Integer, Long> choicesPerDecision) {

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
        && decisionsConsidered == decisionsKept + decisionsDroppedTotal()
        && decisions == decisionsKept;
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
    // Eight independent small actions: on a small input their fixed costs overlap.
    try (Concurrently actions = new Concurrently()) {
      Concurrently.Result<Long> fixesIn = actions.submit(() -> out.fixesIn().count());
      Concurrently.Result<Map<String, Long>> rejected =
          actions.submit(() -> countBy(out.rejected(), Cols.REASON));
      Concurrently.Result<Row> positionCounts = actions.submit(() -> positionCounts(out));
      Concurrently.Result<List<Row>> droppedRows =
          actions.submit(
              () ->
                  out.dropped()
                      .groupBy(Cols.REASON)
                      .agg(count(lit(1)), max(Cols.DISTANCE_MOVED_KM))
                      .collectAsList());
      Concurrently.Result<List<Row>> keptRows = actions.submit(() -> keptBySplit(out));
      Concurrently.Result<NavigableMap<Integer, Long>> choicesPerDecision =
          actions.submit(() -> choicesPerDecision(choices));
      Concurrently.Result<Map<String, Long>> individualsBySplit =
          actions.submit(() -> countBy(out.splits(), Cols.SPLIT));
      Concurrently.Result<Long> simultaneous = actions.submit(() -> out.simultaneous().count());

      Row pos = positionCounts.get();
      long positions = pos.getLong(0);
      long fixesInPositions = orZero(pos, 1);
      // one pass over the dropped decisions: counts by reason and the largest move
      Map<String, Long> dropped = new TreeMap<>();
      Double largestMove = null;
      for (Row r : droppedRows.get()) {
        dropped.put(String.valueOf(r.get(0)), r.getLong(1));
        if (!r.isNullAt(2)) {
          largestMove =
              largestMove == null ? r.getDouble(2) : Math.max(largestMove, r.getDouble(2));
        }
      }
      Row all = null;
      Map<String, Long> individualsWithDecisions = new TreeMap<>();
      Map<String, Long> decisionsBySplit = new TreeMap<>();
      for (Row r : keptRows.get()) {
        if (r.<Byte>getAs("allSplits") == 1) {
          all = r;
        } else {
          String split = r.getAs(Cols.SPLIT);
          individualsWithDecisions.put(split, r.getAs("individuals"));
          decisionsBySplit.put(split, r.getAs("decisions"));
        }
      }
      long kept = all == null ? 0 : all.<Long>getAs("decisions");
      NavigableMap<Integer, Long> perDecision = choicesPerDecision.get();
      Histogram written = Histogram.of(perDecision);
      return new ExpandReport(
          fixesIn.get(),
          rejected.get(),
          fixesInPositions - positions,
          simultaneous.get(),
          positions,
          pos.getLong(2),
          pos.getLong(3),
          orZero(pos, 4),
          positions - orZero(pos, 4),
          dropped,
          largestMove,
          kept,
          written.decisions(),
          written.rows(),
          kept == 0 ? 0 : all.<Long>getAs("candidates") - written.rows(),
          written.min(),
          written.median(),
          written.max(),
          kept == 0 ? Double.NaN : all.<Long>getAs("stayed") / (double) kept,
          individualsBySplit.get(),
          individualsWithDecisions,
          decisionsBySplit,
          perDecision);
    }
  }

  /** Positions, the fixes in them, individuals, segments, and positions without a next cell. */
  private static Row positionCounts(Expansion.Output out) {
    return out.positions()
        .agg(
            count(lit(1)),
            sum(Cols.FIXES),
            countDistinct(col(Cols.INDIVIDUAL)),
            countDistinct(col(Cols.INDIVIDUAL), col(Cols.SEGMENT)),
            sum(when(col(Cols.NEXT_CELL).isNull(), 1).otherwise(0)))
        .first();
  }

  /**
   * The kept decisions, per split and (grouping(split) = 1) all together, from the decision table.
   */
  private static List<Row> keptBySplit(Expansion.Output out) {
    return ExpandDecisions.kept(out.decisions())
        .rollup(Cols.SPLIT)
        .agg(
            count(lit(1)).as("decisions"),
            sum(ExpandDecisions.CANDIDATES).as("candidates"),
            sum(when(col(Cols.NEXT_CELL).equalTo(col(Cols.ORIGIN_CELL)), 1).otherwise(0))
                .as("stayed"),
            countDistinct(col(Cols.INDIVIDUAL)).as("individuals"),
            grouping(Cols.SPLIT).as("allSplits"))
        .collectAsList();
  }

  /** The choices per decision as written: how many decisions have n choices. */
  private static NavigableMap<Integer, Long> choicesPerDecision(Dataset<Row> choices) {
    NavigableMap<Integer, Long> perDecision = new TreeMap<>();
    for (Row r :
        choices
            .groupBy(Cols.INDIVIDUAL, Cols.DECISION)
            .agg(count(lit(1)).cast("int").as("n"))
            .groupBy("n")
            .count()
            .collectAsList()) {
      perDecision.put(r.getInt(0), r.getLong(1));
    }
    return perDecision;
  }

  /** Decisions, rows, and the min, median and max of a histogram of choices per decision. */
  record Histogram(long decisions, long rows, int min, int median, int max) {
    static Histogram of(NavigableMap<Integer, Long> decisionsWithN) {
      long decisions = 0;
      long rows = 0;
      for (Map.Entry<Integer, Long> e : decisionsWithN.entrySet()) {
        decisions += e.getValue();
        rows += e.getKey() * e.getValue();
      }
      if (decisions == 0) {
        return new Histogram(0, 0, 0, 0, 0);
      }
      // the lower median: the smallest n with at least half the decisions at or below it
      int median = 0;
      long seen = 0;
      for (Map.Entry<Integer, Long> e : decisionsWithN.entrySet()) {
        seen += e.getValue();
        if (2 * seen >= decisions) {
          median = e.getKey();
          break;
        }
      }
      return new Histogram(
          decisions, rows, decisionsWithN.firstKey(), median, decisionsWithN.lastKey());
    }
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
