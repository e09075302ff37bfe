package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `shoal import` on a plain choice table, then train, infer and evaluate with their defaults. */
class TestImportJob {
  private final org.apache.spark.sql.SparkSession spark =
      org.shoal.pipeline.testing.SharedSpark.session();

  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  /**
   * A multinomial logit: 3 alternatives, utility 0.5*[bus] - 0.8*[train] - 0.3*cost, 400 decisions.
   */
  private Path simulatedTable() throws Exception {
    Random rng = new Random(7);
    StringBuilder csv = new StringBuilder("ID,Mode,Cost,Chosen\n");
    String[] modes = {"car", "bus", "train"};
    for (int d = 1; d <= 400; d++) {
      double[] cost = new double[3];
      double[] u = new double[3];
      double z = 0;
      for (int j = 0; j < 3; j++) {
        cost[j] = 1 + 9 * rng.nextDouble();
        u[j] = Math.exp((j == 1 ? 0.5 : j == 2 ? -0.8 : 0) - 0.3 * cost[j]);
        z += u[j];
      }
      double r = rng.nextDouble() * z;
      int chosen = r < u[0] ? 0 : r < u[0] + u[1] ? 1 : 2;
      for (int j = 0; j < 3; j++) {
        csv.append(
            String.format(
                java.util.Locale.ROOT,
                "%d,%s,%.3f,%s%n",
                d,
                modes[j],
                cost[j],
                j == chosen ? "yes" : "no"));
      }
    }
    csv.append("401,car,abc,yes\n401,bus,2.0,no\n");
    return Files.writeString(dir.resolve("modes.csv"), csv.toString());
  }

  /**
   * Imports {@link #simulatedTable}'s columns from {@code table}; checks that it ran and named the
   * bad row.
   */
  private static void importModes(Path table, Path output, String... more) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "import",
                "-Dimport.path=" + table,
                "-Dimport.columns.decision=id",
                "-Dimport.columns.selected=chosen",
                "-Dimport.columns.alternative=mode",
                "-Dimport.features=[cost]",
                "-Dimport.output=" + output));
    args.addAll(java.util.Arrays.asList(more));
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("first rejection: cost = 'abc' is not a number (row 1201)");
  }

  @Test
  void anImportedTableTrainsInfersAndEvaluatesWithTheDefaults() throws Exception {
    Path imported = dir.resolve("import");
    importModes(
        simulatedTable(),
        imported,
        "-Dimport.alternative-constants=true",
        "-Dimport.split.validation-fraction=0.3");
    JsonNode report = JSON.readTree(imported.resolve("report.json").toFile());
    assertThat(report.at("/rowsIn").asLong()).isEqualTo(1202);
    assertThat(report.at("/rowsKept").asLong()).isEqualTo(1200);
    assertThat(report.at("/rowsRejected").asLong()).isEqualTo(2);
    assertThat(report.at("/balances").asBoolean()).isTrue();
    assertThat(report.at("/decisions").asLong()).isEqualTo(400);
    assertThat(report.at("/decisionsRejected/cost is not a number").asLong()).isEqualTo(1);
    assertThat(report.at("/features").toString())
        .isEqualTo("[\"f_cost\",\"f_asc_car\",\"f_asc_train\"]");

    // contrasts on a table without buckets: every decision once, as whole decisions
    JsonNode sampled =
        contrasts(
            imported,
            "whole",
            "-Dcontrasts.mode=decisions",
            "-Dcontrasts.decisions-per-individual=0");
    assertThat(sampled.at("/rows").asLong()).isEqualTo(1200);
    for (String split : java.util.List.of("train", "validation")) {
      assertThat(sampled.at("/splits/" + split + "/decisions").asLong())
          .isEqualTo(report.at("/decisionsBySplit/" + split).asLong());
    }
    // and as pairs, without cells to count a stay-put win rate from
    JsonNode pairs =
        contrasts(
            imported,
            "pairs",
            "-Dcontrasts.decisions-per-individual=5",
            "-Dcontrasts.alternatives-per-decision=2");
    long individuals =
        pairs.at("/splits/train/individuals").asLong()
            + pairs.at("/splits/validation/individuals").asLong();
    assertThat(individuals).isPositive();
    assertThat(pairs.at("/rows").asLong()).isEqualTo(individuals * 5 * 2 * 2);
    assertThat(pairs.has("stayPutWinRate")).isFalse();

    Path train = dir.resolve("train");
    Cli.Result t =
        Cli.run(
            "train",
            "-Dtrain.input=" + imported,
            "-Dtrain.output=" + train,
            "-Dtrain.hidden=[]",
            "-Dtrain.epochs=1");
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out())
        .contains("converged after")
        .contains("feature                      estimate   std.error");
    Path run = Path.of(JSON.readTree(train.resolve("best.json").toFile()).at("/path").asText());
    JsonNode runJson = JSON.readTree(run.resolve("run.json").toFile());
    assertThat(runJson.at("/converged").asBoolean()).isTrue();
    long trainDecisions = report.at("/decisionsBySplit/train").asLong();
    assertThat(runJson.at("/decisions").asLong()).isEqualTo(trainDecisions);
    double ll = runJson.at("/logLikelihood").asDouble();
    assertThat(runJson.at("/rho2").asDouble())
        .isCloseTo(1 - ll / (-trainDecisions * Math.log(3)), within(1e-9));
    assertThat(runJson.at("/aic").asDouble()).isCloseTo(6 - 2 * ll, within(1e-9));
    java.util.List<String> coefficients = Files.readAllLines(run.resolve("coefficients.csv"));
    assertThat(coefficients.get(0))
        .isEqualTo("feature,estimate,std_error,robust_std_error,z,p_value");
    assertThat(coefficients).hasSize(4);
    // true cost coefficient -0.3, car 0 - 0.5 (bus is the base), train -0.8 - 0.5: each within 3
    // standard errors
    double[] truth = {-0.3, -0.5, -1.3};
    for (int k = 0; k < 3; k++) {
      String[] c = coefficients.get(k + 1).split(",");
      assertThat(Math.abs(Double.parseDouble(c[1]) - truth[k]))
          .as(c[0])
          .isLessThan(3 * Double.parseDouble(c[2]));
    }
    assertThat(run.resolve("model.zip")).doesNotExist();
    Path infer = dir.resolve("infer");
    Cli.Result i =
        Cli.run(
            "infer",
            "-Dinfer.model=" + train.resolve("best.json"),
            "-Dinfer.decisions=" + imported,
            "-Dinfer.contrasts=",
            "-Dinfer.output=" + infer);
    assertThat(i.code()).as(i.err()).isZero();

    // a different train folder next to it must not lend the report its curves
    Files.createDirectories(dir.resolve("other-train"));
    Path evaluate = dir.resolve("evaluate");
    Cli.Result e =
        Cli.run(
            "evaluate",
            "-Devaluate.predictions=" + infer,
            "-Devaluate.output=" + evaluate,
            "-Devaluate.training=" + dir.resolve("other-train"));
    assertThat(e.code()).as(e.out() + e.err()).isZero();
    assertThat(e.out())
        .contains("no reference model: the default")
        .contains("default grouping [split, moved] left out")
        .contains("default grouping [split, distance_bin] left out")
        .contains("default subset moves-only left out");
    JsonNode results = JSON.readTree(evaluate.resolve("summary.json").toFile()).at("/results");
    double trained = Double.NaN;
    double uniform = Double.NaN;
    for (JsonNode row : results) {
      if (row.at("/split").asText().equals("validation")) {
        if (row.at("/model").asText().equals("trained model")) {
          trained = row.at("/d_nlp").asDouble();
        } else if (row.at("/model").asText().equals("uniform")) {
          uniform = row.at("/d_nlp").asDouble();
        }
      }
    }
    assertThat(uniform).isCloseTo(Math.log(1 / 3.0), within(1e-9));
    assertThat(trained).isGreaterThan(uniform + 0.1);
    String html = Files.readString(evaluate.resolve("report.html"));
    assertThat(html).contains("<h2>Training</h2>").doesNotContain("<h2>Exemplars</h2>");
  }

  /** `shoal contrasts` on {@code input} into {@code dir/output}: its report. */
  private JsonNode contrasts(Path input, String output, String... options) throws Exception {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("contrasts"));
    args.add("-Dcontrasts.input=" + input);
    args.add("-Dcontrasts.output=" + dir.resolve(output));
    args.addAll(java.util.List.of(options));
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return JSON.readTree(dir.resolve(output).resolve("report.json").toFile());
  }

  /**
   * The README's example: its configuration and shipped table recover MakeModeChoice's
   * coefficients.
   */
  /**
   * The simulated table as a spreadsheet writes CSV where the comma is the decimal separator
   * (semicolons, decimal commas) imports to the same rows as the comma-separated original.
   */
  @Test
  void aSemicolonSeparatedTableWithDecimalCommasImportsAsTheCommaSeparatedOne() throws Exception {
    Path comma = simulatedTable();
    Path semicolon =
        Files.writeString(
            dir.resolve("modes-semicolon.csv"),
            Files.readString(comma).replace(',', ';').replace('.', ','));
    java.util.List<java.util.List<String>> tables = new java.util.ArrayList<>();
    for (Path table : java.util.List.of(comma, semicolon)) {
      Path imported = dir.resolve("import-" + table.getFileName());
      importModes(table, imported);
      tables.add(
          spark
              .read()
              .parquet(imported.resolve("choices").toString())
              .drop("source_file")
              .orderBy("decision", "choice")
              .collectAsList()
              .stream()
              .map(Object::toString)
              .toList());
    }
    assertThat(tables.get(0)).hasSize(1200);
    assertThat(tables.get(1)).isEqualTo(tables.get(0));
  }

  @Test
  void theShippedModeChoiceExampleRecoversItsTrueCoefficients() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    String conf = repo.resolve("conf/choice-table/import.conf").toString();
    String work = "-Dshoal.work-dir=" + dir.resolve("work");
    String table = "-Dimport.path=" + repo.resolve("conf/choice-table/mode-choice.csv");
    assertThat(Cli.run("import", "--conf", conf, work, table).code()).isZero();
    Cli.Result t = Cli.run("train", "--conf", conf, work);
    assertThat(t.code()).as(t.err()).isZero();
    Path run =
        Path.of(JSON.readTree(dir.resolve("work/train/best.json").toFile()).at("/path").asText());
    java.util.Map<String, Double> truth =
        java.util.Map.of(
            "f_time_min",
            -0.05,
            "f_cost_usd",
            -0.40,
            "f_asc_bike",
            -1.0,
            "f_income_k_bike",
            0.0,
            "f_asc_bus",
            -0.5,
            "f_income_k_bus",
            -0.02,
            "f_asc_train",
            -0.2,
            "f_income_k_train",
            0.01);
    java.util.List<String> rows = Files.readAllLines(run.resolve("coefficients.csv"));
    assertThat(rows).hasSize(9);
    for (String row : rows.subList(1, rows.size())) {
      String[] c = row.split(",");
      assertThat(Math.abs(Double.parseDouble(c[1]) - truth.get(c[0])))
          .as(row)
          .isLessThan(3 * Double.parseDouble(c[3]));
    }
  }

  @Test
  void importMistakesAreOneSentenceNamingTheSetting() throws Exception {
    Path table =
        Files.writeString(
            dir.resolve("t.csv"), "case,alt,choice_made,price\n1,a,1,2.0\n1,b,0,3.0\n");
    Cli.Result missing =
        Cli.run(
            "import",
            "-Dimport.path=" + table,
            "-Dimport.columns.decision=idcase",
            "-Dimport.columns.selected=choice_made",
            "-Dimport.output=" + dir.resolve("x"));
    assertThat(missing.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(missing.err().strip())
        .isEqualTo(
            "shoal import: the decision column 'idcase' is not in "
                + table
                + " (csv); set "
                + "shoal.import.columns.decision = <column>; closest columns: case; its columns are [case, alt, choice_made, price]");

    Cli.Result constants =
        Cli.run(
            "import",
            "-Dimport.path=" + table,
            "-Dimport.columns.decision=case",
            "-Dimport.columns.selected=choice_made",
            "-Dimport.alternative-constants=true");
    assertThat(constants.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(constants.err())
        .contains(
            "shoal.import.alternative-constants = true (from command line -D): alternative constants and "
                + "interactions need shoal.import.columns.alternative");

    Cli.Result feature =
        Cli.run(
            "import",
            "-Dimport.path=" + table,
            "-Dimport.columns.decision=case",
            "-Dimport.columns.selected=choice_made",
            "-Dimport.features=[prize]",
            "-Dimport.output=" + dir.resolve("y"));
    assertThat(feature.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(feature.err().strip())
        .isEqualTo(
            "shoal import: the feature column 'prize' is not in "
                + table
                + " (csv); check shoal.import.features; "
                + "closest columns: price; its columns are [case, alt, choice_made, price]");

    Cli.Result transform =
        Cli.run(
            "import",
            "-Dimport.path=" + table,
            "-Dimport.columns.decision=case",
            "-Dimport.columns.selected=choice_made",
            "-Dimport.features.price=sqrt");
    assertThat(transform.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(transform.err())
        .contains(
            "shoal.import.features.price = sqrt (from command line -D): unknown transform 'sqrt'");
  }
}
