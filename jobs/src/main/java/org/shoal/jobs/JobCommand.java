package org.shoal.jobs;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.shoal.jobs.config.ConfigLoader;
import org.shoal.jobs.config.Settings;
import org.shoal.jobs.config.SparkConfig;
import org.shoal.jobs.config.StageConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What every job shares: {@code --conf FILE}, {@code -Dkey=value} overrides, its configuration
 * parsed and validated before Spark starts, one SparkSession, and its stage marker. A job is its
 * {@code @Command} name, a config parser and {@link #run}.
 */
// --help and --version on every job
@Command(mixinStandardHelpOptions = true, versionProvider = Shoal.VersionProvider.class)
abstract class JobCommand<C extends StageConfig> implements Callable<Integer> {
  private final Function<Settings, C> parse;

  /** This job's validated configuration (set by {@link #configure}). */
  protected C config;

  /**
   * Whether this job runs alone in a JVM bin/shoal started with C1 only ({@link
   * QuickJit#startedOnC1}), where work too large for C1 throws {@link RestartWithC2}.
   */
  protected boolean onC1;

  /**
   * Thrown when a JVM started on C1 reaches work too large for it: the job stops, exits with {@link
   * Shoal#EXIT_RESTART_WITH_C2}, and bin/shoal starts it again with both compilers. The message
   * says what was too large.
   */
  static final class RestartWithC2 extends RuntimeException {
    RestartWithC2(String why) {
      super(why, null, false, false);
    }
  }

  protected JobCommand(Function<Settings, C> parse) {
    this.parse = parse;
  }

  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description = "HOCON file overriding reference.conf (e.g. conf/demo.conf).")
  Path confFile;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description =
          "Override one config key, e.g. -Dshoal.simulate.seed=7 (the shoal. prefix is optional).")
  Map<String, String> overrides = new LinkedHashMap<>();

  /**
   * Validates this job's part of the config; called before any Spark work so mistakes fail in
   * milliseconds.
   */
  final void configure(Settings settings) {
    config = parse.apply(settings);
  }

  protected abstract void run(SparkSession spark, Progress progress) throws Exception;

  /** The job's command name, e.g. {@code expand}. */
  final String jobName() {
    return getClass().getAnnotation(Command.class).name();
  }

  /** Whether this job is one pipeline stage with a marker (every job but `run`). */
  protected boolean recordsStage() {
    return true;
  }

  /** This job as a stage of the pipeline, for its marker and fingerprint. */
  Stages.Stage stage() {
    return new Stages.Stage(jobName(), config.output(), config.inputs());
  }

  /**
   * Why this job, started on C1 only, must start again with both compilers ({@link
   * QuickJit#restartWithC2}), or null when its inputs are small enough for C1.
   */
  String tooLargeForC1(SparkConfig sparkConfig) {
    return tooLargeForC1(
        sparkConfig, config.inputs().isEmpty() ? 0 : inputBytesBeforeSpark(sparkConfig));
  }

  /**
   * {@link #tooLargeForC1(SparkConfig)} for inputs already listed ({@code inputBytes}, negative
   * when they could not be): the one wording, before Spark starts and before each stage of a run.
   */
  String tooLargeForC1(SparkConfig sparkConfig, long inputBytes) {
    if (config.inputs().isEmpty()) {
      return "sized by its settings, not by inputs";
    }
    return QuickJit.tooLarge(sparkConfig, inputBytes);
  }

  /**
   * Says why this JVM stops, and the exit code asking bin/shoal to start it with both compilers.
   */
  private static int restartWithC2(Progress progress, String why) {
    progress.info(why + ": starting again with both JIT compilers");
    return Shoal.EXIT_RESTART_WITH_C2;
  }

  /**
   * The bytes of this stage's inputs, listed before Spark starts ({@link Stages#bytes}), with the
   * Hadoop settings given as spark.hadoop.* properties; -1 when they cannot be listed.
   */
  long inputBytesBeforeSpark(SparkConfig sparkConfig) {
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    String prefix = "spark.hadoop.";
    sparkConfig
        .properties()
        .forEach(
            (k, v) -> {
              if (k.startsWith(prefix)) {
                hadoop.set(k.substring(prefix.length()), v);
              }
            });
    try {
      long bytes = 0;
      for (String input : config.inputs()) {
        bytes += Stages.bytes(input, hadoop);
      }
      return bytes;
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Sizes the session's shuffle to this stage's input ({@link Sparks#fitToInput}), saying so. */
  static void fitSessionToInput(
      SparkSession spark, SparkConfig sparkConfig, long inputBytes, Progress progress) {
    String chosen = Sparks.fitToInput(spark, sparkConfig, inputBytes);
    if (chosen != null) {
      progress.info(chosen);
    }
  }

  @Override
  public Integer call() throws Exception {
    Settings settings = ConfigLoader.settings(confFile, overrides);
    Config config = settings.config();
    SparkConfig sparkConfig = SparkConfig.from(settings);
    configure(settings);
    Progress progress = new Progress(jobName());
    // A session that already exists (tests, notebooks, `shoal run`) belongs to its creator: use it,
    // leave it open.
    boolean borrowed = SparkSession.getDefaultSession().isDefined();
    onC1 = !borrowed && QuickJit.startedOnC1();
    if (onC1) {
      String tooLarge = tooLargeForC1(sparkConfig);
      if (tooLarge != null) {
        return restartWithC2(progress, tooLarge);
      }
      if (!recordsStage()) {
        progress.info("small input: compiling with C1 only (shoal.spark.quick-jit-mb)");
      }
    }
    // A stage alone in its JVM: `shoal run` reuses the planner's code over many stages, where C2's
    // work pays off (its demo measured no gain)
    if (!borrowed && recordsStage() && sparkConfig.planningOnC1()) {
      QuickJit.planningOnC1(); // where this JVM cannot, C2 compiles it as before
    }
    SparkSession spark = Sparks.session(sparkConfig, jobName());
    try {
      if (recordsStage()) {
        // A job run on its own also keeps its stage marker true, so `shoal run` never skips over
        // its outputs.
        Stages.forget(spark, stage());
        Stages.Listing inputs = Stages.Listing.of(spark, stage());
        fitSessionToInput(spark, sparkConfig, inputs.bytes(), progress);
        // only in a JVM of its own: code C1 compiled this way is never recompiled by C2
        if (!borrowed && sparkConfig.quickJit(inputs.bytes()) && QuickJit.c1Only()) {
          progress.info("small input: compiling with C1 only (shoal.spark.quick-jit-mb)");
        }
        long t0 = System.nanoTime();
        run(spark, progress);
        Stages.record(
            spark,
            config,
            stage(),
            Stages.fingerprint(config, stage(), inputs),
            Stages.Measures.of(t0, inputs.bytes()));
      } else {
        run(spark, progress);
      }
    } catch (RestartWithC2 restart) {
      return restartWithC2(progress, restart.getMessage());
    } finally {
      if (!borrowed) {
        spark.stop();
      }
    }
    if (recordsStage()) {
      progress.done();
    } else {
      progress.doneInAll(); // each stage printed its own heap
    }
    return 0;
  }
}
