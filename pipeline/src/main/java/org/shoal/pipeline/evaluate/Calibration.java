package org.shoal.pipeline.evaluate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The reliability table of {@link Evaluation#calibration}, taken as a pass that reads every choice
 * anyway streams past ({@link DecisionTable#streamed}): each task sums its choices' bins and
 * reports them once its rows are over, by partition, so a recomputed partition reports the same
 * again instead of twice. The sums are Spark's: probabilities from 0 in row order, tasks merged in
 * partition order.
 */
public final class Calibration implements Serializable {
  public static final String BIN = "bin";
  public static final String MEAN_PREDICTED = "mean_predicted";
  public static final String OBSERVED = "observed";
  public static final String CHOICES = "choices";
  public static final String BIN_LOW = "bin_low";
  public static final String BIN_HIGH = "bin_high";

  /** The reliability table's columns, here and in {@link Evaluation#calibration}. */
  public static final StructType SCHEMA =
      new StructType()
          .add(BIN, DataTypes.IntegerType)
          .add(MEAN_PREDICTED, DataTypes.DoubleType)
          .add(OBSERVED, DataTypes.DoubleType)
          .add(CHOICES, DataTypes.LongType, false)
          .add(BIN_LOW, DataTypes.DoubleType)
          .add(BIN_HIGH, DataTypes.DoubleType);

  private final int bins;
  private final CollectionAccumulator<Report> partitions;
  private int expected = -1;

  /** What one task saw: per bin, the summed probability, the selected choices and the choices. */
  private record Report(int partition, double[] predicted, long[] selected, long[] choices)
      implements Serializable {}

  private Calibration(int bins, CollectionAccumulator<Report> partitions) {
    this.bins = bins;
    this.partitions = partitions;
  }

  /** A table of {@code bins} equal bins of [0, 1], registered with the session's context. */
  public static Calibration register(SparkSession spark, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("calibration needs at least one bin, not " + bins);
    }
    return new Calibration(bins, spark.sparkContext().collectionAccumulator("calibration"));
  }

  /** The bin of probability {@code p}, as {@link Evaluation#calibration} computes it. */
  static int bin(double p, int bins) {
    return (int) Math.min((long) Math.floor(p * bins), bins - 1);
  }

  /** One task's bins, filled as its choices pass (in the task). */
  Task task(int partition) {
    return new Task(partition);
  }

  /** Called on the driver once a pass over {@code partitions} partitions has run. */
  void expect(int partitions) {
    expected = partitions;
  }

  /**
   * The table, bins with choices in order, when every partition of a pass reported; else empty (no
   * pass ran): compute it with {@link Evaluation#calibration}.
   */
  public Optional<List<Row>> rows() {
    if (expected < 0) {
      return Optional.empty(); // no pass ran
    }
    Map<Integer, Report> byPartition = new HashMap<>();
    for (Report r : partitions.value()) {
      byPartition.put(r.partition(), r); // a recomputed partition reports the same again
    }
    double[] predicted = new double[bins];
    long[] selected = new long[bins];
    long[] choices = new long[bins];
    for (int p = 0; p < expected; p++) {
      Report r = byPartition.get(p);
      if (r == null || r.predicted() == null) {
        return Optional.empty(); // or a missing or negative probability, whose bin is Spark's
      }
      for (int b = 0; b < bins; b++) {
        predicted[b] += r.predicted()[b];
        selected[b] += r.selected()[b];
        choices[b] += r.choices()[b];
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      if (choices[b] > 0) {
        rows.add(
            new GenericRowWithSchema(
                new Object[] {
                  b,
                  predicted[b] / choices[b],
                  (double) selected[b] / choices[b],
                  choices[b],
                  (double) b / bins,
                  (double) (b + 1) / bins
                },
                SCHEMA));
      }
    }
    return Optional.of(rows);
  }

  /** One task's sums. */
  final class Task {
    private final int partition;
    private final double[] predicted = new double[bins];
    private final long[] selected = new long[bins];
    private final long[] choices = new long[bins];
    private boolean unbinned;
    private boolean reported;

    private Task(int partition) {
      this.partition = partition;
    }

    /** A choice with probability {@code p}. */
    void add(double p, boolean isSelected) {
      int b = bin(p, bins);
      if (b < 0) {
        unbinned = true;
        return;
      }
      predicted[b] += p;
      selected[b] += isSelected ? 1 : 0;
      choices[b]++;
    }

    /** A choice without a probability. */
    void addMissing() {
      unbinned = true;
    }

    /** The task's rows are over (once). */
    void report() {
      if (!reported) {
        partitions.add(
            unbinned
                ? new Report(partition, null, null, null)
                : new Report(partition, predicted, selected, choices));
        reported = true;
      }
    }
  }
}
