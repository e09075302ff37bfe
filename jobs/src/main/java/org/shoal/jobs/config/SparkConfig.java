package org.shoal.jobs.config;

import java.util.Map;

/** How shoal builds its SparkSession (see shoal.spark in reference.conf). */
public record SparkConfig(
    String master, String appName, Map<String, String> properties, long smallInputBytes) {
  public SparkConfig {
    properties = Map.copyOf(properties);
  }

  public static SparkConfig from(Settings s) {
    return new SparkConfig(
        s.string("shoal.spark.master"),
        s.string("shoal.spark.app-name"),
        s.flatStrings("shoal.spark.properties"),
        s.integer("shoal.spark.small-input-mb", 0, 1_000_000) * 1024L * 1024L);
  }
}
