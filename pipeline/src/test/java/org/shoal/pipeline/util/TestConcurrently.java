package org.shoal.pipeline.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.testing.SharedSpark;

class TestConcurrently {
  private final SparkContext spark = SharedSpark.session().sparkContext();

  @Test
  void eachResultIsItsOwnActionsAndSparkJobsRunWithTheCallersDescription() {
    spark.setJobDescription("expand: counting");
    try (Concurrently actions = new Concurrently()) {
      Concurrently.Result<Long> evens =
          actions.submit(() -> SharedSpark.session().range(0, 1000).filter("id % 2 = 0").count());
      Concurrently.Result<Long> small =
          actions.submit(() -> SharedSpark.session().range(0, 7).count());
      Concurrently.Result<String> description =
          actions.submit(() -> spark.getLocalProperty("spark.job.description"));
      assertThat(evens.get()).isEqualTo(500);
      assertThat(small.get()).isEqualTo(7);
      assertThat(description.get()).isEqualTo("expand: counting");
    } finally {
      spark.setJobDescription(null);
    }
  }

  @Test
  void allRunsEveryActionAndRethrowsAFailureAsThrown() {
    ConcurrentLinkedQueue<String> done = new ConcurrentLinkedQueue<>();
    Concurrently.all(() -> done.add("a"), () -> done.add("b"), () -> done.add("c"));
    assertThat(done).containsExactlyInAnyOrder("a", "b", "c");

    assertThatThrownBy(
            () ->
                Concurrently.all(
                    () -> done.add("d"),
                    () -> {
                      throw new IllegalArgumentException("row 3 of tracks.csv: no timestamp");
                    }))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("row 3 of tracks.csv: no timestamp");
    assertThatThrownBy(
            () ->
                Concurrently.all(
                    () -> {
                      throw new java.io.IOException("disk full");
                    }))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("disk full");
    assertThat(List.copyOf(done)).contains("d");
  }
}
