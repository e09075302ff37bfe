package org.shoal.pipeline.contrast;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.util.Draws;
import org.shoal.pipeline.util.JoinKeys;

/**
 * Balanced training sets from the decision/choice table.
 *
 * <p>{@link Mode#PAIRS} is the original contrast sampling: each individual contributes exactly N
 * decision draws (with replacement, from its decisions that have an unselected choice), and each
 * draw pairs its selected choice with A unselected choices drawn with replacement; each pair is a
 * two-choice decision. Unlike the original, a decision drawn k times gets fresh alternatives each
 * time. {@link Mode#DECISIONS} keeps whole decisions (all their choices), N draws per individual,
 * or every decision once when N is 0.
 *
 * <p>Output rows keep every input column; {@code decision} and {@code choice} are renumbered (pair
 * or draw from 1 per individual; in a pair the selected choice is 1) and the originals are kept in
 * {@code source_decision} and {@code source_choice}. Draws come from {@link Draws}, so a seed gives
 * the same rows on any cluster.
 */
public final class SampleContrasts {
  private static final String RANK = "_rank";
  private static final String ALTERNATIVES = "_alternatives";
  private static final String DECISIONS = "_decisions";
  private static final String SLOT = "_slot";

  public enum Mode {
    PAIRS,
    DECISIONS;
  }

  public record Params(
      Mode mode, int decisionsPerIndividual, int alternativesPerDecision, long seed)
      implements Serializable {
    public Params {
      if (decisionsPerIndividual < 0 || (mode == Mode.PAIRS && decisionsPerIndividual < 1)) {
        throw new IllegalArgumentException(
            "decisions per individual must be >= 1 for pairs (>= 0 for decisions), got "
                + decisionsPerIndividual);
      }
      if (mode == Mode.PAIRS && alternativesPerDecision < 1) {
        throw new IllegalArgumentException(
            "alternatives per decision must be >= 1, got " + alternativesPerDecision);
      }
    }
  }

  /**
   * @param rows the sampled table
   * @param skipped decisions that could not be drawn (no unselected choice, or no selected one):
   *     individual, decision, reason
   */
  public record Result(Dataset<Row> rows, Dataset<Row> skipped) {}

  public static final String NO_ALTERNATIVE = "no unselected choice";
  public static final String NO_SELECTED = "no selected choice";

  private SampleContrasts() {}

  public static Result apply(Dataset<Row> choices, Params p) {
    Column key = col(Cols.INDIVIDUAL);
    // Per decision: number of unselected choices and whether one is selected.
    Dataset<Row> perDecision =
        choices
            .groupBy(Cols.INDIVIDUAL, Cols.DECISION)
            .agg(
                count(when(col(Cols.SELECTED).unary_$bang(), 1)).as(ALTERNATIVES),
                count(when(col(Cols.SELECTED), 1)).as("_selected"));
    Column usable =
        col("_selected")
            .equalTo(1)
            .and(p.mode() == Mode.PAIRS ? col(ALTERNATIVES).gt(0) : lit(true));
    Dataset<Row> skipped =
        perDecision
            .filter(usable.unary_$bang())
            .withColumn(
                "reason",
                when(col("_selected").notEqual(1), lit(NO_SELECTED)).otherwise(lit(NO_ALTERNATIVE)))
            .select(Cols.INDIVIDUAL, Cols.DECISION, "reason");
    Dataset<Row> pool =
        perDecision
            .filter(usable)
            .withColumn(
                RANK, row_number().over(Window.partitionBy(key).orderBy(Cols.DECISION)).minus(1))
            .withColumn(DECISIONS, count(lit(1)).over(Window.partitionBy(key)))
            .select(Cols.INDIVIDUAL, Cols.DECISION, RANK, DECISIONS, ALTERNATIVES);

    // The decision draws: (individual, draw, decision); draw counts from 1.
    Dataset<Row> draws =
        pool.filter(col(RANK).equalTo(0))
            .select(Cols.INDIVIDUAL, DECISIONS)
            .flatMap(
                (FlatMapFunction<Row, Row>) r -> drawDecisions(p, r), Encoders.row(DRAW_SCHEMA))
            .join(pool, JoinKeys.of(Cols.INDIVIDUAL, RANK))
            .select(Cols.INDIVIDUAL, Cols.DRAW, Cols.DECISION, ALTERNATIVES);

    Dataset<Row> renamed =
        choices
            .withColumnRenamed(Cols.DECISION, Cols.SOURCE_DECISION)
            .withColumnRenamed(Cols.CHOICE, Cols.SOURCE_CHOICE);
    List<Column> out = new ArrayList<>();
    for (String c : choices.columns()) {
      out.add(
          c.equals(Cols.DECISION)
              ? col(Cols.DECISION)
              : c.equals(Cols.CHOICE) ? col(Cols.CHOICE) : col("`" + c + "`"));
    }
    out.add(col(Cols.SOURCE_DECISION));
    out.add(col(Cols.SOURCE_CHOICE));
    out.add(col(Cols.DRAW));
    Column[] outCols = out.toArray(Column[]::new);

    if (p.mode() == Mode.DECISIONS) {
      Dataset<Row> rows =
          draws
              .withColumnRenamed(Cols.DECISION, Cols.SOURCE_DECISION)
              .join(renamed, JoinKeys.of(Cols.INDIVIDUAL, Cols.SOURCE_DECISION))
              .withColumn(Cols.DECISION, col(Cols.DRAW))
              .withColumn(Cols.CHOICE, col(Cols.SOURCE_CHOICE));
      return new Result(rows.select(outCols), skipped);
    }

    // The alternative draws: (individual, draw, slot, rank among the decision's unselected
    // choices).
    Dataset<Row> slots =
        draws.flatMap(
            (FlatMapFunction<Row, Row>) r -> drawAlternatives(p, r), Encoders.row(SLOT_SCHEMA));
    Dataset<Row> unselected =
        renamed
            .filter(col(Cols.SELECTED).unary_$bang())
            .withColumn(
                RANK,
                row_number()
                    .over(
                        Window.partitionBy(Cols.INDIVIDUAL, Cols.SOURCE_DECISION)
                            .orderBy(Cols.SOURCE_CHOICE))
                    .minus(1));
    Column pairId =
        col(Cols.DRAW).minus(1).multiply(p.alternativesPerDecision()).plus(col(SLOT)).plus(1);
    Dataset<Row> alternatives =
        slots
            .join(unselected, JoinKeys.of(Cols.INDIVIDUAL, Cols.SOURCE_DECISION, RANK))
            .withColumn(Cols.DECISION, pairId)
            .withColumn(Cols.CHOICE, lit(2));
    Dataset<Row> selected =
        slots
            .select(Cols.INDIVIDUAL, Cols.SOURCE_DECISION, Cols.DRAW, SLOT)
            .join(
                renamed.filter(col(Cols.SELECTED)),
                JoinKeys.of(Cols.INDIVIDUAL, Cols.SOURCE_DECISION))
            .withColumn(Cols.DECISION, pairId)
            .withColumn(Cols.CHOICE, lit(1));
    return new Result(selected.select(outCols).unionByName(alternatives.select(outCols)), skipped);
  }

  private static final StructType DRAW_SCHEMA =
      new StructType()
          .add(Cols.INDIVIDUAL, DataTypes.StringType, false)
          .add(Cols.DRAW, DataTypes.IntegerType, false)
          .add(RANK, DataTypes.IntegerType, false);

  private static final StructType SLOT_SCHEMA =
      new StructType()
          .add(Cols.INDIVIDUAL, DataTypes.StringType, false)
          .add(Cols.SOURCE_DECISION, DataTypes.IntegerType, false)
          .add(Cols.DRAW, DataTypes.IntegerType, false)
          .add(SLOT, DataTypes.IntegerType, false)
          .add(RANK, DataTypes.IntegerType, false);

  /** N decision draws per individual (or every decision once when N = 0). */
  private static Iterator<Row> drawDecisions(Params p, Row r) {
    String individual = r.getString(0);
    int decisions = (int) r.getLong(1);
    List<Row> out = new ArrayList<>();
    if (p.decisionsPerIndividual() == 0) {
      for (int d = 0; d < decisions; d++) {
        out.add(RowFactory.create(individual, d + 1, d));
      }
    } else {
      for (int k = 0; k < p.decisionsPerIndividual(); k++) {
        out.add(
            RowFactory.create(
                individual, k + 1, Draws.index(decisions, p.seed(), individual, 1, k, 0)));
      }
    }
    return out.iterator();
  }

  /** A fresh set of alternative draws for every decision draw. */
  private static Iterator<Row> drawAlternatives(Params p, Row r) {
    String individual = r.getString(0);
    int draw = r.getInt(1);
    int decision = ((Number) r.get(2)).intValue();
    int alternatives = (int) r.getLong(3);
    List<Row> out = new ArrayList<>(p.alternativesPerDecision());
    for (int a = 0; a < p.alternativesPerDecision(); a++) {
      out.add(
          RowFactory.create(
              individual,
              decision,
              draw,
              a,
              Draws.index(alternatives, p.seed(), individual, 2, draw, a)));
    }
    return out.iterator();
  }
}
