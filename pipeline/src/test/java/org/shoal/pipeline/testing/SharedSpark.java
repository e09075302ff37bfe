package org.shoal.pipeline.testing;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for the whole test JVM: local[2], 2 shuffle partitions, no UI, UTC,
 * loopback.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("shoal-tests")
              .config("spark.sql.shuffle.partitions", 2)
              .config("spark.default.parallelism", 2)
              .config("spark.ui.enabled", false)
              .config("spark.ui.showConsoleProgress", false)
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
