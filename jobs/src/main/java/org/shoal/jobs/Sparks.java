package org.shoal.jobs;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.shoal.jobs.config.SparkConfig;

/** The one place that builds a SparkSession. */
final class Sparks {
  private Sparks() {}

  /**
   * spark-submit's settings (system properties) win over shoal's config, so the same jar runs
   * unchanged on a cluster; without spark-submit, shoal.spark.master (local[*] by default) applies.
   */
  static SparkSession session(SparkConfig config, String job) {
    SparkConf submitted = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder();
    if (!submitted.contains("spark.master")) {
      builder.master(config.master());
    }
    if (!submitted.contains("spark.app.name")) {
      builder.appName(config.appName() + " " + job);
    }
    config
        .properties()
        .forEach(
            (k, v) -> {
              if (!submitted.contains(k)) {
                builder.config(k, v);
              }
            });
    return builder.getOrCreate();
  }

  private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
  private static final String ADAPTIVE = "spark.sql.adaptive.enabled";

  /**
   * Sizes the session's SQL settings to a stage's input: at most {@code smallInputBytes}, one
   * shuffle partition per core and no adaptive execution (on small data each job's and task's fixed
   * cost dominates); otherwise the session's own settings, restored if a small stage changed them.
   * Returns a line saying what was chosen, or null when the settings are the session's.
   */
  static String fitToInput(SparkSession spark, SparkConfig config, long inputBytes) {
    var conf = spark.conf();
    String shuffleKey = "shoal.session." + SHUFFLE_PARTITIONS;
    String adaptiveKey = "shoal.session." + ADAPTIVE;
    // The session's own values, remembered the first time so a later large stage gets them back.
    if (!conf.contains(shuffleKey)) {
      conf.set(shuffleKey, conf.get(SHUFFLE_PARTITIONS));
      conf.set(adaptiveKey, conf.get(ADAPTIVE));
    }
    SparkConf submitted = new SparkConf();
    if (submitted.contains(SHUFFLE_PARTITIONS) || submitted.contains(ADAPTIVE)) {
      return null; // spark-submit's settings win, as everywhere
    }
    if (config.smallInputBytes() > 0 && inputBytes <= config.smallInputBytes()) {
      int cores = Math.max(1, spark.sparkContext().defaultParallelism());
      conf.set(SHUFFLE_PARTITIONS, String.valueOf(cores));
      conf.set(ADAPTIVE, "false");
      return String.format(
          java.util.Locale.ROOT,
          "small input (%.1f MB): %d shuffle partition(s), adaptive execution off",
          inputBytes / 1048576.0,
          cores);
    }
    conf.set(SHUFFLE_PARTITIONS, conf.get(shuffleKey));
    conf.set(ADAPTIVE, conf.get(adaptiveKey));
    return null;
  }
}
