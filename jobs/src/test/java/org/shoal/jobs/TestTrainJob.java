package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shoal.pipeline.model.LogOddsScorer;
import org.shoal.pipeline.testing.SharedSpark;

/** `shoal train` in its three modes on contrasts of a small simulated world. */
class TestTrainJob {
  @TempDir static Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path contrasts;

  @BeforeAll
  static void data() {
    SharedSpark.session();
    Path world = dir.resolve("world");
    Path expand = dir.resolve("expand");
    contrasts = dir.resolve("contrasts");
    SmallWorlds.simulateAndExpand(world, expand, "9");
    SmallWorlds.sampleContrasts(expand, contrasts);
  }

  private static int train(Path out, String... extra) {
    return Shoal.execute(trainArgs(out, extra));
  }

  private static String[] trainArgs(Path out, String... extra) {
    String[] base = {
      "train",
      "-Dtrain.input=" + contrasts,
      "-Dtrain.output=" + out,
      "-Dtrain.hidden=[8, 8]",
      "-Dtrain.batch-size=200",
      "-Dtrain.epochs=3",
      "-Dtrain.learning-rate=0.01"
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return args;
  }

  @Test
  void localRunWritesAReproducibleModelItsScorerAndHistory() throws Exception {
    Path a = dir.resolve("local-a");
    Path b = dir.resolve("local-b");
    assertThat(train(a)).isZero();
    assertThat(train(b)).isZero();
    JsonNode best = JSON.readTree(a.resolve("best.json").toFile());
    Path run = Path.of(best.at("/path").asText());
    assertThat(run.resolve("model.zip")).isRegularFile();
    assertThat(run.resolve("features.json")).isRegularFile();
    List<String> history = Files.readAllLines(run.resolve("history.csv"));
    assertThat(history).hasSize(4); // header + 3 epochs
    JsonNode info = JSON.readTree(run.resolve("run.json").toFile());
    assertThat(info.at("/best/validationLoss").asDouble())
        .isEqualTo(best.at("/validationLoss").asDouble());
    assertThat(info.at("/epochsRun").asInt()).isEqualTo(3);

    // the same configuration has the same run id and the same weights
    MultiLayerNetwork netA =
        ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile());
    Path runB = b.resolve("runs").resolve(run.getFileName());
    MultiLayerNetwork netB =
        ModelSerializer.restoreMultiLayerNetwork(runB.resolve("model.zip").toFile());
    assertThat(netB.params()).isEqualTo(netA.params());

    // the plain-Java scorer reproduces the network's log-odds
    LogOddsScorer scorer = JSON.readValue(run.resolve("scorer.json").toFile(), LogOddsScorer.class);
    int f = scorer.features().size();
    double[] x = new double[f];
    for (int i = 0; i < f; i++) {
      x[i] = 0.1 * (i + 1) - 0.4;
    }
    INDArray in = Nd4j.create(new double[][] {x}).castTo(netA.params().dataType()).reshape(1, f, 1);
    List<INDArray> acts = netA.feedForward(in, false);
    double phi = acts.get(netA.getnLayers() - 2).getDouble(0);
    assertThat(scorer.logOdds(x)).isCloseTo(phi, org.assertj.core.api.Assertions.within(1e-5));

    // contrast pairs train as draws (each selected choice once): the kept epoch's validation loss
    // is still the mean over the validation pairs of −log σ(φ_selected − φ_alternative)
    assertThat(JSON.readTree(contrasts.resolve("features.json").toFile()).at("/contrasts").asText())
        .isEqualTo("pairs");
    assertThat(info.at("/best/validationLoss").asDouble())
        .isCloseTo(
            meanPairLoss(scorer, "validation"), org.assertj.core.api.Assertions.within(1e-5));
  }

  /** The mean pair loss of {@code split}'s contrast pairs under {@code scorer}, pair by pair. */
  private static double meanPairLoss(LogOddsScorer scorer, String split) {
    List<String> columns = new java.util.ArrayList<>(List.of("individual", "decision", "selected"));
    columns.addAll(scorer.features());
    List<org.apache.spark.sql.Row> rows =
        SharedSpark.session()
            .read()
            .parquet(contrasts.resolve("choices").toString())
            .filter("split = '" + split + "'")
            .selectExpr(columns.toArray(String[]::new))
            .collectAsList();
    java.util.Map<String, double[]> phiByPair = new java.util.HashMap<>();
    for (org.apache.spark.sql.Row r : rows) {
      double[] x = new double[scorer.features().size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = ((Number) r.get(3 + i)).doubleValue();
      }
      double[] pair = phiByPair.computeIfAbsent(r.get(0) + "/" + r.get(1), k -> new double[2]);
      pair[r.getBoolean(2) ? 0 : 1] = scorer.logOdds(x);
    }
    assertThat(phiByPair.size() * 2).isEqualTo(rows.size());
    double sum = 0;
    for (double[] pair : phiByPair.values()) {
      sum += Math.log1p(Math.exp(pair[1] - pair[0]));
    }
    return sum / phiByPair.size();
  }

  @Test
  void gridModeRunsEightConfigurationsAndRanksThem() throws Exception {
    Path out = dir.resolve("grid");
    assertThat(
            train(
                out,
                "-Dtrain.mode=grid",
                "-Dtrain.epochs=2",
                "-Dtrain.grid.hidden=[[4], [8, 8]]",
                "-Dtrain.grid.learning-rate=[0.01, 0.02]",
                "-Dtrain.grid.batch-size=[200]",
                "-Dtrain.grid.seeds=[0, 1]"))
        .isZero();
    try (var runs = Files.list(out.resolve("runs"))) {
      assertThat(runs.count()).isEqualTo(8);
    }
    List<String> board = Files.readAllLines(out.resolve("leaderboard.csv"));
    assertThat(board).hasSize(1 + 4);
    double previous = Double.NEGATIVE_INFINITY;
    for (String row : board.subList(1, board.size())) {
      String[] cells = row.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
      assertThat(cells[1]).isEqualTo("2"); // two seeds per configuration
      double loss = Double.parseDouble(cells[2]);
      assertThat(loss).isGreaterThanOrEqualTo(previous);
      previous = loss;
    }
    JsonNode best = JSON.readTree(out.resolve("best.json").toFile());
    assertThat(board.get(1)).contains(best.at("/runId").asText());
  }

  @Test
  void sparkModeTrainsWithParameterAveraging() throws Exception {
    Path out = dir.resolve("spark");
    assertThat(
            train(out, "-Dtrain.mode=spark", "-Dtrain.epochs=2", "-Dtrain.averaging-frequency=2"))
        .isZero();
    JsonNode best = JSON.readTree(out.resolve("best.json").toFile());
    assertThat(best.at("/validationLoss").asDouble()).isPositive().isLessThan(Math.log(2) + 0.05);
    assertThat(Path.of(best.at("/path").asText()).resolve("model.zip")).isRegularFile();
    // local mode on decisions that exceed what it may hold streams as spark mode does, and says so
    Path switched = dir.resolve("local-too-large");
    Cli.Result result =
        Cli.run(
            trainArgs(
                switched,
                "-Dtrain.local-memory-mb=0.1",
                "-Dtrain.epochs=2",
                "-Dtrain.averaging-frequency=2"));
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("more than the 0.1 MB local mode may use (train.local-memory-mb)")
        .contains("training with parameter averaging instead (train.mode = spark)");
    // the estimate counts the pairs as local mode collects them: as draws, each selected choice
    // once (pairs + draws), not the table's two rows per pair
    Matcher estimate =
        Pattern.compile("\\((\\d+) choice rows as collected\\)").matcher(result.out());
    assertThat(estimate.find()).as(result.out()).isTrue();
    Dataset<Row> pairs =
        SharedSpark.session().read().parquet(contrasts.resolve("choices").toString());
    long pairCount = pairs.count() / 2;
    long draws = pairs.select("split", "individual", "draw").distinct().count();
    assertThat(draws).isLessThan(pairCount);
    assertThat(Long.parseLong(estimate.group(1))).isEqualTo(pairCount + draws);
    JsonNode pointer = JSON.readTree(switched.resolve("best.json").toFile());
    JsonNode run =
        JSON.readTree(Path.of(pointer.at("/path").asText()).resolve("run.json").toFile());
    assertThat(run.at("/mode").asText()).isEqualTo("spark");
    assertThat(pointer.at("/validationLoss").asDouble())
        .isEqualTo(best.at("/validationLoss").asDouble());
  }
}
