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
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.util.DecisionStream;
import org.shoal.pipeline.util.InternalRows;

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

  /**
   * Whether {@link #streamed} can read the models' features: every one a column of numbers or
   * booleans (the general path also casts strings).
   */
  public static boolean streamable(StructType schema, List<Scored> models) {
    List<String> names = Arrays.asList(schema.fieldNames());
    for (Scored m : models) {
      for (String f : m.scorer().features()) {
        if (!names.contains(f)) {
          return false;
        }
        DataType t = schema.apply(f).dataType();
        if (!(t instanceof NumericType) && !t.equals(DataTypes.BooleanType)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Predictions computed as the rows stream past, and the check of what that assumed. */
  public record Streamed(Dataset<Row> predictions, DecisionStream check) {
    /**
     * After the predictions were computed: whether each partition's decisions came in key order and
     * no individual was in two partitions (so each softmax saw its whole decision: {@link
     * DecisionStream}). When not, the predictions are wrong and {@link #apply} must compute them
     * instead.
     */
    public boolean wholeDecisions() {
      return check.wholeDecisions();
    }
  }

  /**
   * The same columns as {@link #apply(Dataset, List, List)} without a shuffle, for choices whose
   * every decision's rows are contiguous in one partition and partitions ordered by individual and
   * decision (a choice table shoal wrote, read one file per partition): each decision is scored as
   * a block of rows, batched across decisions, and its softmax taken as it streams past, with the
   * same arithmetic in the same order as the windows, so the results are equal to the last bit.
   * Whether the input held to that is known only once the predictions were computed: {@link
   * Streamed#wholeDecisions()}.
   */
  public static Streamed streamed(Dataset<Row> choices, List<Scored> models) {
    StructType in = choices.schema();
    if (!streamable(in, models)) {
      throw new IllegalArgumentException(
          "the models' features are not all numeric columns of the choices: " + in.simpleString());
    }
    StructType out = in;
    for (Scored m : models) {
      out = out.add(m.logOddsColumn(), DataTypes.DoubleType, true);
    }
    for (Scored m : models) {
      out = out.add(m.probabilityColumn(), DataTypes.DoubleType, true);
    }
    DecisionStream check = DecisionStream.register(choices.sparkSession(), "inference partitions");
    int[][] featureColumns = new int[models.size()][];
    for (int m = 0; m < models.size(); m++) {
      featureColumns[m] =
          models.get(m).scorer().features().stream().mapToInt(in::fieldIndex).toArray();
    }
    StreamedSoftmax softmax =
        new StreamedSoftmax(
            models.stream().map(Scored::scorer).toList(),
            featureColumns,
            in.fieldIndex(Cols.INDIVIDUAL),
            in.fieldIndex(Cols.DECISION),
            InternalRows.types(in),
            check);
    return new Streamed(
        InternalRows.frame(choices, InternalRows.of(choices).mapPartitions(softmax), out), check);
  }

  /**
   * Groups the rows of a partition into decisions (runs of equal individual and decision), scores
   * blocks of whole decisions and appends every model's log-odds and probability. Tells the check
   * each decision and the partition's end. Works on Spark's internal rows, each kept as its scan
   * wrote it with the scores joined on: converting every row to a {@link Row} and back cost more
   * than scoring it.
   */
  private static final class StreamedSoftmax
      implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    /** Rows scored at once: a block holds whole decisions, at least this many rows. */
    private static final int BLOCK = 1024;

    private final List<LogOddsScorer> scorers;
    private final int[][] featureColumns;
    private final int individual;
    private final int decision;
    private final DataType[] types;
    private final DecisionStream check;

    StreamedSoftmax(
        List<LogOddsScorer> scorers,
        int[][] featureColumns,
        int individual,
        int decision,
        DataType[] types,
        DecisionStream check) {
      this.scorers = scorers;
      this.featureColumns = featureColumns;
      this.individual = individual;
      this.decision = decision;
      this.types = types;
      this.check = check;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      Iterator<List<InternalRow>> decisions = check.decisions(rows, individual, decision, types);
      return new Iterator<>() {
        private final List<InternalRow> block = new ArrayList<>();
        private final List<Integer> decisionEnds = new ArrayList<>();
        private InternalRow[] ready = new InternalRow[0];
        private int next;

        @Override
        public boolean hasNext() {
          if (next < ready.length) {
            return true;
          }
          if (!decisions.hasNext()) {
            return false;
          }
          fill();
          return true;
        }

        @Override
        public InternalRow next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return ready[next++];
        }

        /** Reads whole decisions until the block is full, then scores it. */
        private void fill() {
          block.clear();
          decisionEnds.clear();
          while (block.size() < BLOCK && decisions.hasNext()) {
            block.addAll(decisions.next());
            decisionEnds.add(block.size());
          }
          ready = score();
          next = 0;
        }

        private InternalRow[] score() {
          int n = block.size();
          int models = scorers.size();
          double[][] logOdds = new double[models][];
          for (int m = 0; m < models; m++) {
            int[] columns = featureColumns[m];
            double[][] x = new double[columns.length][n];
            for (int r = 0; r < n; r++) {
              InternalRow row = block.get(r);
              for (int f = 0; f < columns.length; f++) {
                if (row.isNullAt(columns[f])) {
                  throw missing(row, m);
                }
                x[f][r] = number(row, columns[f]);
              }
            }
            logOdds[m] = scorers.get(m).logOdds(x, n);
          }
          double[][] probability = new double[models][n];
          int from = 0;
          for (int end : decisionEnds) {
            for (int m = 0; m < models; m++) {
              double[] phi = logOdds[m];
              double max = Double.NEGATIVE_INFINITY;
              for (int r = from; r < end; r++) {
                max = Math.max(max, phi[r]);
              }
              // As Spark's window: exp(φ - max) (Spark's exp is StrictMath's), summed in row
              // order, each divided by the sum.
              double sum = 0;
              for (int r = from; r < end; r++) {
                probability[m][r] = StrictMath.exp(phi[r] - max);
                sum += probability[m][r];
              }
              for (int r = from; r < end; r++) {
                probability[m][r] /= sum;
              }
            }
            from = end;
          }
          InternalRow[] scored = new InternalRow[n];
          for (int r = 0; r < n; r++) {
            Object[] values = new Object[2 * models];
            for (int m = 0; m < models; m++) {
              values[m] = logOdds[m][r];
              values[models + m] = probability[m][r];
            }
            scored[r] = new JoinedRow(block.get(r), new GenericInternalRow(values));
          }
          return scored;
        }

        private IllegalArgumentException missing(InternalRow row, int model) {
          List<String> names = new ArrayList<>();
          for (int f = 0; f < featureColumns[model].length; f++) {
            if (row.isNullAt(featureColumns[model][f])) {
              names.add(scorers.get(model).features().get(f));
            }
          }
          return Decisions.missingFeature(
              String.join("', '", names),
              String.valueOf(InternalRows.value(row, decision, types[decision])),
              String.valueOf(InternalRows.value(row, individual, types[individual])));
        }
      };
    }

    /** A feature's value as a double, as {@link Number#doubleValue()} of its Java value. */
    private double number(InternalRow row, int column) {
      DataType t = types[column];
      if (t instanceof DecimalType d) {
        return row.getDecimal(column, d.precision(), d.scale()).toJavaBigDecimal().doubleValue();
      }
      if (t.equals(DataTypes.BooleanType)) {
        return row.getBoolean(column) ? 1 : 0;
      }
      return ((Number) row.get(column, t)).doubleValue();
    }
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
