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
}
