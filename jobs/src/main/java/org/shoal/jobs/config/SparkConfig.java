package org.shoal.jobs.config;

import java.util.Map;

/** How shoal builds its SparkSession (see shoal.spark in reference.conf). */
public record SparkConfig(
    String master,
    String appName,
    Map<String, String> properties,
    long smallInputBytes,
    long quickJitBytes,
    boolean planningOnC1) {
  public SparkConfig {
    properties = Map.copyOf(properties);
  }

  /**
   * Whether a stage run alone in its JVM, reading {@code inputBytes}, should compile with C1 only:
   * some input (a stage without any, such as simulate, is sized by its settings), and no more than
   * {@code quick-jit-mb}.
   */
  public boolean quickJit(long inputBytes) {
    return inputBytes > 0 && inputBytes <= quickJitBytes;
  }

  public static SparkConfig from(Settings s) {
    return new SparkConfig(
        s.string("shoal.spark.master"),
        s.string("shoal.spark.app-name"),
        s.flatStrings("shoal.spark.properties"),
        s.integer("shoal.spark.small-input-mb", 0, 1_000_000) * 1024L * 1024L,
        (long) (s.number("shoal.spark.quick-jit-mb", 0, 1_000_000) * 1024 * 1024),
        s.bool("shoal.spark.planning-on-c1"));
  }
}
