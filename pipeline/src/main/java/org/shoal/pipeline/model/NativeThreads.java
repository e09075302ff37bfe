package org.shoal.pipeline.model;

import java.util.function.Supplier;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The threads ND4J's native ops and its BLAS may use. Both counts are process-wide, so fits running
 * side by side in one JVM each get their share instead of every fit's ops spreading over every core
 * and spinning against the others (on 2 cores, two fits on one thread each take the time of one fit
 * on two).
 */
public final class NativeThreads {
  // The process's own counts, from before shoal changed any.
  private static final int OPS = Nd4j.getEnvironment().maxThreads();
  private static final int MASTER = Nd4j.getEnvironment().maxMasterThreads();
  private static final int BLAS = Nd4j.factory().blas().getMaxThreads();

  private NativeThreads() {}

  /** Runs {@code work} with {@code threads} native threads, then restores the previous counts. */
  public static <T> T with(int threads, Supplier<T> work) {
    Environment env = Nd4j.getEnvironment();
    int ops = env.maxThreads();
    int master = env.maxMasterThreads();
    int blas = Nd4j.factory().blas().getMaxThreads();
    set(threads);
    try {
      return work.get();
    } finally {
      env.setMaxThreads(ops);
      env.setMaxMasterThreads(master);
      Nd4j.factory().blas().setMaxThreads(blas);
    }
  }

  /** Back to the process's own counts. */
  public static void reset() {
    Nd4j.getEnvironment().setMaxThreads(OPS);
    Nd4j.getEnvironment().setMaxMasterThreads(MASTER);
    Nd4j.factory().blas().setMaxThreads(BLAS);
  }

  /**
   * Sets both counts until {@link #reset} (e.g. in a task, to the task's cores, when tasks share an
   * executor).
   */
  public static void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("native threads must be >= 1, got " + threads);
    }
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
  }
}
