package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

/**
 * Feature sets trained side by side, scored in one infer pass, and evaluated in one results table.
 */
class TestModelsSideBySide {
  @TempDir static Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path train;
  private static Path expand;

  @BeforeAll
  static void trainTwoFeatureSets() {
    SharedSpark.session();
    Path world = dir.resolve("world");
    expand = dir.resolve("expand");
    train = dir.resolve("train");
    // the whole default region: its temperature and productivity gradients are what the environment
    // set can learn
    String[] simulate = {
      "simulate",
      "-Dshoal.simulate.output=" + world,
      "-Dsimulate.seed=12",
      "-Dsimulate.individuals=30",
      "-Dsimulate.min-days=15",
      "-Dsimulate.max-days=30",
      "-Dsimulate.individuals-per-partition=10"
    };
    assertThat(Shoal.execute(simulate)).isZero();
    SmallWorlds.expand(world, expand);
    assertThat(
            Shoal.execute(
                "train",
                "-Dtrain.input=" + expand,
                "-Dtrain.output=" + train,
                "-Dtrain.feature-sets={distance = [f_distance, f_stay_put], heading = [f_distance, f_stay_put, f_sin_bearing, f_cos_bearing]}",
                "-Dtrain.hidden=[4]",
                "-Dtrain.batch-size=200",
                "-Dtrain.epochs=2",
                "-Dtrain.learning-rate=0.02"))
        .isZero();
  }

  @Test
  void eachFeatureSetIsARunWithItsOwnBest() throws Exception {
    for (String set : List.of("distance", "heading")) {
      JsonNode best = JSON.readTree(train.resolve("best-" + set + ".json").toFile());
      assertThat(best.at("/featureSet").asText()).isEqualTo(set);
      JsonNode run = JSON.readTree(Path.of(best.at("/path").asText()).resolve("run.json").toFile());
      assertThat(run.at("/featureSet").asText()).isEqualTo(set);
      assertThat(run.at("/features").size()).isEqualTo(set.equals("distance") ? 2 : 4);
    }
    List<String> board = Files.readAllLines(train.resolve("leaderboard.csv"));
    assertThat(board.get(0)).endsWith(",feature_set");
    assertThat(board.subList(1, board.size())).hasSize(2);
    assertThat(board.get(1)).endsWith(",distance");
    assertThat(board.get(2)).endsWith(",heading");
    Cli.Result wrong =
        Cli.run(
            "train",
            "-Dtrain.input=" + expand,
            "-Dtrain.output=" + dir.resolve("t2"),
            "-Dtrain.feature-sets={odd = [f_distance, f_nothing]}");
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err()).contains("feature 'f_nothing' of feature set odd is not in");
  }

  @Test
  void oneInferPassEqualsInferPerModelAndEvaluateShowsThemSideBySide() throws Exception {
    Path both = dir.resolve("infer-both");
    Path alone = dir.resolve("infer-heading");
    assertThat(
            Shoal.execute(
                "infer",
                "-Dinfer.model=" + train.resolve("best-distance.json"),
                "-Dinfer.models=[heading]",
                "-Dtrain.output=" + train,
                "-Dinfer.decisions=" + expand,
                "-Dinfer.contrasts=",
                "-Dinfer.output=" + both))
        .isZero();
    SmallWorlds.run(
        "infer",
        "model=" + train.resolve("best-heading.json"),
        "decisions=" + expand,
        "contrasts=",
        "output=" + alone);
    Map<String, Double> separate = new HashMap<>();
    for (Row r :
        SharedSpark.session()
            .read()
            .parquet(alone.resolve("decisions/choices").toString())
            .select(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE, Cols.PROBABILITY)
            .collectAsList()) {
      separate.put(r.get(0) + "/" + r.get(1) + "/" + r.get(2), r.getDouble(3));
    }
    List<Row> together =
        SharedSpark.session()
            .read()
            .parquet(both.resolve("decisions/choices").toString())
            .select(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE, "probability_heading")
            .collectAsList();
    assertThat(together).hasSize(separate.size());
    for (Row r : together) {
      assertThat(r.getDouble(3))
          .isEqualTo(separate.get(r.get(0) + "/" + r.get(1) + "/" + r.get(2)));
    }
    JsonNode model = JSON.readTree(both.resolve("model.json").toFile());
    assertThat(model.at("/models/0/name").asText()).isEqualTo("heading");

    Path evaluate = dir.resolve("evaluate");
    SmallWorlds.run(
        "evaluate",
        "predictions=" + both,
        "reference=",
        "training=",
        "output=" + evaluate,
        "exemplars=1",
        "group-by=[[split]]",
        "subsets=null");
    JsonNode results = JSON.readTree(evaluate.resolve("summary.json").toFile()).at("/results");
    Map<String, Double> train = new HashMap<>();
    for (JsonNode r : results) {
      if (r.at("/split").asText().equals("train")) {
        train.put(r.at("/model").asText(), r.at("/d_nlp").asDouble());
      }
    }
    // the predictions' own model is named by its feature set
    assertThat(train)
        .containsKeys("distance", "heading", "uniform", "stay-put rate", "distance logit");
    String metrics = Files.readString(evaluate.resolve("metrics.csv"));
    assertThat(metrics).contains("\nheading,decisions,all,split,split=train,");
  }

  /**
   * Exact logits on nested feature sets: D-NLP grows from uniform to distance to heading to
   * environment.
   */
  @Test
  void growingFeatureSetsImproveMonotonicallyTowardsTheTrueModel() throws Exception {
    Path logits = dir.resolve("logits");
    Path infer = dir.resolve("infer-logits");
    Path evaluate = dir.resolve("evaluate-logits");
    assertThat(
            Shoal.execute(
                "train",
                "-Dtrain.input=" + expand,
                "-Dtrain.output=" + logits,
                "-Dtrain.hidden=[]",
                "-Dtrain.feature-sets={distance = [f_distance, f_stay_put], heading = [f_distance, f_stay_put, f_sin_bearing, f_cos_bearing],"
                    + " environment = [f_distance, f_stay_put, f_sin_bearing, f_cos_bearing, f_temperature, f_net_primary_production]}"))
        .isZero();
    assertThat(
            Shoal.execute(
                "infer",
                "-Dinfer.model=" + logits.resolve("best-environment.json"),
                "-Dinfer.models=[distance, heading]",
                "-Dtrain.output=" + logits,
                "-Dinfer.decisions=" + expand,
                "-Dinfer.contrasts=",
                "-Dinfer.output=" + infer))
        .isZero();
    SmallWorlds.run(
        "evaluate",
        "predictions=" + infer,
        "reference=" + dir.resolve("world/truth"),
        "training=",
        "output=" + evaluate,
        "exemplars=1",
        "group-by=[[split]]",
        "subsets=null");
    Map<String, Double> dNlp = new HashMap<>();
    for (JsonNode r : JSON.readTree(evaluate.resolve("summary.json").toFile()).at("/results")) {
      dNlp.put(r.at("/split").asText() + "/" + r.at("/model").asText(), r.at("/d_nlp").asDouble());
    }
    // nested exact logits: the training likelihood grows with every ingredient, and none passes the
    // true model
    assertThat(dNlp.get("train/uniform")).isLessThan(dNlp.get("train/distance"));
    assertThat(dNlp.get("train/distance")).isLessThan(dNlp.get("train/heading"));
    assertThat(dNlp.get("train/heading")).isLessThan(dNlp.get("train/environment"));
    for (String split : List.of("train", "validation")) {
      for (String m : List.of("uniform", "distance", "heading", "environment")) {
        assertThat(dNlp.get(split + "/" + m))
            .as(split + " " + m)
            .isLessThan(dNlp.get(split + "/true model") + 0.01);
      }
      assertThat(dNlp.get(split + "/uniform")).as(split).isLessThan(dNlp.get(split + "/distance"));
    }
  }
}
