package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

class TestSimulateJob {
  @TempDir Path dir;
  private final SparkSession spark = SharedSpark.session();

  static String[] smallWorld(Path out, String seed) {
    return new String[] {
      "simulate",
      "-Dshoal.simulate.output=" + out,
      "-Dsimulate.seed=" + seed,
      "-Dsimulate.individuals=10",
      "-Dsimulate.min-days=10",
      "-Dsimulate.max-days=20",
      "-Dsimulate.region.min-lat=52",
      "-Dsimulate.region.max-lat=56",
      "-Dsimulate.region.min-lon=-150",
      "-Dsimulate.region.max-lon=-140",
      "-Dsimulate.individuals-per-partition=3"
    };
  }

  /**
   * Data files by relative path -> content digest (Spark's part-file names carry a random job id).
   */
  private static TreeMap<String, String> contents(Path root) throws IOException {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        // the stage marker, like report.json, records when and how fast the run went
        if (name.startsWith(".") || name.equals("_SUCCESS") || name.equals(Stages.MARKER)) {
          continue;
        }
        String rel = root.relativize(f).toString().replaceAll("part-(\\d+)-[0-9a-f-]+", "part-$1");
        out.put(rel, sha256(Files.readAllBytes(f)));
      }
    }
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void writesTracksCovariatesTruthAndAReportAndTheSameSeedGivesIdenticalBytes() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path c = dir.resolve("c");
    assertThat(Shoal.execute(smallWorld(a, "5"))).isZero();
    assertThat(Shoal.execute(smallWorld(b, "5"))).isZero();
    assertThat(Shoal.execute(smallWorld(c, "6"))).isZero();

    assertThat(a.resolve("tracks.csv")).isRegularFile();
    List<String> header = Files.readAllLines(a.resolve("tracks.csv")).subList(0, 2);
    assertThat(header.get(0))
        .isEqualTo("individual_id,timestamp,latitude,longitude,fork_length_cm,release_region");
    assertThat(header.get(1)).startsWith("sim-00000,").contains("T00:00:00Z");

    TreeMap<String, String> filesA = contents(a);
    assertThat(filesA.keySet())
        .contains("tracks.csv", "report.json")
        .anyMatch(k -> k.startsWith("truth/part-"))
        .anyMatch(k -> k.startsWith("covariates/part-"))
        .anyMatch(k -> k.startsWith("cells/part-"));
    filesA.remove("report.json"); // it records the speed of the run
    TreeMap<String, String> filesB = contents(b);
    filesB.remove("report.json");
    assertThat(filesB).isEqualTo(filesA);
    assertThat(contents(c).get("tracks.csv")).isNotEqualTo(filesA.get("tracks.csv"));

    JsonNode report = new ObjectMapper().readTree(a.resolve("report.json").toFile());
    Dataset<Row> truth = spark.read().parquet(a.resolve("truth").toString());
    long steps = truth.filter(Cols.SELECTED).count();
    assertThat(report.at("/summary/steps").asLong()).isEqualTo(steps);
    assertThat(report.at("/summary/individuals").asLong()).isEqualTo(10);
    long positions = Files.readAllLines(a.resolve("tracks.csv")).size() - 1;
    assertThat(positions).isEqualTo(steps + 10);
    assertThat(report.at("/stepsPerSecond").asDouble()).isPositive();
  }
}
