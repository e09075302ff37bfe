package org.shoal.pipeline.evaluate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.shoal.pipeline.h3.ChoiceTable;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Schemas;
import org.shoal.pipeline.util.DecisionStream;
import org.shoal.pipeline.util.InternalRows;
import org.shoal.pipeline.util.JoinKeys;

/**
 * One row per decision with the log-probability of its selected choice under every model and in
 * every choice subset, built in one hash aggregation over the choices (no window) joined with the
 * selected rows' carried columns, and cached: every grouping set, the per-individual means and the
 * comparisons are then small aggregations of this narrow table. A subset keeps the choices matching
 * its predicate and renormalises each model's probabilities over them; a decision whose selected
 * choice falls outside is not in the subset. The uniform model (1 / number of choices) is always
 * there.
 */
public final class DecisionTable {
  public static final String ALL = "all";
  public static final String UNIFORM = "uniform";
  public static final String MOVED = "moved";
  public static final String DISTANCE_BIN = "distance_bin";

  /** How a model scores the choices. */
  public sealed interface Model permits Probability, LogOdds, StayPutRate {
    String name();
  }

  /** A probability per choice (a column of the choice table). */
  public record Probability(String name, Column probability) implements Model {}

  /**
   * An unnormalised log-odds per choice: probabilities are its softmax within each decision (or
   * subset).
   */
  public record LogOdds(String name, Column logOdds) implements Model {}

  /**
   * The stay-put-rate baseline: staying gets the rate of the decision's origin cell ({@code
   * overall} for an origin without one), every other choice an equal share of the rest; a decision
   * without a stay-put choice is uniform and a decision whose only choice is staying gets 1.
   */
  public record StayPutRate(String name, Map<String, Double> rateByOrigin, double overall)
      implements Model {}

  private final Dataset<Row> cached;
  private final Dataset<Row> rows;
  private final List<Model> modelsIn;
  private final List<String> models;
  private final List<String> subsets;

  /** The number of decisions once counted, else -1. */
  private volatile long decisions;

  private DecisionTable(
      Dataset<Row> cached,
      Dataset<Row> rows,
      List<Model> modelsIn,
      List<String> models,
      List<String> subsets,
      long decisions) {
    this.cached = cached;
    this.rows = rows;
    this.modelsIn = modelsIn;
    this.models = models;
    this.subsets = subsets;
    this.decisions = decisions;
  }

  /**
   * Builds and caches the table. {@code carried}: columns taken from each decision's selected
   * choice (grouping columns, cells); those the choices lack are skipped. Fails on a decision
   * without exactly one selected choice and on a selected choice whose probability is missing, NaN
   * or not positive, naming the decision and the model.
   */
  public static DecisionTable of(
      Dataset<Row> choices,
      List<Model> models,
      Map<String, String> subsets,
      List<String> carriedColumns) {
    Plan plan = new Plan(choices, models, subsets, carriedColumns);
    return plan.finish(plan.aggregated().persist(StorageLevel.MEMORY_AND_DISK()), -1).validated();
  }

  /** A table built as the choices streamed past, and the check of what that assumed. */
  public static final class Streamed {
    private final DecisionTable unchecked;
    private final DecisionStream check;

    private Streamed(DecisionTable unchecked, DecisionStream check) {
      this.unchecked = unchecked;
      this.check = check;
    }

    /**
     * The table, validated as {@link #of} does, when each partition's decisions came in key order
     * and no individual was in two partitions (so each row of the table summed a whole decision:
     * {@link DecisionStream}); else null, having released it: build it with {@link #of} instead.
     */
    public DecisionTable table() {
      if (!check.wholeDecisions()) {
        unchecked.unpersist();
        return null;
      }
      return unchecked.validated();
    }
  }

  /**
   * {@link #of} without a shuffle, for choices whose every decision's rows are contiguous in one
   * partition and whose partitions hold decisions in key order (a choice table shoal wrote, read
   * one file per partition): each decision's sums are taken as its rows stream past, in the order
   * the hash aggregation of {@link #of} adds them within a partition, so the table is the same to
   * the last bit. Whether the input held to that is checked before the table is validated: {@link
   * Streamed#table()}.
   */
  public static Streamed streamed(
      Dataset<Row> choices,
      List<Model> models,
      Map<String, String> subsets,
      List<String> carriedColumns) {
    return streamed(choices, models, subsets, carriedColumns, null, null);
  }

  /**
   * {@link #streamed(Dataset, List, Map, List)}, taking the calibration of {@code probability} over
   * every choice as the pass reads them (whether or not the decisions prove whole: see {@link
   * Calibration#rows()}).
   */
  public static Streamed streamed(
      Dataset<Row> choices,
      List<Model> models,
      Map<String, String> subsets,
      List<String> carriedColumns,
      Column probability,
      Calibration calibration) {
    Plan plan = new Plan(choices, models, subsets, carriedColumns);
    DecisionStream check =
        DecisionStream.register(choices.sparkSession(), "decision table partitions");
    List<Column> columns = plan.streamedColumns();
    if (calibration != null) {
      columns.add(probability.cast(DataTypes.DoubleType)); // last: after the carried columns
    }
    Dataset<Row> streamed = choices.select(columns.toArray(Column[]::new));
    JavaRDD<InternalRow> sums =
        InternalRows.of(streamed)
            .mapPartitions(
                new StreamedSums(
                    plan.modelKinds(),
                    plan.predicates.size(),
                    InternalRows.types(streamed.schema()),
                    check,
                    calibration));
    Dataset<Row> aggregated =
        InternalRows.frame(choices, sums, plan.aggregated().schema())
            .persist(StorageLevel.MEMORY_AND_DISK());
    long decisions = aggregated.count(); // every partition has reported to the check
    if (calibration != null) {
      calibration.expect(sums.getNumPartitions());
    }
    return new Streamed(plan.finish(aggregated, decisions), check);
  }

  /**
   * Checks the table (see {@link #of}) and returns it; releases it and fails, naming the first bad
   * decision, when it is not valid.
   */
  private DecisionTable validated() {
    String invalid = invalid(cached, modelsIn);
    if (invalid != null) {
      cached.unpersist();
      throw new IllegalArgumentException(invalid);
    }
    return this;
  }

  /** How a model's values are summed: a probability, a log-odds, or a rate with no column. */
  private enum Kind {
    PROBABILITY,
    LOG_ODDS,
    RATE
  }

  /** What both ways of building the table share: the columns and sums they compute. */
  private static final class Plan {
    private final Dataset<Row> choices;
    private final List<Model> models;
    private final List<String> carried;
    private final Map<String, Column> predicates = new LinkedHashMap<>();
    private final List<Column> in = new ArrayList<>();
    private final Column selected;
    private final Column stays;
    private final boolean cells;
    private final List<String> names;

    Plan(
        Dataset<Row> choices,
        List<Model> models,
        Map<String, String> subsets,
        List<String> carriedColumns) {
      this.choices = choices;
      this.models = models;
      names = Arrays.asList(choices.columns());
      List<String> wanted = new ArrayList<>(carriedColumns);
      if (models.stream().anyMatch(m -> m instanceof StayPutRate)
          && !wanted.contains(Cols.ORIGIN_CELL)) {
        wanted.add(Cols.ORIGIN_CELL); // the rates are per origin cell
      }
      // The carried columns the choices have (the ids are the grouping keys already).
      carried =
          wanted.stream()
              .filter(
                  c -> names.contains(c) && !c.equals(Cols.INDIVIDUAL) && !c.equals(Cols.DECISION))
              .toList();
      predicates.put(ALL, lit(true));
      subsets.forEach((name, predicate) -> predicates.put(name, expr(predicate)));
      predicates.values().forEach(p -> in.add(coalesce(p, lit(false))));
      selected = coalesce(col(Cols.SELECTED), lit(false));
      cells = names.containsAll(List.of(Cols.CELL, Cols.ORIGIN_CELL));
      // Only the stay-put-rate baseline asks which choice is staying: comparing two strings on
      // every choice row is most of the cost of reading a contrast table otherwise.
      stays =
          cells && models.stream().anyMatch(m -> m instanceof StayPutRate)
              ? col(Cols.CELL).equalTo(col(Cols.ORIGIN_CELL))
              : lit(false);
    }

    /** Per decision, by a hash aggregation and a join with the selected rows. */
    Dataset<Row> aggregated() {
      List<Column> aggs = new ArrayList<>();
      aggs.add(sum(when(selected, 1).otherwise(0)).as("_selected"));
      aggs.add(count(lit(1)).as("_m"));
      aggs.add(max(when(stays, 1).otherwise(0)).as("_has_stay"));
      aggs.add(max(when(selected.and(stays), 1).otherwise(0)).as("_stayed"));
      for (int j = 0; j < models.size(); j++) {
        if (models.get(j) instanceof Probability p) {
          aggs.add(sum(when(p.probability().isNull(), 1).otherwise(0)).as("_x_" + j));
        }
      }
      for (int k = 0; k < in.size(); k++) {
        Column inK = in.get(k);
        aggs.add(sum(when(inK, 1).otherwise(0)).as("_n_" + k));
        aggs.add(max(when(inK.and(selected), 1).otherwise(0)).as("_in_" + k));
        aggs.add(max(when(inK.and(stays), 1).otherwise(0)).as("_stay_" + k));
        for (int j = 0; j < models.size(); j++) {
          Model model = models.get(j);
          Column chosen = inK.and(selected);
          if (model instanceof Probability p) {
            aggs.add(sum(when(chosen, p.probability())).as("_a_" + j + "_" + k));
            aggs.add(sum(when(inK, p.probability())).as("_b_" + j + "_" + k));
          } else if (model instanceof LogOdds o) {
            aggs.add(sum(when(chosen, o.logOdds())).as("_a_" + j + "_" + k));
            aggs.add(sum(when(inK, exp(o.logOdds()))).as("_b_" + j + "_" + k));
          }
        }
      }
      Dataset<Row> aggregated =
          choices
              .groupBy(Cols.INDIVIDUAL, Cols.DECISION)
              .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
      if (carried.isEmpty()) {
        return aggregated;
      }
      // The carried columns come from the selected rows, joined on: taking them in the aggregation
      // above (max_by) would put strings in its buffer, which makes Spark sort every choice row
      // instead of hashing them. A decision without one selected choice fails below either way.
      List<Column> selectedRow = new ArrayList<>(List.of(col(Cols.INDIVIDUAL), col(Cols.DECISION)));
      carried.forEach(c -> selectedRow.add(col("`" + c + "`")));
      return aggregated.join(
          choices.filter(selected).select(selectedRow.toArray(Column[]::new)),
          JoinKeys.of(Cols.INDIVIDUAL, Cols.DECISION),
          "left");
    }

    /**
     * What {@link StreamedSums} reads of each choice: individual, decision, selected, stays, each
     * scored model's value (a probability or a log-odds, as a double), whether the choice is in
     * each subset, and the carried columns of a selected choice.
     */
    List<Column> streamedColumns() {
      List<Column> columns =
          new ArrayList<>(List.of(col(Cols.INDIVIDUAL), col(Cols.DECISION), selected, stays));
      for (Model model : models) {
        if (model instanceof Probability p) {
          columns.add(p.probability().cast(DataTypes.DoubleType));
        } else if (model instanceof LogOdds o) {
          columns.add(o.logOdds().cast(DataTypes.DoubleType));
        }
      }
      columns.addAll(in);
      // only the selected row's are kept: null elsewhere, no string to build for every choice
      carried.forEach(c -> columns.add(when(selected, col("`" + c + "`")).as(c)));
      return columns;
    }

    /** Each model's kind, in order. */
    Kind[] modelKinds() {
      return models.stream()
          .map(
              m ->
                  m instanceof Probability
                      ? Kind.PROBABILITY
                      : m instanceof LogOdds ? Kind.LOG_ODDS : Kind.RATE)
          .toArray(Kind[]::new);
    }

    /**
     * The table's rows (with the stay-put rates and derived columns) over the sums, cached, and
     * their number when already counted (else -1).
     */
    DecisionTable finish(Dataset<Row> aggregated, long decisions) {
      Dataset<Row> withRates = aggregated;
      for (int j = 0; j < models.size(); j++) {
        if (models.get(j) instanceof StayPutRate s) {
          withRates = joinRates(withRates, s, "_rate_" + j, cells);
        }
      }
      List<Column> out = new ArrayList<>();
      out.add(col(Cols.INDIVIDUAL));
      out.add(col(Cols.DECISION));
      for (String c : carried) {
        out.add(col("`" + c + "`"));
      }
      if (cells && carried.contains(Cols.CELL) && carried.contains(Cols.ORIGIN_CELL)) {
        out.add(col(Cols.CELL).notEqual(col(Cols.ORIGIN_CELL)).as(MOVED));
      }
      if (names.contains(ChoiceTable.DISTANCE_KM) && carried.contains(ChoiceTable.DISTANCE_KM)) {
        Column km = col(ChoiceTable.DISTANCE_KM);
        out.add(
            when(km.equalTo(0), lit("stay"))
                .when(km.leq(50), lit("0-50 km"))
                .when(km.leq(100), lit("50-100 km"))
                .otherwise(lit("> 100 km"))
                .as(DISTANCE_BIN));
      }
      for (int k = 0; k < in.size(); k++) {
        Column inK = col("_in_" + k).equalTo(1);
        out.add(inK.as("_in_" + k));
        out.add(col("_n_" + k).as("_n_" + k));
        for (int j = 0; j < models.size(); j++) {
          out.add(when(inK, ll(models.get(j), j, k)).as(llColumn(j, k)));
        }
        out.add(when(inK, log(lit(1.0).divide(col("_n_" + k)))).as(llColumn(models.size(), k)));
      }
      List<String> modelNames = new ArrayList<>(models.stream().map(Model::name).toList());
      modelNames.add(UNIFORM);
      return new DecisionTable(
          aggregated,
          withRates.select(out.toArray(Column[]::new)),
          models,
          List.copyOf(modelNames),
          List.copyOf(predicates.keySet()),
          decisions);
    }
  }

  /**
   * Sums each decision's rows (the columns of {@link Plan#streamedColumns()}) as they stream past,
   * into the columns and order of {@link Plan#aggregated()}: a run of rows with one individual and
   * decision is a decision. Doubles are summed as Spark's sum does, from 0 in row order, null when
   * no row had a value. Works on Spark's internal rows: converting each choice row to a {@link Row}
   * and each sum back cost more than the sums.
   */
  private static final class StreamedSums
      implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private final Kind[] kinds;
    private final int subsets;
    private final DataType[] types;
    private final DecisionStream check;

    /**
     * Where {@link Plan#streamedColumns()} puts, after individual, decision, selected and stays,
     * each model's value (-1 for a rate, which has none), the subsets' flags and the carried
     * columns; the calibrated probability comes last.
     */
    private final int[] valueAt;

    private final int inAt;
    private final int carriedAt;
    private final int carriedCount;
    private final Calibration calibration;

    /** The columns of a decision's row ({@link Plan#aggregated()}). */
    private final int width;

    StreamedSums(
        Kind[] kinds,
        int subsets,
        DataType[] types,
        DecisionStream check,
        Calibration calibration) {
      this.kinds = kinds;
      this.subsets = subsets;
      this.types = types;
      this.check = check;
      this.calibration = calibration;
      valueAt = new int[kinds.length];
      int scored = 0;
      for (int j = 0; j < kinds.length; j++) {
        valueAt[j] = kinds[j] == Kind.RATE ? -1 : 4 + scored++;
      }
      inAt = 4 + scored;
      carriedAt = inAt + subsets;
      carriedCount = types.length - carriedAt - (calibration == null ? 0 : 1);
      int probabilities = (int) Arrays.stream(kinds).filter(k -> k == Kind.PROBABILITY).count();
      width = 6 + probabilities + subsets * (3 + 2 * scored) + carriedCount;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      Calibration.Task bins =
          calibration == null ? null : calibration.task(TaskContext.getPartitionId());
      return check.folded(rows, 0, 1, types, new Sums(bins));
    }

    /**
     * One decision's sums, reset as each decision begins; model j's in subset k at {@code j *
     * subsets + k}.
     */
    private final class Sums implements DecisionStream.Fold<InternalRow> {
      private final int models = kinds.length;
      private Object individual;
      private Object decision;
      private long selected;
      private long m;
      private int hasStay;
      private int stayed;
      private final long[] missing = new long[models];
      private final long[] n = new long[subsets];
      private final int[] in = new int[subsets];
      private final int[] stayIn = new int[subsets];
      private final double[] a = new double[models * subsets];
      private final double[] b = new double[models * subsets];
      private final boolean[] hasA = new boolean[models * subsets];
      private final boolean[] hasB = new boolean[models * subsets];
      private final Object[] carried = new Object[carriedCount];
      private final InternalRows.Key[] carriedColumns = new InternalRows.Key[carried.length];
      private boolean carriedTaken;
      private final Calibration.Task bins;
      private final int calibratedAt = types.length - 1;

      Sums(Calibration.Task bins) {
        this.bins = bins;
        for (int c = 0; c < carried.length; c++) {
          carriedColumns[c] = new InternalRows.Key(carriedAt + c, types[carriedAt + c]);
        }
      }

      @Override
      public void begin(Object individual, Object decision) {
        this.individual = individual;
        this.decision = decision;
        selected = 0;
        m = 0;
        hasStay = 0;
        stayed = 0;
        Arrays.fill(missing, 0);
        Arrays.fill(n, 0);
        Arrays.fill(in, 0);
        Arrays.fill(stayIn, 0);
        Arrays.fill(a, 0.0);
        Arrays.fill(b, 0.0);
        Arrays.fill(hasA, false);
        Arrays.fill(hasB, false);
        Arrays.fill(carried, null);
        carriedTaken = false;
      }

      @Override
      public void add(InternalRow row) {
        boolean isSelected = row.getBoolean(2);
        boolean stays = !row.isNullAt(3) && row.getBoolean(3);
        selected += isSelected ? 1 : 0;
        m++;
        if (bins != null) {
          if (row.isNullAt(calibratedAt)) {
            bins.addMissing();
          } else {
            bins.add(row.getDouble(calibratedAt), isSelected);
          }
        }
        hasStay |= stays ? 1 : 0;
        stayed |= isSelected && stays ? 1 : 0;
        if (isSelected && !carriedTaken) { // the join's values (a second one fails anyway)
          carriedTaken = true;
          for (int c = 0; c < carried.length; c++) {
            carried[c] = carriedColumns[c].copy(row); // the row is reused
          }
        }
        for (int j = 0; j < models; j++) {
          if (kinds[j] == Kind.PROBABILITY && row.isNullAt(valueAt[j])) {
            missing[j]++;
          }
        }
        for (int k = 0; k < subsets; k++) {
          if (!row.getBoolean(inAt + k)) {
            continue;
          }
          n[k]++;
          in[k] |= isSelected ? 1 : 0;
          stayIn[k] |= stays ? 1 : 0;
          for (int j = 0; j < models; j++) {
            if (valueAt[j] < 0 || row.isNullAt(valueAt[j])) {
              continue;
            }
            double v = row.getDouble(valueAt[j]);
            int at = j * subsets + k;
            if (isSelected) {
              a[at] += v; // from 0, as Spark's sum
              hasA[at] = true;
            }
            // Spark's exp is StrictMath's
            b[at] += kinds[j] == Kind.LOG_ODDS ? StrictMath.exp(v) : v;
            hasB[at] = true;
          }
        }
      }

      @Override
      public void finished() {
        if (bins != null) {
          bins.report();
        }
      }

      /** The decision's row, in the columns of {@link Plan#aggregated()}. */
      @Override
      public InternalRow end() {
        Object[] values = new Object[width];
        int i = 0;
        values[i++] = individual;
        values[i++] = decision;
        values[i++] = selected;
        values[i++] = m;
        values[i++] = hasStay;
        values[i++] = stayed;
        for (int j = 0; j < models; j++) {
          if (kinds[j] == Kind.PROBABILITY) {
            values[i++] = missing[j];
          }
        }
        for (int k = 0; k < subsets; k++) {
          values[i++] = n[k];
          values[i++] = in[k];
          values[i++] = stayIn[k];
          for (int j = 0; j < models; j++) {
            if (valueAt[j] >= 0) {
              int at = j * subsets + k;
              values[i++] = hasA[at] ? a[at] : null;
              values[i++] = hasB[at] ? b[at] : null;
            }
          }
        }
        System.arraycopy(carried, 0, values, i, carried.length);
        return new GenericInternalRow(values);
      }
    }
  }

  /**
   * The log-probability of the selected choice under model j in subset k (subset 0 = every choice).
   */
  private static Column ll(Model model, int j, int k) {
    Column a = col("_a_" + j + "_" + k);
    Column b = col("_b_" + j + "_" + k);
    if (model instanceof Probability) {
      // Every choice: the probability as given (so metrics read exactly the model's output); a
      // subset renormalises.
      return k == 0 ? log(a) : log(a).minus(log(b));
    }
    if (model instanceof LogOdds) {
      return a.minus(log(b));
    }
    // Stay-put rate: probabilities of the stay-put choice (r) and of every other choice (q) in the
    // whole decision.
    Column m = col("_m");
    Column r = col("_rate_" + j);
    Column hasStay = col("_has_stay").equalTo(1);
    Column stayP = when(m.equalTo(1), lit(1.0)).otherwise(r);
    Column otherP =
        when(not(hasStay), lit(1.0).divide(m))
            .when(m.equalTo(1), lit(0.0))
            .otherwise(lit(1.0).minus(r).divide(m.minus(1)));
    Column chosen = when(hasStay.and(col("_stayed").equalTo(1)), stayP).otherwise(otherP);
    if (k == 0) {
      return log(chosen);
    }
    Column stayIn = col("_stay_" + k);
    Column total =
        when(hasStay, stayIn.multiply(stayP).plus(col("_n_" + k).minus(stayIn).multiply(otherP)))
            .otherwise(col("_n_" + k).multiply(otherP));
    return log(chosen).minus(log(total));
  }

  private static Dataset<Row> joinRates(
      Dataset<Row> decisions, StayPutRate s, String column, boolean cells) {
    if (!cells) {
      throw new IllegalArgumentException(
          "the stay-put-rate baseline needs the columns cell and origin_cell");
    }
    List<Row> rates = new ArrayList<>();
    s.rateByOrigin().forEach((cell, rate) -> rates.add(RowFactory.create(cell, rate)));
    Dataset<Row> table =
        decisions
            .sparkSession()
            .createDataFrame(
                rates,
                DataTypes.createStructType(
                    List.of(
                        DataTypes.createStructField("_origin", DataTypes.StringType, false),
                        DataTypes.createStructField(column, DataTypes.DoubleType, false))));
    Dataset<Row> joined =
        decisions
            .join(
                broadcast(table),
                col(Cols.ORIGIN_CELL).cast("string").equalTo(col("_origin")),
                "left")
            .drop("_origin");
    return joined.withColumn(column, coalesce(col(column), lit(s.overall())));
  }

  /**
   * Why the table cannot be evaluated, or null: the first decision without exactly one selected
   * choice, with a choice lacking a probability, or whose selected choice has a missing, NaN or
   * non-positive probability.
   */
  private static String invalid(Dataset<Row> aggregated, List<Model> models) {
    Column bad = col("_selected").notEqual(1);
    List<Integer> probabilities = new ArrayList<>();
    for (int j = 0; j < models.size(); j++) {
      if (models.get(j) instanceof Probability) {
        Column p = col("_a_" + j + "_0");
        bad = bad.or(p.isNull()).or(p.isNaN()).or(p.leq(0)).or(col("_x_" + j).gt(0));
        probabilities.add(j);
      }
    }
    List<Column> shown =
        new ArrayList<>(List.of(col(Cols.INDIVIDUAL), col(Cols.DECISION), col("_selected")));
    probabilities.forEach(j -> shown.add(col("_a_" + j + "_0")));
    probabilities.forEach(j -> shown.add(col("_x_" + j)));
    // Each partition's first bad decision, in one job (a limit would scan the partitions in rounds
    // of jobs); the first partition's is the one the limit would find.
    Dataset<Row> bads = aggregated.filter(bad).select(shown.toArray(Column[]::new));
    List<InternalRow> found =
        InternalRows.of(bads)
            .mapPartitions(
                rows ->
                    rows.hasNext()
                        ? List.of(rows.next().copy()).iterator()
                        : java.util.Collections.<InternalRow>emptyIterator())
            .collect();
    if (found.isEmpty()) {
      return null;
    }
    Row b = InternalRows.row(found.get(0), bads.schema());
    String decision = "decision " + b.get(1) + " of individual '" + b.get(0) + "'";
    if (b.getLong(2) != 1) {
      return decision + " has " + b.get(2) + " selected choices";
    }
    for (int i = 0; i < probabilities.size(); i++) {
      String model = models.get(probabilities.get(i)).name();
      long missing = b.getLong(3 + probabilities.size() + i);
      if (missing > 0) {
        return decision
            + " has "
            + missing
            + " choice(s) without a probability under model '"
            + model
            + "'";
      }
      Object p = b.get(3 + i);
      if (p == null || ((Double) p).isNaN() || (Double) p <= 0) {
        return "the selected choice of "
            + decision
            + " has probability "
            + p
            + " under model '"
            + model
            + "'; log-likelihoods need a positive probability";
      }
    }
    throw new IllegalStateException("unreachable: " + b);
  }

  private static String llColumn(int model, int subset) {
    return "_ll_" + model + "_" + subset;
  }

  /**
   * The rows: individual, decision, carried columns, moved, distance_bin, and per subset and model
   * the ll columns.
   */
  public Dataset<Row> rows() {
    return rows;
  }

  /** The models, in order, uniform last. */
  public List<String> models() {
    return models;
  }

  /**
   * The column holding the selected choice's log-probability under {@code model} in {@code subset}
   * (null outside).
   */
  public String ll(String model, String subset) {
    int j = models.indexOf(model);
    int k = subsets.indexOf(subset);
    if (j < 0 || k < 0) {
      throw new IllegalArgumentException(
          "no model '" + model + "' or subset '" + subset + "' in " + models + " x " + subsets);
    }
    return llColumn(j, k);
  }

  /**
   * A grouping set within a subset: the metrics are computed for every group of these columns'
   * values.
   */
  public record GroupingSet(String subset, List<String> groupBy) {}

  /** {@link #metrics(String, List)} of one grouping set. */
  public Dataset<Row> metrics(String dataset, String subset, List<String> groupBy) {
    return metrics(dataset, List.of(new GroupingSet(subset, groupBy)));
  }

  /**
   * Metrics of every model for every grouping set, in {@link Schemas#METRICS}, in one pass over the
   * table ({@link GroupSums}, each decision counted once per set) and two small aggregations:
   * decisions, individuals, D-NLP (the mean over individuals of each individual's mean ll), mean
   * ll, GMP, and the uniform model's. A set without grouping columns has its row even when no
   * decision is in its subset (no decisions, NaN metrics); other groups appear when they have
   * decisions.
   */
  public Dataset<Row> metrics(String dataset, List<GroupingSet> sets) {
    // One narrow row per decision for GroupSums: individual, grouping columns, per set its
    // subset's flag and log-likelihoods.
    List<Column> columns = new ArrayList<>();
    columns.add(col(Cols.INDIVIDUAL).cast("string"));
    List<String> groupColumns =
        sets.stream().flatMap(s -> s.groupBy().stream()).distinct().toList();
    for (String g : groupColumns) {
      columns.add(coalesce(col("`" + g + "`").cast("string"), lit("null")));
    }
    List<GroupSums.Set> sums = new ArrayList<>();
    for (GroupingSet set : sets) {
      int k = subsets.indexOf(set.subset());
      if (k < 0) {
        throw new IllegalArgumentException("no subset '" + set.subset() + "' in " + subsets);
      }
      int[] groupAt = set.groupBy().stream().mapToInt(g -> 1 + groupColumns.indexOf(g)).toArray();
      int inAt = columns.size();
      columns.add(col("_in_" + k));
      int[] llAt = new int[models.size()];
      for (int j = 0; j < models.size(); j++) {
        llAt[j] = columns.size();
        columns.add(col(llColumn(j, k)));
      }
      String grouping = set.groupBy().isEmpty() ? ALL : String.join(",", set.groupBy());
      sums.add(new GroupSums.Set(set.subset(), grouping, set.groupBy(), groupAt, inAt, llAt));
    }
    List<Column> merged = new ArrayList<>();
    for (int j = 0; j < models.size(); j++) {
      merged.add(sum("_s" + j).as("_s" + j));
    }
    Dataset<Row> narrow = rows.select(columns.toArray(Column[]::new));
    Dataset<Row> perIndividual =
        InternalRows.frame(
                rows,
                InternalRows.of(narrow).mapPartitions(new GroupSums(sums, models.size())),
                GroupSums.schema(models.size()))
            .groupBy("subset", "grouping", "group", Cols.INDIVIDUAL)
            .agg(sum("_n").as("_n"), merged.toArray(Column[]::new));
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(when(col("_n").gt(0), 1)).as("individuals"));
    for (int j = 0; j < models.size(); j++) {
      aggs.add(avg(col("_s" + j).divide(col("_n"))).as("_d" + j));
      aggs.add(sum("_s" + j).divide(sum("_n")).as("_mean" + j));
    }
    Dataset<Row> grouped =
        perIndividual
            .groupBy("subset", "grouping", "group")
            .agg(sum("_n").as("decisions"), aggs.toArray(Column[]::new))
            .filter(col("decisions").gt(0).or(col("grouping").equalTo(ALL)));
    List<Column> perModel = new ArrayList<>();
    for (int j = 0; j < models.size() - 1; j++) { // uniform (last) is every row's uniform_d_nlp
      perModel.add(
          struct(lit(models.get(j)).as("m"), col("_d" + j).as("d"), col("_mean" + j).as("mean")));
    }
    Column nan = lit(Double.NaN);
    Column uniform = coalesce(col("_d" + (models.size() - 1)), nan);
    return grouped
        .select(
            explode(array(perModel.toArray(Column[]::new))).as("_model"),
            col("subset"),
            col("grouping"),
            col("group"),
            col("decisions"),
            col("individuals"),
            uniform.as("uniform_d_nlp"))
        .select(
            col("_model.m").as("model"),
            lit(dataset).as("dataset"),
            col("subset"),
            col("grouping"),
            col("group"),
            col("decisions"),
            col("individuals"),
            coalesce(col("_model.d"), nan).as("d_nlp"),
            coalesce(col("_model.mean"), nan).as("mean_ll"),
            exp(coalesce(col("_model.d"), nan)).as("gmp"),
            col("uniform_d_nlp"),
            exp(col("uniform_d_nlp")).as("uniform_gmp"))
        .to(Schemas.METRICS);
  }

  /**
   * Each individual's mean log-likelihood under every model (every choice), per value of {@code
   * keys}: the keys, individual, then one column per model named by the model.
   */
  public Dataset<Row> individualMeans(List<String> keys) {
    List<Column> groupKeys = new ArrayList<>();
    keys.forEach(g -> groupKeys.add(col("`" + g + "`")));
    groupKeys.add(col(Cols.INDIVIDUAL));
    List<Column> means = new ArrayList<>();
    for (int j = 0; j < models.size(); j++) {
      means.add(avg(llColumn(j, 0)).as(models.get(j)));
    }
    return rows.groupBy(groupKeys.toArray(Column[]::new))
        .agg(means.get(0), means.subList(1, means.size()).toArray(Column[]::new));
  }

  /** The number of decisions, counted once. */
  public long decisions() {
    if (decisions < 0) {
      decisions = cached.count();
    }
    return decisions;
  }

  public void unpersist() {
    cached.unpersist();
  }
}
