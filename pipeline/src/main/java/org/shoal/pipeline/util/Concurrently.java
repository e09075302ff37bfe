package org.shoal.pipeline.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Independent Spark actions (counts, small aggregations) run at once from a few driver threads. On
 * a small input each action costs mostly the driver's planning and code generation and Spark's
 * scheduling, not work on rows, and those overlap across threads. The threads are created by the
 * caller's thread, so they inherit its Spark job description. A failed action's exception is
 * rethrown as it was thrown.
 */
public final class Concurrently implements AutoCloseable {
  private static final int THREADS = 3;
  private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

  /** A submitted action's result. */
  public static final class Result<T> {
    private final Future<T> future;

    private Result(Future<T> future) {
      this.future = future;
    }

    /** Waits for the action; rethrows its exception. */
    public T get() {
      try {
        return future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a Spark action", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        if (e.getCause() instanceof java.io.IOException io) {
          throw new java.io.UncheckedIOException(io);
        }
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  public <T> Result<T> submit(Callable<T> action) {
    return new Result<>(threads.submit(action));
  }

  /** An action without a result (a write). */
  public interface Action {
    void run() throws Exception;
  }

  /** Runs the actions at once and waits for all; rethrows the first failure, in order. */
  public static void all(Action... actions) {
    try (Concurrently concurrently = new Concurrently()) {
      List<Result<Void>> results = new ArrayList<>();
      for (Action a : actions) {
        results.add(
            concurrently.submit(
                () -> {
                  a.run();
                  return null;
                }));
      }
      results.forEach(Result::get);
    }
  }

  /** Stops the threads; actions not waited for are cancelled. */
  @Override
  public void close() {
    threads.shutdownNow();
  }
}
