package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.shoal.jobs.config.SparkConfig;
import org.shoal.pipeline.testing.SharedSpark;

/** A stage's shuffle sized to its input: small inputs get one partition per core, no AQE. */
class TestSparks {
  private final SparkSession spark = SharedSpark.session();

  private static SparkConfig config(long smallInputMb) {
    return new SparkConfig("local[2]", "shoal", Map.of(), smallInputMb * 1024 * 1024, 0, false);
  }

  @Test
  void smallInputsGetOnePartitionPerCoreAndLargeOnesTheSessionsSettingsBack() {
    String line = Sparks.fitToInput(spark, config(32), 5_000_000);
    assertThat(line).contains("small input (4.8 MB)").contains("2 shuffle partition(s)");
    assertThat(spark.conf().get("spark.sql.shuffle.partitions")).isEqualTo("2");
    assertThat(spark.conf().get("spark.sql.adaptive.enabled")).isEqualTo("false");

    assertThat(Sparks.fitToInput(spark, config(32), 40L * 1024 * 1024)).isNull();
    assertThat(spark.conf().get("spark.sql.adaptive.enabled"))
        .as("Spark 3.5's default, which the shared test session keeps")
        .isEqualTo("true");
    assertThat(spark.conf().get("spark.sql.shuffle.partitions"))
        .isEqualTo(spark.conf().get("shoal.session.spark.sql.shuffle.partitions"));

    assertThat(Sparks.fitToInput(spark, config(0), 0)).as("0 turns the rule off").isNull();
    assertThat(spark.conf().get("spark.sql.adaptive.enabled")).isEqualTo("true");
  }

  @Test
  void onlyAStageWithSomeInputUpToTheLimitCompilesWithC1Only() {
    SparkConfig fourMb = new SparkConfig("local[2]", "shoal", Map.of(), 0, 4L * 1024 * 1024, false);
    assertThat(fourMb.quickJit(1_100_000)).isTrue();
    assertThat(fourMb.quickJit(4L * 1024 * 1024)).isTrue();
    assertThat(fourMb.quickJit(4L * 1024 * 1024 + 1)).isFalse();
    assertThat(fourMb.quickJit(0)).as("no input: sized by its settings").isFalse();
    assertThat(new SparkConfig("local[2]", "shoal", Map.of(), 0, 0, false).quickJit(1)).isFalse();
  }
}
