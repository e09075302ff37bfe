package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

/**
 * `shoal infer` and `shoal evaluate` on a small simulated world, with the true model as the
 * reference.
 */
class TestInferAndEvaluateJobs {
  @TempDir static Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path world;
  private static Path evaluate;
  private final SparkSession spark = SharedSpark.session();

  @BeforeAll
  static void pipeline() {
    SharedSpark.session();
    world = dir.resolve("world");
    Path expand = dir.resolve("expand");
    Path contrasts = dir.resolve("contrasts");
    Path train = dir.resolve("train");
    Path infer = dir.resolve("infer");
    evaluate = dir.resolve("evaluate");
    SmallWorlds.simulateAndExpand(world, expand, "10");
    SmallWorlds.sampleContrasts(expand, contrasts);
    SmallWorlds.run(
        "train",
        "input=" + contrasts,
        "output=" + train,
        "hidden=[8]",
        "batch-size=200",
        "epochs=3",
        "learning-rate=0.02");
    SmallWorlds.run(
        "infer",
        "model=" + train.resolve("best.json"),
        "decisions=" + expand,
        "contrasts=" + contrasts,
        "output=" + infer);
    SmallWorlds.run(
        "evaluate",
        "predictions=" + infer,
        "reference=" + world.resolve("truth"),
        "training=" + train,
        "output=" + evaluate,
        "exemplars=2");
  }

  @Test
  void probabilitiesAreASoftmaxPerDecision() {
    Dataset<Row> p = spark.read().parquet(dir.resolve("infer/decisions/choices").toString());
    for (Row r : p.groupBy(Cols.INDIVIDUAL, Cols.DECISION).sum(Cols.PROBABILITY).collectAsList()) {
      assertThat(r.getDouble(2)).isCloseTo(1.0, within(1e-9));
    }
    Row one =
        p.filter(col(Cols.INDIVIDUAL).equalTo("sim-00000").and(col(Cols.DECISION).equalTo(1)))
            .agg(
                org.apache.spark.sql.functions.max(Cols.LOG_ODDS),
                org.apache.spark.sql.functions.sum(
                    org.apache.spark.sql.functions.exp(col(Cols.LOG_ODDS))))
            .first();
    Row selected =
        p.filter(
                col(Cols.INDIVIDUAL)
                    .equalTo("sim-00000")
                    .and(col(Cols.DECISION).equalTo(1))
                    .and(col(Cols.SELECTED)))
            .first();
    assertThat(selected.<Double>getAs(Cols.PROBABILITY))
        .isCloseTo(
            Math.exp(selected.<Double>getAs(Cols.LOG_ODDS)) / one.getDouble(1), within(1e-9));
  }

  /**
   * The contrast predictions keep each row's keys and its scores, not its features (they are in the
   * contrasts): every pair row's log-odds is its source choice's in the decision predictions, and
   * its probability the softmax over its pair.
   */
  @Test
  void contrastPredictionsAreKeysAndScoresOfTheirSourceChoices() {
    Dataset<Row> pairs = spark.read().parquet(dir.resolve("infer/contrasts/choices").toString());
    assertThat(pairs.columns())
        .containsExactly(
            Cols.INDIVIDUAL,
            Cols.DECISION,
            Cols.CHOICE,
            Cols.SELECTED,
            Cols.SOURCE_DECISION,
            Cols.SOURCE_CHOICE,
            Cols.DRAW,
            Cols.LOG_ODDS,
            Cols.PROBABILITY,
            "run_id",
            Cols.SPLIT,
            "bucket");
    Map<String, Double> decisions = new HashMap<>();
    for (Row r :
        spark
            .read()
            .parquet(dir.resolve("infer/decisions/choices").toString())
            .select(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE, Cols.LOG_ODDS)
            .collectAsList()) {
      decisions.put(r.get(0) + "/" + r.get(1) + "/" + r.get(2), r.getDouble(3));
    }
    Map<String, Double> pairSums = new HashMap<>();
    List<Row> rows = pairs.collectAsList();
    for (Row r : rows) {
      double logOdds = r.getAs(Cols.LOG_ODDS);
      String source =
          r.getAs(Cols.INDIVIDUAL)
              + "/"
              + r.getAs(Cols.SOURCE_DECISION)
              + "/"
              + r.getAs(Cols.SOURCE_CHOICE);
      assertThat(logOdds).as(source).isCloseTo(decisions.get(source), within(1e-12));
      pairSums.merge(
          r.getAs(Cols.INDIVIDUAL) + "/" + r.getAs(Cols.DECISION), Math.exp(logOdds), Double::sum);
    }
    assertThat(rows).hasSizeGreaterThan(100);
    for (Row r : rows) {
      double sum = pairSums.get(r.getAs(Cols.INDIVIDUAL) + "/" + r.getAs(Cols.DECISION));
      assertThat(r.<Double>getAs(Cols.PROBABILITY))
          .isCloseTo(Math.exp(r.<Double>getAs(Cols.LOG_ODDS)) / sum, within(1e-9));
    }
  }

  @Test
  void theTrueModelsRowMatchesItsTruthTableAndBeatsUniform() throws Exception {
    // plain Java over the truth table: per-individual mean log-probability of the selected cell,
    // then the mean
    List<Row> truth =
        spark
            .read()
            .parquet(world.resolve("truth").toString())
            .filter(col(Cols.SELECTED))
            .collectAsList();
    Map<String, String> splits = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("expand/splits.csv")).subList(1, 11)) {
      splits.put(line.split(",")[0], line.split(",")[1]);
    }
    Map<String, List<Double>> validation = new HashMap<>();
    for (Row r : truth) {
      String id = r.getAs(Cols.INDIVIDUAL);
      if ("validation".equals(splits.get(id))) {
        validation
            .computeIfAbsent(id, k -> new ArrayList<>())
            .add(Math.log(r.<Double>getAs(Cols.PROBABILITY)));
      }
    }
    double expected = org.shoal.pipeline.evaluate.Metrics.decisionNlp(validation);
    JsonNode results = JSON.readTree(evaluate.resolve("summary.json").toFile()).at("/results");
    boolean found = false;
    for (JsonNode r : results) {
      if (r.at("/model").asText().equals("true model")
          && r.at("/split").asText().equals("validation")) {
        assertThat(r.at("/d_nlp").asDouble()).isCloseTo(expected, within(1e-9));
        found = true;
      }
      if (r.at("/model").asText().equals("trained model")) {
        assertThat(r.at("/c_nlp").asDouble()).isBetween(-0.6931, 0.0);
      }
    }
    assertThat(found).isTrue();
    double uniform = 0;
    double trained = 0;
    for (JsonNode r : results) {
      if (r.at("/split").asText().equals("validation")) {
        if (r.at("/model").asText().equals("uniform")) {
          uniform = r.at("/gmp").asDouble();
        } else if (r.at("/model").asText().equals("trained model")) {
          trained = r.at("/gmp").asDouble();
        }
      }
    }
    assertThat(trained).isGreaterThan(uniform);
  }

  @Test
  void baselinesAndBootstrapIntervalsSitInTheResultsTable() throws Exception {
    JsonNode summary = JSON.readTree(evaluate.resolve("summary.json").toFile());
    Map<String, JsonNode> train = new HashMap<>();
    for (JsonNode r : summary.at("/results")) {
      if (r.at("/split").asText().equals("train")) {
        train.put(r.at("/model").asText(), r);
      }
      double d = r.at("/d_nlp").asDouble();
      assertThat(r.at("/d_nlp_low").asDouble()).isLessThanOrEqualTo(d);
      assertThat(r.at("/d_nlp_high").asDouble()).isGreaterThanOrEqualTo(d);
    }
    assertThat(train)
        .containsKeys("trained model", "true model", "uniform", "stay-put rate", "distance logit");
    String best = train.get("uniform").at("/best_baseline").asText();
    assertThat(best).isIn("uniform", "stay-put rate", "distance logit");
    // the best baseline is the highest of the three, and its own difference is zero
    for (String b : List.of("uniform", "stay-put rate", "distance logit")) {
      assertThat(train.get(best).at("/d_nlp").asDouble())
          .isGreaterThanOrEqualTo(train.get(b).at("/d_nlp").asDouble());
    }
    assertThat(train.get(best).at("/vs_best_baseline").asDouble()).isZero();
    assertThat(train.get(best).at("/beyond_noise").asBoolean()).isFalse();
    // on the synthetic world uniform is clearly worse than the best baseline: the whole interval is
    // below zero
    assertThat(train.get("uniform").at("/vs_best_baseline_high").asDouble()).isNegative();
    assertThat(train.get("uniform").at("/beyond_noise").asBoolean()).isTrue();
    double vs = train.get("true model").at("/vs_best_baseline").asDouble();
    assertThat(vs)
        .isCloseTo(
            train.get("true model").at("/d_nlp").asDouble()
                - train.get(best).at("/d_nlp").asDouble(),
            within(1e-12));
  }

  @Test
  void baselinesCanBeChosenOrLeftOut() throws Exception {
    Path chosen = dir.resolve("evaluate-stay-put-only");
    SmallWorlds.run(
        "evaluate",
        "predictions=" + dir.resolve("infer"),
        "reference=",
        "training=",
        "bootstrap=20",
        "baselines=[stay-put rate]",
        "output=" + chosen);
    // the report names the baselines the differences are taken to: those fitted, not every kind
    assertThat(Files.readString(chosen.resolve("report.html")))
        .contains("best of uniform, stay-put rate, marked *");
    assertThat(Files.readString(evaluate.resolve("report.html")))
        .contains("best of uniform, stay-put rate, distance logit, marked *");
    Dataset<Row> all = spark.read().parquet(evaluate.resolve("metrics").toString());
    Dataset<Row> some = spark.read().parquet(chosen.resolve("metrics").toString());
    assertThat(some.select("model").distinct().as(Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("trained model", "stay-put rate");
    // the models both runs have get the same metrics
    Map<String, Double> expected =
        dNlpByKey(all.filter(col("model").isin("trained model", "stay-put rate")));
    Map<String, Double> actual = dNlpByKey(some);
    assertThat(actual).hasSameSizeAs(expected).hasSizeGreaterThan(4);
    expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).isCloseTo(v, within(1e-12)));

    Cli.Result bad =
        Cli.run(
            "evaluate",
            "-Devaluate.predictions=" + dir.resolve("infer"),
            "-Devaluate.baselines=[stay put]",
            "-Devaluate.output=" + dir.resolve("evaluate-bad"));
    assertThat(bad.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(bad.err()).contains("shoal.evaluate.baselines").contains("'stay put'");
  }

  private static Map<String, Double> dNlpByKey(Dataset<Row> metrics) {
    Map<String, Double> out = new HashMap<>();
    for (Row r : metrics.collectAsList()) {
      String key =
          String.join(
              "|",
              r.<String>getAs("model"),
              r.<String>getAs("dataset"),
              r.<String>getAs("subset"),
              r.<String>getAs("group"));
      out.put(key, r.<Double>getAs("d_nlp"));
    }
    return out;
  }

  /**
   * expand declares its layout, so infer streamed its decisions; a table without the declaration
   * goes through the windows, and one that declares it falsely (decisions split across files) is
   * detected and scored again: all three outputs equal to the last bit. contrasts and train
   * likewise.
   */
  @Test
  void declaredTablesStreamAndOthersTakeAShuffleToTheSameResults() throws Exception {
    Path expand = dir.resolve("expand");
    String manifest = Files.readString(expand.resolve("features.json"));
    assertThat(JSON.readTree(manifest).get("layout").asText())
        .isEqualTo("decisions-in-sorted-files");
    Dataset<Row> choices = spark.read().parquet(expand.resolve("choices").toString());
    Path undeclared = dir.resolve("undeclared");
    choices.write().partitionBy(Cols.SPLIT, "bucket").parquet(undeclared + "/choices");
    Files.writeString(
        undeclared.resolve("features.json"),
        manifest.replace("\"decisions-in-sorted-files\"", "null"));
    Path falselyDeclared = dir.resolve("falsely-declared");
    spreadOverThreeFiles(expand, falselyDeclared);
    Dataset<Row> streamed = spark.read().parquet(dir.resolve("infer/decisions/choices").toString());
    String[] columns = streamed.columns();
    for (Path input : List.of(undeclared, falselyDeclared)) {
      Path out = dir.resolve("infer-" + input.getFileName());
      SmallWorlds.run(
          "infer",
          "model=" + dir.resolve("train/best.json"),
          "decisions=" + input,
          "contrasts=",
          "output=" + out);
      Dataset<Row> scored =
          spark.read().parquet(out.resolve("decisions/choices").toString()).selectExpr(columns);
      assertThat(scored.count()).isEqualTo(streamed.count());
      assertThat(scored.exceptAll(streamed).count()).as(input.toString()).isZero();
    }
    // contrasts stream a declared table into the sampler, and sort the falsely declared one
    Path resampled = dir.resolve("contrasts-falsely-declared");
    SmallWorlds.sampleContrasts(falselyDeclared, resampled);
    Dataset<Row> sampled = spark.read().parquet(dir.resolve("contrasts/choices").toString());
    Dataset<Row> again =
        spark.read().parquet(resampled.resolve("choices").toString()).selectExpr(sampled.columns());
    assertThat(again.count()).isEqualTo(sampled.count());
    assertThat(again.exceptAll(sampled).count()).isZero();
    // train collects a declared table without a shuffle, and the falsely declared one with it:
    // the same decisions in the same order, so the same fit
    List<Double> losses = new ArrayList<>();
    for (Path input : List.of(expand, falselyDeclared)) {
      Path out = dir.resolve("train-" + input.getFileName());
      SmallWorlds.run(
          "train",
          "input=" + input,
          "output=" + out,
          "hidden=[4]",
          "batch-size=100",
          "epochs=2",
          "patience=0");
      losses.add(JSON.readTree(out.resolve("best.json").toFile()).get("validationLoss").asDouble());
    }
    assertThat(losses.get(1)).isEqualTo(losses.get(0));
    // evaluate streams infer's declared tables (the suite's evaluate, with a broadcast reference)
    // and aggregates falsely declared copies with a shuffle: the same metrics
    Path predictions = dir.resolve("infer-spread");
    spreadOverThreeFiles(dir.resolve("infer/decisions"), predictions.resolve("decisions"));
    spreadOverThreeFiles(dir.resolve("infer/contrasts"), predictions.resolve("contrasts"));
    Files.copy(dir.resolve("infer/model.json"), predictions.resolve("model.json"));
    Path evaluated = dir.resolve("evaluate-spread");
    SmallWorlds.run(
        "evaluate",
        "predictions=" + predictions,
        "reference=" + world.resolve("truth"),
        "training=" + dir.resolve("train"),
        "output=" + evaluated,
        "exemplars=2");
    Map<String, Row> expected = new HashMap<>();
    for (Row r : spark.read().parquet(evaluate.resolve("metrics").toString()).collectAsList()) {
      expected.put(metricKey(r), r);
    }
    List<Row> metrics =
        spark.read().parquet(evaluated.resolve("metrics").toString()).collectAsList();
    assertThat(metrics).hasSize(expected.size());
    assertThat(metrics.stream().map(r -> r.getAs("dataset")).distinct())
        .containsExactlyInAnyOrder("decisions", "contrasts");
    for (Row r : metrics) {
      Row e = expected.get(metricKey(r));
      assertThat(r.<Long>getAs("decisions")).isEqualTo(e.<Long>getAs("decisions"));
      for (String m : List.of("d_nlp", "mean_ll", "uniform_d_nlp")) {
        assertThat(r.<Double>getAs(m)).as(metricKey(r)).isCloseTo(e.getAs(m), within(1e-12));
      }
    }
  }

  private static String metricKey(Row r) {
    return String.join(
        "|",
        r.<String>getAs("model"),
        r.<String>getAs("dataset"),
        r.<String>getAs("subset"),
        r.<String>getAs("group"));
  }

  /**
   * A copy of the choice table in {@code from} with its features.json, in three files per folder,
   * each sorted, every decision's rows spread over them: declared as laid out, and not.
   */
  private void spreadOverThreeFiles(Path from, Path to) throws java.io.IOException {
    Dataset<Row> rows = spark.read().parquet(from.resolve("choices").toString());
    String[] folders =
        java.util.stream.Stream.of(Cols.SPLIT, "bucket")
            .filter(List.of(rows.columns())::contains)
            .toArray(String[]::new);
    rows.repartition(3)
        .sortWithinPartitions(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE)
        .write()
        .partitionBy(folders)
        .parquet(to + "/choices");
    Files.copy(from.resolve("features.json"), to.resolve("features.json"));
  }

  @Test
  void metricsCsvEqualsTheParquetOutput() throws Exception {
    List<String> csv = Files.readAllLines(evaluate.resolve("metrics.csv"));
    Dataset<Row> parquet = spark.read().parquet(evaluate.resolve("metrics").toString());
    assertThat(csv).hasSize((int) parquet.count() + 1);
    Row all =
        parquet
            .filter(col("model").equalTo("trained model").and(col("grouping").equalTo("all")))
            .first();
    String line =
        csv.stream()
            .filter(l -> l.startsWith("trained model,decisions,all,all,all,"))
            .findFirst()
            .orElseThrow();
    assertThat(Double.parseDouble(line.split(",")[7]))
        .isCloseTo(all.<Double>getAs("d_nlp"), within(1e-9));
  }

  @Test
  void calibrationAndIndividualsCsvEqualAPlainJavaLoopOverThePredictions() throws Exception {
    List<Row> choices =
        spark
            .read()
            .parquet(dir.resolve("infer/decisions/choices").toString())
            .select(Cols.INDIVIDUAL, Cols.PROBABILITY, Cols.SELECTED)
            .collectAsList();
    double[][] bins = new double[10][3]; // summed probability, selections, choices
    Map<String, Long> decisions = new HashMap<>();
    for (Row r : choices) {
      double[] bin = bins[Math.min((int) Math.floor(r.getDouble(1) * 10), 9)];
      bin[0] += r.getDouble(1);
      bin[1] += r.getBoolean(2) ? 1 : 0;
      bin[2]++;
      if (r.getBoolean(2)) {
        decisions.merge(r.getString(0), 1L, Long::sum);
      }
    }
    List<String> calibration = Files.readAllLines(evaluate.resolve("calibration.csv"));
    assertThat(calibration.get(0))
        .isEqualTo("bin,mean_predicted,observed,choices,bin_low,bin_high");
    int nonEmpty = 0;
    for (int b = 0; b < 10; b++) {
      if (bins[b][2] == 0) {
        continue;
      }
      String[] cells = calibration.get(1 + nonEmpty++).split(",");
      assertThat(Integer.parseInt(cells[0])).isEqualTo(b);
      assertThat(Double.parseDouble(cells[1])).isCloseTo(bins[b][0] / bins[b][2], within(1e-12));
      assertThat(Double.parseDouble(cells[2])).isCloseTo(bins[b][1] / bins[b][2], within(1e-12));
      assertThat(Long.parseLong(cells[3])).isEqualTo((long) bins[b][2]);
      assertThat(Double.parseDouble(cells[4])).isEqualTo(b / 10.0);
    }
    assertThat(calibration).hasSize(1 + nonEmpty);

    List<String> individuals = Files.readAllLines(evaluate.resolve("individuals.csv"));
    assertThat(individuals.get(0)).isEqualTo("individual,mean_ll_diff,decisions,colour");
    Map<String, Long> written = new HashMap<>();
    double previous = Double.NEGATIVE_INFINITY;
    for (String line : individuals.subList(1, individuals.size())) {
      String[] cells = line.split(",");
      written.put(cells[0], Long.parseLong(cells[2]));
      double diff = Double.parseDouble(cells[1]);
      assertThat(diff).as("least improved first").isGreaterThanOrEqualTo(previous);
      previous = diff;
    }
    assertThat(written).isEqualTo(decisions);
  }

  /**
   * The report in a real headless browser: it renders, and its results table carries summary.json's
   * numbers.
   */
  @Test
  void theReportRendersInHeadlessChromiumWithTheSameNumbers() throws Exception {
    Optional<String> chromium = ExternalPrograms.chromium();
    Assumptions.assumeTrue(
        ExternalPrograms.runCheck(
            chromium,
            "chromium",
            "SHOAL_REQUIRE_CHROMIUM",
            System.getenv("SHOAL_REQUIRE_CHROMIUM")),
        "chromium is not installed");
    String browser = chromium.orElseThrow();
    Path report = evaluate.resolve("report.html");
    Process p =
        new ProcessBuilder(
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--dump-dom",
                report.toUri().toString())
            .redirectError(dir.resolve("chromium.log").toFile())
            .start();
    String dom =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(dom).contains("<table id=\"results\"").contains("<svg");
    JsonNode results = JSON.readTree(evaluate.resolve("summary.json").toFile()).at("/results");
    for (JsonNode r : results) {
      assertThat(dom).contains(String.format(Locale.ROOT, "%.4f", r.at("/gmp").asDouble()));
      assertThat(dom).contains(String.format(Locale.ROOT, "%.4f", r.at("/d_nlp").asDouble()));
    }
    // every metric row of the Parquet output appears in the report's group table
    for (Row r : spark.read().parquet(evaluate.resolve("metrics").toString()).collectAsList()) {
      double d = r.getAs("d_nlp");
      if (!Double.isNaN(d)) {
        assertThat(dom).contains(String.format(Locale.ROOT, "<td class=\"n\">%.4f</td>", d));
      }
      assertThat(dom)
          .contains(
              String.format(Locale.ROOT, "<td class=\"n\">%d</td>", r.<Long>getAs("decisions")));
    }
    Matcher svgs = Pattern.compile("<svg").matcher(dom);
    int count = 0;
    while (svgs.find()) {
      count++;
    }
    assertThat(count)
        .as("training curves, individuals, calibration and 4 exemplar maps")
        .isGreaterThanOrEqualTo(7);
  }
}
