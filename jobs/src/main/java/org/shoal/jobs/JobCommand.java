package org.shoal.jobs;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.shoal.jobs.config.ConfigLoader;
import org.shoal.jobs.config.Settings;
import org.shoal.jobs.config.SparkConfig;
import picocli.CommandLine.Option;

/**
 * What every job shares: {@code --conf FILE}, {@code -Dkey=value} overrides, config validation before Spark
 * starts, and one SparkSession for the job.
 */
abstract class JobCommand implements Callable<Integer> {
  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description = "HOCON file overriding reference.conf (e.g. conf/demo.conf).")
  Path confFile;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "Override one config key, e.g. -Dshoal.simulate.seed=7 (the shoal. prefix is optional).")
  Map<String, String> overrides = new LinkedHashMap<>();

  /** Validates this job's part of the config; called before any Spark work so mistakes fail in milliseconds. */
  protected abstract void configure(Settings settings);

  protected abstract void run(SparkSession spark, Progress progress) throws Exception;

  protected abstract String jobName();

  /** Whether this job is one pipeline stage with a marker (every job but `run`). */
  protected boolean recordsStage() {
    return true;
  }

  /** The folder this job writes; `shoal run` keeps the stage's fingerprint there. */
  protected abstract String output();

  /** The files and folders this job reads; their listings are part of the stage's fingerprint. */
  protected abstract java.util.List<String> inputs();

  /** This job as a stage of the pipeline, for its marker and fingerprint. */
  Stages.Stage stage() {
    return new Stages.Stage(jobName(), output(), inputs());
  }

  @Override
  public Integer call() throws Exception {
    Settings settings = ConfigLoader.settings(confFile, overrides);
    Config config = settings.config();
    SparkConfig sparkConfig = SparkConfig.from(settings);
    configure(settings);
    Progress progress = new Progress(jobName());
    // A session that already exists (tests, notebooks, `shoal run`) belongs to its creator: use it, leave it open.
    boolean borrowed = SparkSession.getDefaultSession().isDefined();
    SparkSession spark = Sparks.session(sparkConfig, jobName());
    try {
      if (recordsStage()) {
        // A job run on its own also keeps its stage marker true, so `shoal run` never skips over its outputs.
        Stages.forget(spark, stage());
        long t0 = System.nanoTime();
        run(spark, progress);
        Stages.record(spark, config, stage(), Stages.fingerprint(spark, config, stage()), (System.nanoTime() - t0) / 1e9);
      } else {
        run(spark, progress);
      }
    } finally {
      if (!borrowed) {
        spark.stop();
      }
    }
    progress.done();
    return 0;
  }
}
