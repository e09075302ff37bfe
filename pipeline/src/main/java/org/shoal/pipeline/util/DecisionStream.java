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
   * A partition's internal rows as decisions, in their order: each a run of rows with one
   * individual (at column {@code individual}) and decision (at {@code decision}), copied out of the
   * scan's reused row and told to this check as it begins; the partition is reported once its rows
   * are over. Called in the task.
   */
  public Iterator<List<InternalRow>> decisions(
      Iterator<InternalRow> rows, int individual, int decision, DataType[] types) {
    Task task = new Task();
    return new Iterator<>() {
      private InternalRow pending = rows.hasNext() ? rows.next().copy() : null;

      @Override
      public boolean hasNext() {
        if (pending == null) {
          task.end();
          return false;
        }
        return true;
      }

      @Override
      public List<InternalRow> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object id = InternalRows.value(pending, individual, types[individual]);
        Object d = InternalRows.value(pending, decision, types[decision]);
        task.decision(id, d);
        List<InternalRow> run = new ArrayList<>();
        do {
          run.add(pending);
          pending = rows.hasNext() ? rows.next().copy() : null;
        } while (pending != null
            && InternalRows.holds(pending, individual, types[individual], id)
            && InternalRows.holds(pending, decision, types[decision], d));
        return run;
      }
    };
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
