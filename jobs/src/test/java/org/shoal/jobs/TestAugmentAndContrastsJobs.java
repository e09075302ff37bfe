package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

/** `shoal augment` then `shoal contrasts` from the command line on a small simulated world. */
class TestAugmentAndContrastsJobs {
  @TempDir Path dir;
  private final SparkSession spark = SharedSpark.session();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void augmentsTrainingFishOnlyAndSamplesBalancedContrasts() throws Exception {
    Path world = dir.resolve("world");
    Path expand = dir.resolve("expand");
    Path augment = dir.resolve("augment");
    Path contrasts = dir.resolve("contrasts");
    SmallWorlds.simulateAndExpand(world, expand, "8");
    SmallWorlds.run("augment", "input=" + expand, "output=" + augment, "copies=2");
    SmallWorlds.run(
        "contrasts",
        "input=" + augment,
        "output=" + contrasts,
        "decisions-per-individual=30",
        "alternatives-per-decision=4");

    Dataset<Row> before = spark.read().parquet(expand.resolve("choices").toString());
    long trainRows = before.filter(col("split").equalTo("train")).count();
    JsonNode augmented = JSON.readTree(augment.resolve("report.json").toFile());
    assertThat(augmented.at("/rowsOut").asLong()).isEqualTo(before.count() + 2 * trainRows);
    assertThat(augmented.at("/trainingIndividualsOut").asLong())
        .isEqualTo(3 * augmented.at("/trainingIndividualsIn").asLong());
    assertThat(augmented.at("/after/salinity/std").asDouble())
        .isGreaterThan(augmented.at("/before/salinity/std").asDouble());
    assertThat(augment.resolve("features.json")).isRegularFile();

    Dataset<Row> pairs = spark.read().parquet(contrasts.resolve("choices").toString());
    List<Row> validationIds =
        pairs
            .filter(col("split").equalTo("validation"))
            .select(Cols.INDIVIDUAL)
            .distinct()
            .collectAsList();
    List<Row> expectedValidation =
        before
            .filter(col("split").equalTo("validation"))
            .select(Cols.INDIVIDUAL)
            .distinct()
            .collectAsList();
    assertThat(validationIds).containsExactlyInAnyOrderElementsOf(expectedValidation);
    assertThat(
            pairs
                .filter(col(Cols.INDIVIDUAL).contains("~aug"))
                .filter(col("split").notEqual("train"))
                .count())
        .isZero();

    JsonNode report = JSON.readTree(contrasts.resolve("report.json").toFile());
    for (String split : List.of("train", "validation")) {
      assertThat(report.at("/splits/" + split + "/minDecisionsPerIndividual").asLong())
          .isEqualTo(120);
      assertThat(report.at("/splits/" + split + "/maxDecisionsPerIndividual").asLong())
          .isEqualTo(120);
    }
    assertThat(report.at("/rows").asLong()).isEqualTo(pairs.count());
    assertThat(report.at("/stayPutWinRate").asDouble()).isBetween(0.5, 1.0);
  }
}
