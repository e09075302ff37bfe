package org.shoal.jobs;

import java.io.PrintStream;
import java.util.Locale;

/** Console progress: one line per stage with the elapsed time, so long jobs show where they are. */
final class Progress {
  private final String job;
  private final long start = System.nanoTime();
  private final PrintStream out = System.out;
  private long stageStart = start;

  Progress(String job) {
    this.job = job;
    // Peaks count from here, so each stage of `shoal run` reports its own.
    HeapWatch.reset();
  }

  void stage(String what) {
    stageStart = System.nanoTime();
    out.printf(Locale.ROOT, "[%s] %s ...%n", job, what);
    // The Spark UI and event logs then say which step each Spark job belongs to.
    org.apache.spark.sql.SparkSession.getActiveSession()
        .foreach(
            spark -> {
              spark.sparkContext().setJobDescription(job + ": " + what);
              return null;
            });
  }

  /** Ends the current stage; returns its duration in seconds. */
  double finished(String result) {
    double s = (System.nanoTime() - stageStart) / 1e9;
    out.printf(Locale.ROOT, "[%s]   %s (%.1f s)%n", job, result, s);
    return s;
  }

  void info(String line) {
    out.printf(Locale.ROOT, "[%s] %s%n", job, line);
  }

  /** The closing line of a job that is not one stage (`shoal run`): its time only. */
  void doneInAll() {
    out.printf(Locale.ROOT, "[%s] done in %.1f s%n", job, (System.nanoTime() - start) / 1e9);
  }

  /** A stage's closing line: its time and its heap. */
  void done() {
    out.printf(
        Locale.ROOT,
        "[%s] done in %.1f s, peak heap %.0f MB (%s)%n",
        job,
        (System.nanoTime() - start) / 1e9,
        HeapWatch.peakMb(),
        HeapWatch.peakLiveMb() > 0
            ? String.format(Locale.ROOT, "%.0f MB live after a collection", HeapWatch.peakLiveMb())
            : "no collection");
  }
}
