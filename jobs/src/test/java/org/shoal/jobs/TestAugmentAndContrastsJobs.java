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
    // the stay-put win rate and the decisions per split, counted by hand from the pairs
    long stays = 0;
    long stayWins = 0;
    java.util.Map<String, java.util.Set<String>> decisions = new java.util.TreeMap<>();
    for (Row r : pairs.collectAsList()) {
      boolean stay = r.getAs(Cols.CELL).equals(r.getAs(Cols.ORIGIN_CELL));
      stays += stay ? 1 : 0;
      stayWins += stay && r.<Boolean>getAs(Cols.SELECTED) ? 1 : 0;
      decisions
          .computeIfAbsent(r.getAs("split"), k -> new java.util.HashSet<>())
          .add(r.getAs(Cols.INDIVIDUAL) + "/" + r.getAs(Cols.DECISION));
    }
    assertThat(report.at("/stayPutWinRate").asDouble())
        .isEqualTo(stayWins / (double) stays)
        .isBetween(0.5, 1.0);
    decisions.forEach(
        (split, ids) ->
            assertThat(report.at("/splits/" + split + "/decisions").asLong())
                .isEqualTo(ids.size()));
  }
}
