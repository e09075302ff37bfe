package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

/** `shoal expand` from the command line on a small simulated world. */
class TestExpandJob {
  @TempDir Path dir;
  private final SparkSession spark = SharedSpark.session();
  private static final ObjectMapper JSON = new ObjectMapper();

  private String[] expand(Path world, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "expand",
                "-Dexpand.tracks.path=" + world.resolve("tracks.csv"),
                "-Dexpand.covariates=" + world.resolve("covariates"),
                "-Dexpand.output=" + out));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void writesChoicesReportAndManifestAndReusesNormalisation() throws Exception {
    Path world = dir.resolve("world");
    assertThat(Shoal.execute(TestSimulateJob.smallWorld(world, "3"))).isZero();
    Path first = dir.resolve("first");
    assertThat(Shoal.execute(expand(world, first))).isZero();

    JsonNode report = JSON.readTree(first.resolve("report.json").toFile());
    JsonNode truth = JSON.readTree(world.resolve("report.json").toFile());
    // the marker says what the stage read (tracks and covariates, every file) and that heap was
    // used
    JsonNode marker = JSON.readTree(first.resolve(Stages.MARKER).toFile());
    long bytes = Files.size(world.resolve("tracks.csv"));
    try (var files = Files.walk(world.resolve("covariates"))) {
      // Hadoop's local file system hides its .crc checksum files
      bytes +=
          files
              .filter(f -> Files.isRegularFile(f) && !f.getFileName().toString().startsWith("."))
              .mapToLong(f -> f.toFile().length())
              .sum();
    }
    assertThat(marker.at("/inputMb").asDouble())
        .isCloseTo(bytes / 1048576.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(marker.at("/peakHeapMb").asDouble()).isPositive();
    assertThat(marker.at("/peakLiveHeapMb").asDouble())
        .isBetween(0.0, marker.at("/peakHeapMb").asDouble());
    assertThat(report.at("/balances").asBoolean()).isTrue();
    assertThat(report.at("/report/decisions").asLong())
        .isEqualTo(truth.at("/summary/steps").asLong());
    assertThat(report.at("/report/choiceRows").asLong())
        .isEqualTo(truth.at("/summary/choiceRows").asLong());
    assertThat(report.at("/report/stayPutRate").asDouble())
        .isEqualTo(truth.at("/summary/stayPutRate").asDouble());

    assertThat(first.resolve("choices/split=train")).isDirectory();
    assertThat(first.resolve("choices/split=validation")).isDirectory();
    assertThat(
            Files.list(first.resolve("choices/split=train")).map(p -> p.getFileName().toString()))
        .allMatch(n -> n.startsWith("bucket="));
    Dataset<Row> choices = spark.read().parquet(first.resolve("choices").toString());
    assertThat(choices.count()).isEqualTo(report.at("/report/choiceRows").asLong());
    assertThat(choices.select(Cols.INDIVIDUAL, "split").distinct().count())
        .as("an individual is on one side only")
        .isEqualTo(choices.select(Cols.INDIVIDUAL).distinct().count());
    // each file in id order, each decision's choices numbered 1, 2, ... in cell order (one sort
    // serves the numbering and the write)
    try (var files = Files.walk(first.resolve("choices"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        List<Row> rows =
            spark
                .read()
                .parquet(f.toString())
                .select(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE, Cols.CELL)
                .collectAsList();
        for (int i = 1; i < rows.size(); i++) {
          Row a = rows.get(i - 1);
          Row b = rows.get(i);
          boolean sameDecision =
              a.getString(0).equals(b.getString(0)) && a.getInt(1) == b.getInt(1);
          if (sameDecision) {
            assertThat(b.getInt(2)).as("%s", b).isEqualTo(a.getInt(2) + 1);
            assertThat(b.getString(3)).isGreaterThan(a.getString(3));
          } else {
            assertThat(b.getInt(2)).as("%s", b).isEqualTo(1);
            assertThat(
                    a.getString(0).compareTo(b.getString(0)) < 0
                        || (a.getString(0).equals(b.getString(0)) && a.getInt(1) < b.getInt(1)))
                .as("%s before %s in %s", a, b, f)
                .isTrue();
          }
        }
      }
    }
    // the sample: decisions 1 to 5 of the individuals in the first individual's folder, whole
    Row firstRow = choices.orderBy(Cols.INDIVIDUAL).select("split", "bucket").first();
    Dataset<Row> folder =
        choices.filter(
            functions
                .col("split")
                .equalTo(firstRow.getString(0))
                .and(functions.col("bucket").equalTo(firstRow.getInt(1)))
                .and(functions.col(Cols.DECISION).leq(5)));
    Dataset<Row> sample =
        spark.read().option("header", true).csv(first.resolve("sample-choices.csv").toString());
    assertThat(sample.count()).isEqualTo(Math.min(2000, folder.count())).isPositive();
    assertThat(
            sample
                .select(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE)
                .except(
                    folder.selectExpr(
                        Cols.INDIVIDUAL,
                        "cast(" + Cols.DECISION + " as string)",
                        "cast(" + Cols.CHOICE + " as string)"))
                .count())
        .isZero();
    assertThat(Files.readAllLines(first.resolve("splits.csv")).get(0))
        .isEqualTo("individual,split");

    JsonNode manifest = JSON.readTree(first.resolve("features.json").toFile());
    assertThat(manifest.at("/features").toString())
        .contains("f_distance", "f_temperature", "f_fork_length_cm");
    double trainMean = manifest.at("/statistics/temperature/mean").asDouble();

    // another split, but the first run's statistics
    Path second = dir.resolve("second");
    assertThat(
            Shoal.execute(
                expand(
                    world,
                    second,
                    "-Dexpand.split.seed=99",
                    "-Dexpand.normalisation-from=" + first.resolve("features.json"))))
        .isZero();
    JsonNode reused = JSON.readTree(second.resolve("features.json").toFile());
    assertThat(reused.at("/statistics/temperature/mean").asDouble()).isEqualTo(trainMean);
    assertThat(reused.at("/split/seed").asLong()).isEqualTo(99);
  }

  @Test
  void tracksWithoutCovariatesNeedOnlyNullFeatureMaps() throws Exception {
    Path world = dir.resolve("world");
    assertThat(Shoal.execute(TestSimulateJob.smallWorld(world, "4"))).isZero();
    Path out = dir.resolve("plain");
    SmallWorlds.run(
        "expand",
        "tracks.path=" + world.resolve("tracks.csv"),
        "covariates=",
        "features.covariates=null",
        "tracks.attributes=[fork_length_cm]",
        "output=" + out);
    JsonNode manifest = JSON.readTree(out.resolve("features.json").toFile());
    assertThat(manifest.at("/features").toString())
        .doesNotContain("temperature")
        .contains("f_fork_length_cm");
  }
}
