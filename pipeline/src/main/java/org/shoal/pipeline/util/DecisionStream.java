package org.shoal.pipeline.util;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The check of a pass that streams a choice table partition by partition, taking each run of rows
 * with one (individual, decision) as a whole decision: it holds when each partition's decisions
 * come in Spark's key order (so a decision's rows are contiguous and never come back) and no
 * individual is in two partitions (so no decision is either), as in a table shoal wrote, read one
 * file per task. Each task tells whether its decisions came in order and a 64-bit hash of each of
 * its individuals; {@link #wholeDecisions()} then says whether the pass saw whole decisions. A hash
 * collision between two individuals reads as a failed check, never as a passed one.
 */
public final class DecisionStream implements Serializable {
  private final CollectionAccumulator<Report> partitions;

  /** What one task saw. */
  private record Report(int partition, boolean ordered, long[] individuals)
      implements Serializable {}

  private DecisionStream(CollectionAccumulator<Report> partitions) {
    this.partitions = partitions;
  }

  /** A new check, registered with the session's context under {@code name}. */
  public static DecisionStream register(SparkSession spark, String name) {
    return new DecisionStream(spark.sparkContext().collectionAccumulator(name));
  }

  /**
   * Folds one decision's rows as they stream past: {@link #begin} with the decision's keys, {@link
   * #add} for each of its rows (the scan's row, valid only during the call), then {@link #end} for
   * what the decision gives.
   */
  public interface Fold<T> {
    void begin(Object individual, Object decision);

    void add(InternalRow row);

    T end();

    /** The partition's rows are over (called once, after its last decision's {@link #end}). */
    default void finished() {}
  }

  /**
   * A partition's internal rows folded decision by decision, in their order: each decision a run of
   * rows with one individual (at column {@code individual}) and decision (at {@code decision}),
   * told to this check as it begins; the partition is reported once its rows are over. Only the
   * keys are copied out of the scan's reused row. Called in the task.
   */
  public <T> Iterator<T> folded(
      Iterator<InternalRow> rows, int individual, int decision, DataType[] types, Fold<T> fold) {
    Task task = new Task();
    InternalRows.Key individuals = new InternalRows.Key(individual, types[individual]);
    InternalRows.Key decisions = new InternalRows.Key(decision, types[decision]);
    return new Iterator<>() {
      // the first row of the next decision, still the scan's: the scan is not advanced before it
      // has been added
      private InternalRow pending = rows.hasNext() ? rows.next() : null;

      @Override
      public boolean hasNext() {
        if (pending == null) {
          if (!task.ended) {
            fold.finished();
          }
          task.end();
          return false;
        }
        return true;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object id = individuals.copy(pending);
        Object d = decisions.copy(pending);
        task.decision(id, d);
        fold.begin(id, d);
        do {
          fold.add(pending);
          pending = rows.hasNext() ? rows.next() : null;
        } while (pending != null && individuals.holds(pending, id) && decisions.holds(pending, d));
        return fold.end();
      }
    };
  }

  /**
   * A partition's internal rows as decisions, in their order ({@link #folded}), each a list of its
   * rows copied out of the scan.
   */
  public Iterator<List<InternalRow>> decisions(
      Iterator<InternalRow> rows, int individual, int decision, DataType[] types) {
    return folded(
        rows,
        individual,
        decision,
        types,
        new Fold<>() {
          private List<InternalRow> run;

          @Override
          public void begin(Object individual, Object decision) {
            run = new ArrayList<>();
          }

          @Override
          public void add(InternalRow row) {
            run.add(row.copy());
          }

          @Override
          public List<InternalRow> end() {
            return run;
          }
        });
  }

  /** One task's decisions: their order and their individuals. */
  private final class Task {
    private Object lastIndividual;
    private Object lastDecision;
    private boolean ordered = true;
    private long[] individuals = new long[16];
    private int count;
    private boolean ended;

    private Task() {}

    /** A run of rows of this decision begins. */
    void decision(Object individual, Object decision) {
      if (individual == null || decision == null) {
        ordered = false;
      } else if (count > 0 && !after(individual, decision)) {
        ordered = false;
      }
      if (count == 0 || !Objects.equals(individual, lastIndividual)) {
        if (count == individuals.length) {
          individuals = Arrays.copyOf(individuals, 2 * count);
        }
        individuals[count++] =
            SeededHash.murmurMix(SeededHash.fnv1a(0, String.valueOf(individual)));
      }
      lastIndividual = individual;
      lastDecision = decision;
    }

    private boolean after(Object individual, Object decision) {
      int c = SparkOrder.compare(individual, lastIndividual);
      return c > 0 || (c == 0 && SparkOrder.compare(decision, lastDecision) > 0);
    }

    /** The task's rows are over: reports them (once; an empty partition reports nothing). */
    void end() {
      if (!ended && count > 0) {
        partitions.add(
            new Report(TaskContext.getPartitionId(), ordered, Arrays.copyOf(individuals, count)));
      }
      ended = true;
    }
  }

  /**
   * After the pass: whether every partition's decisions came in order and no individual was in two
   * partitions.
   */
  public boolean wholeDecisions() {
    Map<Integer, Report> byPartition = new HashMap<>();
    for (Report r : partitions.value()) {
      byPartition.put(r.partition(), r); // a retried task reports the same again
    }
    Map<Long, Integer> partitionOf = new HashMap<>();
    for (Report r : byPartition.values()) {
      if (!r.ordered()) {
        return false;
      }
      for (long individual : r.individuals()) {
        if (partitionOf.put(individual, r.partition()) != null) {
          return false; // in another partition (or twice in this one, which is out of order)
        }
      }
    }
    return true;
  }
}
