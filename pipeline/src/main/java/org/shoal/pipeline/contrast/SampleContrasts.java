package org.shoal.pipeline.contrast;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.util.Draws;
import org.shoal.pipeline.util.InternalRows;
import org.shoal.pipeline.util.SparkOrder;

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
 *
 * <p>The input is read once: its rows meet per individual, sorted by decision and choice, and each
 * decision, as it streams past, emits the draws that picked it. Only one decision is held at a
 * time; how many usable decisions each individual has (which the draws need first) comes from a
 * narrow aggregate of the same input.
 */
public final class SampleContrasts {
  private static final String USABLE = "_usable_decisions";

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
  public record Result(Dataset<Row> rows, Dataset<Row> skipped, LongAccumulator misordered) {
    /**
     * After the rows were computed: whether every individual's rows reached the sampler whole and
     * in order (always so when {@code apply} sorted them; to be checked when it was told they were
     * sorted). When not, the sample is wrong and must be drawn again with the sort.
     */
    public boolean wholeIndividuals() {
      return misordered.value() == 0;
    }
  }

  public static final String NO_ALTERNATIVE = "no unselected choice";
  public static final String NO_SELECTED = "no selected choice";

  private SampleContrasts() {}

  /** As {@link #apply(Dataset, Params, Column...)}, the rows hash-partitioned by individual. */
  public static Result apply(Dataset<Row> choices, Params p) {
    return apply(choices, p, col(Cols.INDIVIDUAL));
  }

  /**
   * @param clusterBy columns whose values are a function of the individual (the individual itself,
   *     or the split and bucket a choice table is laid out by): the sampled rows leave
   *     hash-partitioned by them, unsorted, so a writer laying files out by the same columns need
   *     not shuffle them again
   */
  public static Result apply(Dataset<Row> choices, Params p, Column... clusterBy) {
    return apply(choices, p, false, clusterBy);
  }

  /**
   * As {@link #apply(Dataset, Params, Column...)}; {@code sorted}: the choices' partitions already
   * hold whole individuals sorted by individual, decision and choice (a choice table shoal wrote,
   * read one whole file per partition), so they stream into the sampler as they are, without a
   * shuffle or a sort, and the sample leaves partitioned as the files were. Whether they held to
   * that is known once the rows were computed: {@link Result#wholeIndividuals()}.
   */
  public static Result apply(Dataset<Row> choices, Params p, boolean sorted, Column... clusterBy) {
    Dataset<Row> perDecision =
        choices
            .groupBy(Cols.INDIVIDUAL, Cols.DECISION)
            .agg(
                count(when(col(Cols.SELECTED).unary_$bang(), 1)).as("_alternatives"),
                count(when(col(Cols.SELECTED), 1)).as("_selected"));
    Column usable =
        col("_selected")
            .equalTo(1)
            .and(p.mode() == Mode.PAIRS ? col("_alternatives").gt(0) : lit(true));
    Dataset<Row> skipped =
        perDecision
            .filter(usable.unary_$bang())
            .withColumn(
                "reason",
                when(col("_selected").notEqual(1), lit(NO_SELECTED)).otherwise(lit(NO_ALTERNATIVE)))
            .select(Cols.INDIVIDUAL, Cols.DECISION, "reason");
    Dataset<Row> usablePerIndividual =
        perDecision.filter(usable).groupBy(Cols.INDIVIDUAL).agg(count(lit(1)).as(USABLE));

    // The broadcast join streams the choices in their order.
    Dataset<Row> streamed = choices.join(broadcast(usablePerIndividual), Cols.INDIVIDUAL);
    if (!sorted) {
      streamed =
          streamed
              .repartition(clusterBy)
              .sortWithinPartitions(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE);
    }
    LongAccumulator misordered =
        choices.sparkSession().sparkContext().longAccumulator("contrasts misordered individuals");
    Sampler sampler = new Sampler(p, streamed.schema(), choices.schema(), misordered);
    return new Result(
        InternalRows.frame(
            choices, InternalRows.of(streamed).mapPartitions(sampler), sampler.outputSchema()),
        skipped,
        misordered);
  }

  /**
   * Streams an individual's sorted rows into its draws. Per individual: draw k (from 0) picks the
   * usable decision of rank {@code Draws.index(n, seed, individual, 1, k, 0)} among its n usable
   * ones by decision id, and its alternative a picks the unselected choice of rank {@code
   * Draws.index(m, seed, individual, 2, k + 1, a)} among the decision's m by choice id. Works on
   * Spark's internal rows: converting every row to a {@link Row} and back cost more than drawing.
   */
  private static final class Sampler
      implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private final Params p;
    private final int individual;
    private final int decision;
    private final int choice;
    private final int selected;
    private final int usable;

    /** For each output column but the last three, the input column it copies. */
    private final int[] carried;

    private final int decisionOut;
    private final int choiceOut;
    private final StructType output;
    private final DataType[] types;

    /** Counts individuals whose rows came split or out of order. */
    private final LongAccumulator misordered;

    Sampler(Params p, StructType streamed, StructType input, LongAccumulator misordered) {
      this.p = p;
      this.misordered = misordered;
      individual = streamed.fieldIndex(Cols.INDIVIDUAL);
      decision = streamed.fieldIndex(Cols.DECISION);
      choice = streamed.fieldIndex(Cols.CHOICE);
      selected = streamed.fieldIndex(Cols.SELECTED);
      usable = streamed.fieldIndex(USABLE);
      carried = Arrays.stream(input.fieldNames()).mapToInt(streamed::fieldIndex).toArray();
      types = InternalRows.types(streamed);
      decisionOut = input.fieldIndex(Cols.DECISION);
      choiceOut = input.fieldIndex(Cols.CHOICE);
      DataType decisionType = input.fields()[decisionOut].dataType();
      DataType choiceType = input.fields()[choiceOut].dataType();
      List<StructField> fields = new ArrayList<>(Arrays.asList(input.fields()));
      fields.set(
          decisionOut, DataTypes.createStructField(Cols.DECISION, DataTypes.IntegerType, false));
      fields.set(
          choiceOut,
          DataTypes.createStructField(
              Cols.CHOICE, p.mode() == Mode.PAIRS ? DataTypes.IntegerType : choiceType, false));
      fields.add(DataTypes.createStructField(Cols.SOURCE_DECISION, decisionType, false));
      fields.add(DataTypes.createStructField(Cols.SOURCE_CHOICE, choiceType, false));
      fields.add(DataTypes.createStructField(Cols.DRAW, DataTypes.IntegerType, false));
      output = DataTypes.createStructType(fields);
    }

    StructType outputSchema() {
      return output;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      return new Draw(rows);
    }

    private Object value(InternalRow row, int column) {
      return InternalRows.value(row, column, types[column]);
    }

    private final class Draw implements Iterator<InternalRow> {
      // The scan reuses its row: current, unselected and the rows ready hold copies.
      private final Iterator<InternalRow> rows;
      private final ArrayDeque<InternalRow> ready = new ArrayDeque<>();
      private final List<InternalRow> current = new ArrayList<>();
      private final List<InternalRow> unselected = new ArrayList<>();
      private InternalRow next;
      private UTF8String individualKey;
      private String individualId;
      private int rank;
      private int usableDecisions;
      private Object lastDecision;
      private boolean inOrder;

      /** The individual's draws by decision rank: a linked list per rank, draws ascending. */
      private int[] firstDraw;

      private int[] nextDraw;

      Draw(Iterator<InternalRow> rows) {
        this.rows = rows;
        next = rows.hasNext() ? rows.next().copy() : null;
      }

      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && next != null) {
          drawFromNextDecision();
        }
        if (ready.isEmpty() && individualKey != null) {
          endIndividual();
          individualKey = null;
        }
        return !ready.isEmpty();
      }

      /**
       * An individual drew from the right decisions only if all its usable ones passed, in order.
       */
      private void endIndividual() {
        if (rank != usableDecisions || !inOrder) {
          misordered.add(1);
        }
      }

      @Override
      public InternalRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }

      private void drawFromNextDecision() {
        current.clear();
        InternalRow first = next;
        UTF8String id = first.getUTF8String(individual);
        Object decisionId = value(first, decision);
        Object lastChoice = null;
        boolean choicesInOrder = true;
        do {
          Object choiceId = value(next, choice);
          choicesInOrder &= lastChoice == null || SparkOrder.compare(choiceId, lastChoice) > 0;
          lastChoice = choiceId;
          current.add(next);
          next = rows.hasNext() ? rows.next().copy() : null;
        } while (next != null
            && value(next, decision).equals(decisionId)
            && next.getUTF8String(individual).equals(id));
        if (!id.equals(individualKey)) {
          if (individualKey != null) {
            endIndividual();
          }
          startIndividual(id, (int) first.getLong(usable));
        } else if (SparkOrder.compare(decisionId, lastDecision) <= 0) {
          inOrder = false;
        }
        inOrder &= choicesInOrder;
        lastDecision = decisionId;
        InternalRow chosen = null;
        int selectedCount = 0;
        unselected.clear();
        for (InternalRow r : current) {
          if (r.getBoolean(selected)) {
            chosen = r;
            selectedCount++;
          } else {
            unselected.add(r);
          }
        }
        if (selectedCount != 1 || (p.mode() == Mode.PAIRS && unselected.isEmpty())) {
          return; // counted in skipped
        }
        int decisionRank = rank++;
        if (p.decisionsPerIndividual() == 0) {
          emitDecision(decisionRank + 1);
          return;
        }
        for (int k = firstDraw[decisionRank]; k >= 0; k = nextDraw[k]) {
          if (p.mode() == Mode.DECISIONS) {
            emitDecision(k + 1);
          } else {
            emitPairs(chosen, k + 1);
          }
        }
      }

      private void startIndividual(UTF8String id, int usableDecisions) {
        individualKey = id;
        individualId = id.toString();
        this.usableDecisions = usableDecisions;
        inOrder = true;
        rank = 0;
        int n = p.decisionsPerIndividual();
        firstDraw = new int[usableDecisions];
        Arrays.fill(firstDraw, -1);
        nextDraw = new int[n];
        for (int k = n - 1; k >= 0; k--) {
          int r = Draws.index(usableDecisions, p.seed(), individualId, 1, k, 0);
          nextDraw[k] = firstDraw[r];
          firstDraw[r] = k;
        }
      }

      private void emitDecision(int draw) {
        for (InternalRow r : current) {
          ready.add(copy(r, draw, value(r, choice), draw));
        }
      }

      private void emitPairs(InternalRow chosen, int draw) {
        int a = p.alternativesPerDecision();
        for (int slot = 0; slot < a; slot++) {
          InternalRow alternative =
              unselected.get(Draws.index(unselected.size(), p.seed(), individualId, 2, draw, slot));
          int pair = (draw - 1) * a + slot + 1;
          ready.add(copy(chosen, pair, 1, draw));
          ready.add(copy(alternative, pair, 2, draw));
        }
      }

      private InternalRow copy(InternalRow r, int newDecision, Object newChoice, int draw) {
        Object[] values = new Object[carried.length + 3];
        for (int i = 0; i < carried.length; i++) {
          values[i] = value(r, carried[i]);
        }
        values[decisionOut] = newDecision;
        values[choiceOut] = newChoice;
        values[carried.length] = value(r, decision);
        values[carried.length + 1] = value(r, choice);
        values[carried.length + 2] = draw;
        return new GenericInternalRow(values);
      }
    }
  }
}
