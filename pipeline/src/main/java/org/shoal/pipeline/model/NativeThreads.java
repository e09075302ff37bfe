package org.shoal.pipeline.model;

import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The threads ND4J's native ops and its BLAS may use. Both counts are process-wide, so fits running
 * side by side in one JVM each get their share instead of every fit's ops spreading over every core
 * and spinning against the others (on 2 cores, two fits on one thread each take the time of one fit
 * on two).
 */
public final class NativeThreads {
  /** ND4J's op threads, its master threads and its BLAS threads. */
  private record Counts(int ops, int master, int blas) {
    static Counts now() {
      return new Counts(
          Nd4j.getEnvironment().maxThreads(),
          Nd4j.getEnvironment().maxMasterThreads(),
          Nd4j.factory().blas().getMaxThreads());
    }

    void apply() {
      Nd4j.getEnvironment().setMaxThreads(ops);
      Nd4j.getEnvironment().setMaxMasterThreads(master);
      Nd4j.factory().blas().setMaxThreads(blas);
    }
  }

  // The process's own counts, from before shoal changed any.
  private static final Counts PROCESS = Counts.now();

  private NativeThreads() {}

  /** Runs {@code work} with {@code threads} native threads, then restores the previous counts. */
  public static <T> T with(int threads, Supplier<T> work) {
    Counts before = Counts.now();
    set(threads);
    try {
      return work.get();
    } finally {
      before.apply();
    }
  }

  /** Back to the process's own counts. */
  public static void reset() {
    PROCESS.apply();
  }

  /**
   * Sets both counts until {@link #reset} (e.g. in a task, to the task's cores, when tasks share an
   * executor).
   */
  public static void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("native threads must be >= 1, got " + threads);
    }
    new Counts(threads, threads, threads).apply();
  }
}
