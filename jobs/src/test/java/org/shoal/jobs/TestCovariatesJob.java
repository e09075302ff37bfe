package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.jobs.config.ConfigLoader;
import org.shoal.pipeline.testing.SharedSpark;
import org.shoal.pipeline.testing.TrackFixtures;

/**
 * `shoal covariates` from the NetCDF fixtures, then expand on tracks inside their grid, and `run`'s
 * stage list.
 */
class TestCovariatesJob {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String A = "841ca47ffffffff";
  @TempDir Path dir;

  private String inputs() {
    return "-Dcovariates.inputs=[\""
        + TrackFixtures.resource("covariates", "grid.nc")
        + "\", \""
        + TrackFixtures.resource("covariates", "bathymetry.nc")
        + "\"]";
  }

  private Path tracks() throws Exception {
    Path f = dir.resolve("tracks.csv");
    Files.writeString(
        f,
        String.join(
            "\n",
            "individual_id,timestamp,latitude,longitude",
            "f1,2020-01-01T12:00:00Z,50.02,-149.98",
            "f1,2020-01-02T12:00:00Z,50.03,-149.97",
            "f1,2020-01-03T12:00:00Z,50.02,-149.02",
            ""));
    return f;
  }

  @Test
  void netcdfToCellsThenExpandReadsThemWithTheStaticLayer() throws Exception {
    Path work = dir.resolve("work");
    Cli.Result r =
        Cli.run(
            "covariates",
            "-Dshoal.work-dir=" + work,
            inputs(),
            "-Dcovariates.variables.elevation=elevation");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("netcdf, 1 file(s), 9 grid points in the region")
        .contains("(static: no time axis)")
        .contains("variables in no input (left out): [net_primary_production, salinity]");

    JsonNode report = JSON.readTree(work.resolve("covariates/report.json").toFile());
    JsonNode grid = report.at("/inputs/0");
    assertThat(grid.at("/gridPoints").asLong()).isEqualTo(9);
    assertThat(grid.at("/gridPointDays").asLong()).isEqualTo(27);
    // thetao: the land point on three days and one fill value; mlotst: one fill value
    assertThat(grid.at("/gridPointDaysWithoutValue/temperature").asLong()).isEqualTo(4);
    assertThat(grid.at("/gridPointDaysWithoutValue/mixed_layer_thickness").asLong()).isEqualTo(1);
    assertThat(report.at("/daily/days").asLong()).isEqualTo(3);
    assertThat(report.at("/static/cells").asLong()).isGreaterThanOrEqualTo(4);

    Dataset<Row> daily =
        SharedSpark.session().read().parquet(work.resolve("covariates/daily").toString());
    assertThat(daily.columns())
        .contains("cell", "date", "temperature", "mixed_layer_thickness", "temperature_points");
    Row a1 = daily.filter("cell = '" + A + "' and date = '2020-01-01'").first();
    assertThat(a1.<Double>getAs("temperature")).isCloseTo(10.0055, within(1e-12));
    assertThat(work.resolve("covariates/daily/date=2020-01-02")).isDirectory();

    // expand on tracks inside the grid: covariates (daily and static) come from that output, by
    // default
    Cli.Result e =
        Cli.run(
            "expand",
            "-Dshoal.work-dir=" + work,
            inputs(),
            "-Dcovariates.variables.elevation=elevation",
            "-Dexpand.tracks.path=" + tracks());
    assertThat(e.code()).as(e.out() + e.err()).isZero();
    assertThat(e.out())
        .contains("covariates from " + work.resolve("covariates"))
        .contains("default covariate features [net_primary_production, salinity] left out");
    Dataset<Row> choices =
        SharedSpark.session().read().parquet(work.resolve("expand/choices").toString());
    Row chosen = choices.filter("decision = 1 and cell = '" + A + "'").first();
    assertThat(chosen.<Double>getAs("temperature")).isCloseTo(10.0055, within(1e-12));
    assertThat(chosen.<Double>getAs("elevation")).isEqualTo(-150.5);
    assertThat(choices.columns()).doesNotContain("temperature_points");
    JsonNode expand = JSON.readTree(work.resolve("expand/report.json").toFile());
    assertThat(expand.at("/decisions").asLong()).isEqualTo(2);
    assertThat(expand.at("/report/choicesRemovedWithoutCovariates").asLong()).isPositive();

    // covariates at another resolution than expand's: one sentence naming both
    Cli.Result other =
        Cli.run(
            "expand",
            "-Dshoal.work-dir=" + work,
            "-Dexpand.covariates=" + work.resolve("covariates"),
            "-Dexpand.tracks.path=" + tracks(),
            "-Dexpand.resolution=5",
            "-Dexpand.output=" + dir.resolve("e5"));
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("are on H3 cells of resolution 4, expand uses resolution 5");
  }

  @Test
  void theCopernicusExampleConfigurationWorks() throws Exception {
    Path conf = Path.of("..", "conf", "own-data", "copernicus.conf").toAbsolutePath().normalize();
    Path work = dir.resolve("copernicus");
    String inputs =
        "-Dcovariates.inputs=[\"" + TrackFixtures.resource("covariates", "grid.nc") + "\"]";
    for (String job : List.of("covariates", "expand")) {
      Cli.Result r =
          Cli.run(
              job,
              "--conf",
              conf.toString(),
              "-Dshoal.work-dir=" + work,
              inputs,
              "-Dexpand.tracks.path=" + tracks());
      assertThat(r.code()).as(job + ": " + r.out() + r.err()).isZero();
    }
    JsonNode report = JSON.readTree(work.resolve("expand/report.json").toFile());
    assertThat(report.at("/decisions").asLong()).isEqualTo(2);
    assertThat(report.at("/balances").asBoolean()).isTrue();
  }

  @Test
  void runGainsTheStageWhenInputsAreSet() throws Exception {
    RunJob plain = new RunJob();
    plain.configure(ConfigLoader.settings(null, Map.of("expand.tracks.path", tracks().toString())));
    assertThat(plain.stageNames()).doesNotContain("covariates");
    RunJob with = new RunJob();
    with.configure(
        ConfigLoader.settings(
            null,
            Map.of(
                "expand.tracks.path",
                tracks().toString(),
                "covariates.inputs",
                "[\"" + TrackFixtures.resource("covariates", "grid.nc") + "\"]")));
    assertThat(with.stageNames())
        .containsSubsequence("covariates", "expand")
        .first()
        .isEqualTo("covariates");
  }

  @Test
  void mistakesAreOneSentence() {
    Cli.Result none = Cli.run("covariates", "-Dshoal.work-dir=" + dir);
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("shoal.covariates.inputs").contains("name the gridded data");
    Cli.Result bins =
        Cli.run("covariates", "-Dshoal.work-dir=" + dir, inputs(), "-Dcovariates.feature-bin=3");
    assertThat(bins.code()).isEqualTo(2);
    assertThat(bins.err()).contains("shoal.covariates.feature-bin");
    Cli.Result missing =
        Cli.run(
            "covariates",
            "-Dshoal.work-dir=" + dir,
            "-Dcovariates.inputs=[\"" + dir.resolve("nothing.nc") + "\"]");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("nothing.nc");
  }
}
