package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.testing.SharedSpark;
import org.shoal.pipeline.testing.TrackFixtures;

/**
 * A user's own tracks through the command line: no synthetic-world assumption survives, every input
 * ends in a result or one clear sentence, and results of different data never share an identity.
 */
class TestOwnTracks {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Small, fast settings; none of them names a column. */
  private static final List<String> SMALL =
      List.of(
          "-Daugment.copies=1",
          "-Dcontrasts.decisions-per-individual=10",
          "-Dcontrasts.alternatives-per-decision=3",
          "-Dtrain.hidden=[4]",
          "-Dtrain.epochs=2",
          "-Dtrain.batch-size=100",
          "-Devaluate.exemplars=1");

  @TempDir Path dir;

  private static Cli.Result shoal(List<String> base, String... more) {
    List<String> args = new ArrayList<>(base);
    args.addAll(Arrays.asList(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private Cli.Result run(String tracks, String format, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "-Dshoal.work-dir=" + dir.resolve("work"),
                "-Dexpand.tracks.path=" + tracks,
                "-Dexpand.tracks.format=" + format));
    args.addAll(SMALL);
    return shoal(args, more);
  }

  /**
   * One animal's GPE3 file, the two settings a user gives, and every default that names a synthetic
   * column.
   */
  @Test
  void aRunOnOneAnimalsGpe3FileNeverSimulatesDropsSyntheticDefaultsAndPublishes() throws Exception {
    Path work = dir.resolve("work");
    Cli.Result r = run(TrackFixtures.path("gpe3-one-animal.csv"), "gpe3");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("(not simulating the synthetic world)")
        .contains("[run] 6 of 6 stages ran")
        .contains(
            "no covariates: the default ("
                + work.resolve("world/covariates")
                + ") is the synthetic world's")
        .contains(
            "default covariate features [mixed_layer_thickness, net_primary_production, salinity, temperature] left out")
        .contains(
            "default attributes [fork_length_cm, release_region] left out: not columns of the tracks")
        .contains("default attribute features [fork_length_cm] left out")
        .contains("individuals identified by column DeployID in 1 file(s)")
        .contains("individuals with decisions per split: {train=1}")
        .contains("default noise on [salinity, mixed_layer_thickness] left out")
        .contains(
            "no validation decisions in "
                + work.resolve("contrasts")
                + ": trained for 2 epochs and kept the last")
        .contains("no reference model: the default (" + work.resolve("world/truth") + ")")
        .contains("default grouping [split, release_region] left out")
        .contains("validation: unavailable, there are no validation decisions");
    assertThat(work.resolve("world")).doesNotExist();
    assertThat(work.resolve("published/latest.json")).isRegularFile();
    JsonNode summary = JSON.readTree(work.resolve("evaluate/summary.json").toFile());
    assertThat(summary.at("/validation").asText())
        .isEqualTo("unavailable: no validation decisions");
    JsonNode report = JSON.readTree(work.resolve("expand/report.json").toFile());
    assertThat(report.at("/decisions").asLong()).isEqualTo(11);
    assertThat(report.at("/tracks/individualsFrom").asText()).isEqualTo("DeployID");
    assertThat(report.at("/report/individualsWithDecisionsBySplit/train").asLong()).isEqualTo(1);

    // The same kind of setting given explicitly, and unusable, is an error naming it.
    Cli.Result grouping =
        shoal(
            List.of(
                "evaluate",
                "-Dshoal.work-dir=" + work,
                "-Dexpand.tracks.path=" + TrackFixtures.path("gpe3-one-animal.csv")),
            "-Devaluate.group-by=[[split, release_region]]",
            "-Devaluate.output=" + dir.resolve("e2"));
    assertThat(grouping.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(grouping.err())
        .contains("shoal.evaluate.group-by [split, release_region]: no column 'release_region'");
  }

  /**
   * Tracks, attributes table and split file as a spreadsheet writes CSV where the comma is the
   * decimal separator: semicolons, decimal commas in coordinates and attributes. A timestamp in no
   * known format is shown with its file and the key to set.
   */
  @Test
  void semicolonSeparatedTracksAttributesAndSplitFileExpandWithTheirDecimalCommas()
      throws Exception {
    StringBuilder tracks = new StringBuilder("individual_id;timestamp;latitude;longitude\n");
    String[] animals = {"A", "B", "C"};
    for (int a = 0; a < animals.length; a++) {
      for (int day = 1; day <= 6; day++) {
        tracks.append(
            String.format(
                java.util.Locale.ROOT,
                "%s;2021-06-%02dT00:00:00Z;%s;%s%n",
                animals[a],
                day,
                String.valueOf(48.5 + 0.25 * day + a).replace('.', ','),
                String.valueOf(-125.5 + 0.125 * day).replace('.', ',')));
      }
    }
    // and one day-first timestamp, which no built-in format reads
    tracks.append("C;07/06/2021 00:00;51,5;-124,5\n");
    Path trackFile = Files.writeString(dir.resolve("tracks.csv"), tracks);
    Path attributes =
        Files.writeString(
            dir.resolve("attributes.csv"), "individual;fork_length_cm\nA;70,5\nB;80\nC;75,25\n");
    Path split =
        Files.writeString(
            dir.resolve("split.csv"), "individual;split\nA;train\nB;train\nC;validation\n");
    Path out = dir.resolve("expand");
    Cli.Result r =
        shoal(
            List.of(
                "expand",
                "-Dexpand.tracks.path=" + trackFile,
                "-Dexpand.attributes-table=" + attributes,
                "-Dexpand.split.file=" + split,
                "-Dexpand.output=" + out));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains(
            trackFile + " is semicolon-separated: read so, numbers with a decimal comma as numbers")
        .contains("fixes: 19 in, 1 rejected {unparseable timestamp=1}")
        .contains(
            "1 timestamp(s) did not match any built-in format, e.g. '07/06/2021 00:00' in "
                + trackFile
                + ": set shoal.expand.tracks.timestamp-format to their pattern")
        .contains("individuals with decisions per split: {train=2, validation=1}")
        .contains("f_fork_length_cm");
    java.util.Map<String, String> lengths = new java.util.TreeMap<>();
    for (org.apache.spark.sql.Row row :
        SharedSpark.session()
            .read()
            .parquet(out.resolve("choices").toString())
            .select("individual", "fork_length_cm", "split")
            .distinct()
            .collectAsList()) {
      lengths.put(row.getString(0), row.get(1) + " " + row.getString(2));
    }
    assertThat(lengths)
        .containsExactly(
            java.util.Map.entry("A", "70.5 train"),
            java.util.Map.entry("B", "80.0 train"),
            java.util.Map.entry("C", "75.25 validation"));
    JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
    assertThat(report.at("/tracks/separators/" + trackFile.toString().replace("/", "~1")).asText())
        .isEqualTo("semicolon");
  }

  @Test
  void explicitSettingsOnMissingColumnsAreStillErrors() {
    String gpe3 = TrackFixtures.path("gpe3-one-animal.csv");
    List<String> expand =
        List.of(
            "expand",
            "-Dexpand.tracks.path=" + gpe3,
            "-Dexpand.tracks.format=gpe3",
            "-Dexpand.output=" + dir.resolve("x"));
    Cli.Result attribute = shoal(expand, "-Dexpand.tracks.attributes=[fork_length_cm]");
    assertThat(attribute.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(attribute.err())
        .contains("track attribute column 'fork_length_cm' is not in " + gpe3)
        .contains("remove it from shoal.expand.tracks.attributes");

    Cli.Result covariate = shoal(expand, "-Dexpand.features.covariates.temperature=log");
    assertThat(covariate.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(covariate.err())
        .contains(
            "shoal.expand.features.covariates.temperature = log (from command line -D): covariate features need a covariates table");
  }

  @Test
  void aHeaderOnlyFileExpandsToEmptyTablesAndStopsTheRunWithOneSentence() throws Exception {
    String empty = TrackFixtures.path("header-only.csv");
    Path out = dir.resolve("expand");
    Cli.Result expand =
        shoal(List.of("expand", "-Dexpand.tracks.path=" + empty, "-Dexpand.output=" + out));
    assertThat(expand.code()).as(expand.err()).isZero();
    assertThat(expand.out()).contains("no decisions: the tracks have no rows");
    JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
    assertThat(report.at("/decisions").asLong()).isZero();
    assertThat(report.at("/noDecisions").asText()).isEqualTo("the tracks have no rows");
    assertThat(report.at("/balances").asBoolean()).isTrue();
    assertThat(SharedSpark.session().read().parquet(out.resolve("choices").toString()).columns())
        .contains("individual", "decision", "selected", "split", "f_distance");
    assertThat(SharedSpark.session().read().parquet(out.resolve("dropped").toString()).columns())
        .contains("distance_moved_km");

    Cli.Result run = run(empty, "csv");
    assertThat(run.code()).isEqualTo(Shoal.EXIT_FAILED);
    assertThat(run.err())
        .startsWith(
            "shoal run failed: expand found no decisions (the tracks have no rows); see "
                + dir.resolve("work/expand/report.json"));
    assertThat(run.out()).doesNotContain("[run] stage augment");
  }

  @Test
  void animalsWithOnePositionEachGiveZeroDecisionsAndSayWhy() throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("single.csv"),
            "individual_id,timestamp,latitude,longitude\nA,2021-01-01,10,10\nB,2021-01-01,11,11\n");
    Path out = dir.resolve("expand");
    Cli.Result expand =
        shoal(List.of("expand", "-Dexpand.tracks.path=" + f, "-Dexpand.output=" + out));
    assertThat(expand.code()).isZero();
    assertThat(JSON.readTree(out.resolve("report.json").toFile()).at("/noDecisions").asText())
        .isEqualTo(
            "no individual has two positions one step apart (2 positions in 2 segments of 2 individuals)");
  }

  @Test
  void aCovariatesTableWithTwoRowsForOneCellAndDayIsOneSentenceNamingThem() throws Exception {
    Path tracks =
        Files.writeString(
            dir.resolve("two-days.csv"),
            "individual_id,timestamp,latitude,longitude\nA,2021-01-01,10,10\nA,2021-01-02,10,10\n");
    String cell =
        org.shoal.pipeline.h3.H3Cells.address(org.shoal.pipeline.h3.H3Cells.cellOf(10, 10, 4));
    Path covariates =
        Files.writeString(
            dir.resolve("covariates.csv"),
            "cell,date,sst\n"
                + cell
                + ",2021-01-01,10.5\n"
                + cell
                + ",2021-01-02,10.7\n"
                + cell
                + ",2021-01-02,10.9\n");
    Cli.Result r =
        shoal(
            List.of(
                "expand",
                "-Dexpand.tracks.path=" + tracks,
                "-Dexpand.covariates=" + covariates,
                "-Dexpand.output=" + dir.resolve("dup")));
    assertThat(r.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith(
            "shoal expand: the covariates at "
                + covariates
                + " have 2 rows for cell "
                + cell
                + " on 2021-01-02: one row per cell and day is needed");
  }

  @Test
  void aTextFileNamedParquetIsOneLineNamingTheFile() {
    String fake = TrackFixtures.path("fake.parquet");
    Cli.Result r =
        shoal(
            List.of(
                "expand",
                "-Dexpand.tracks.path=" + fake,
                "-Dexpand.tracks.format=parquet",
                "-Dexpand.output=" + dir.resolve("x")));
    assertThat(r.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).startsWith("shoal expand: track file " + fake + " is not a Parquet file");
  }

  @Test
  void aDarwinCoreOtnExportReadsAsIsAndTheReportSaysWhichColumnIdentifiedAnimals()
      throws Exception {
    Path out = dir.resolve("otn");
    Cli.Result r =
        shoal(
            List.of(
                "expand",
                "-Dexpand.tracks.path=" + TrackFixtures.path("otn-qualified.csv"),
                "-Dexpand.tracks.format=otn",
                "-Dexpand.output=" + out));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("individuals identified by column tagName (catalogNumber is unique per row");
    JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
    assertThat(report.at("/tracks/columns/individual").asText()).isEqualTo("tagName");
    assertThat(report.at("/tracks/columns/latitude").asText()).isEqualTo("decimalLatitude");
    assertThat(report.at("/report/individuals").asLong()).isEqualTo(2);
    assertThat(report.at("/decisions").asLong()).isEqualTo(5);
  }

  /**
   * Same configuration, data at resolution 4 and 6: two run ids, and a resolution-4 model refuses
   * resolution-6 data.
   */
  @Test
  void modelsOfDifferentDataHaveDifferentIdsAndInferRefusesOtherChoiceSets() throws Exception {
    String tracks = TrackFixtures.path("mixed-columns");
    for (int resolution : new int[] {4, 6}) {
      Path expand = dir.resolve("expand" + resolution);
      assertThat(
              shoal(
                      List.of(
                          "expand",
                          "-Dexpand.tracks.path=" + tracks,
                          "-Dexpand.output=" + expand,
                          "-Dexpand.resolution=" + resolution,
                          "-Dexpand.split.validation-fraction=0"))
                  .code())
          .isZero();
      Cli.Result train =
          shoal(
              List.of(
                  "train",
                  "-Dtrain.input=" + expand,
                  "-Dtrain.output=" + dir.resolve("train" + resolution),
                  "-Dtrain.hidden=[4]",
                  "-Dtrain.epochs=1"));
      assertThat(train.code()).as(train.err()).isZero();
    }
    String id4 = JSON.readTree(dir.resolve("train4/best.json").toFile()).at("/runId").asText();
    String id6 = JSON.readTree(dir.resolve("train6/best.json").toFile()).at("/runId").asText();
    assertThat(id4).isNotEqualTo(id6);

    Cli.Result infer =
        shoal(
            List.of(
                "infer",
                "-Dinfer.model=" + dir.resolve("train4/best.json"),
                "-Dinfer.decisions=" + dir.resolve("expand6"),
                "-Dinfer.contrasts=",
                "-Dinfer.output=" + dir.resolve("infer")));
    assertThat(infer.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(infer.err())
        .contains(
            "was trained on choices with resolution 4, radius 100 km, step 1d, but "
                + dir.resolve("expand6")
                + " has resolution 6, radius 100 km, step 1d");
  }

  /**
   * The README's configuration for each format, on data of that shape: each expands to decisions.
   */
  @Test
  void theExampleConfigurationsWorkOnDataOfTheirFormat() throws Exception {
    Path parquet = dir.resolve("own.parquet");
    SharedSpark.session()
        .read()
        .option("header", true)
        .csv(TrackFixtures.path("own.csv"))
        .write()
        .parquet(parquet.toString());
    Path conf = Path.of("..", "conf", "own-data").toAbsolutePath().normalize();
    String[][] cases = {
      {"csv.conf", TrackFixtures.path("own.csv"), "5"},
      {"parquet.conf", parquet.toString(), "5"},
      {"gpe3.conf", TrackFixtures.path("gpe3-one-animal.csv"), "12"},
      {"otn.conf", TrackFixtures.path("otn-matched.csv"), "4"},
      {"otn.conf", TrackFixtures.path("otn-qualified.csv"), "7"},
    };
    for (String[] c : cases) {
      Path out = dir.resolve("expand-" + c[0] + "-" + Path.of(c[1]).getFileName());
      Cli.Result r =
          shoal(
              List.of(
                  "expand",
                  "--conf",
                  conf.resolve(c[0]).toString(),
                  "-Dexpand.tracks.path=" + c[1],
                  "-Dexpand.output=" + out));
      assertThat(r.code()).as(c[0] + " on " + c[1] + ": " + r.err()).isZero();
      JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
      assertThat(report.at("/report/fixesIn").asText()).as(c[0]).isEqualTo(c[2]);
      assertThat(report.at("/report/fixesRejected").size()).as(c[0]).isZero();
      assertThat(report.at("/decisions").asLong()).as(c[0]).isPositive();
      assertThat(report.at("/balances").asBoolean()).isTrue();
    }
  }
}
