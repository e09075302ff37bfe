package org.shoal.jobs.config;

import java.util.Map;

/** How shoal builds its SparkSession (see shoal.spark in reference.conf). */
public record SparkConfig(String master, String appName, Map<String, String> properties) {
  public SparkConfig {
    properties = Map.copyOf(properties);
  }

  public static SparkConfig from(Settings s) {
    return new SparkConfig(
        s.string("shoal.spark.master"),
        s.string("shoal.spark.app-name"),
        s.flatStrings("shoal.spark.properties"));
  }
}
