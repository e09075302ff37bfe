package org.shoal.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.shoal.jobs.config.InferConfig;
import org.shoal.jobs.config.Settings;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.model.Inference;
import org.shoal.pipeline.model.LogOddsScorer;
import picocli.CommandLine.Command;

/**
 * {@code shoal infer}: applies a trained model (shoal.infer.model: best.json or a run folder) to full decisions
 * and, optionally, contrasts. Writes decisions/ and contrasts/ under shoal.infer.output (the input columns plus
 * log_odds, probability and run_id, partitioned by split) and model.json naming the run used.
 */
@Command(name = "infer", mixinStandardHelpOptions = true, description = "Score every choice with a trained model.")
final class InferJob extends JobCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private InferConfig config;

  @Override
  protected String jobName() {
    return "infer";
  }

  @Override
  protected String output() {
    return config.output();
  }

  @Override
  protected java.util.List<String> inputs() {
    return java.util.stream.Stream.of(config.model(), config.decisions(), config.contrasts())
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  @Override
  protected void configure(Settings settings) {
    config = InferConfig.from(settings);
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    String runDir = runFolder(spark, config.model());
    LogOddsScorer scorer = JSON.readValue(Inputs.text(spark, runDir + "/scorer.json", "model scorer"), LogOddsScorer.class);
    FeatureManifest trained = Datasets.readManifest(spark, runDir + Datasets.MANIFEST);
    String runId = new Path(runDir).getName();
    progress.info("model " + runId.substring(0, Math.min(12, runId.length())) + " from " + runDir);
    score(spark, progress, config.decisions(), "decisions", scorer, trained, runId);
    if (config.contrasts() != null) {
      score(spark, progress, config.contrasts(), "contrasts", scorer, trained, runId);
    }
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("runId", runId);
    model.put("path", runDir);
    model.put("features", scorer.features());
    Outputs.json(spark, model, config.output() + "/model.json");
  }

  private void score(
      SparkSession spark,
      Progress progress,
      String input,
      String name,
      LogOddsScorer scorer,
      FeatureManifest trained,
      String runId)
      throws IOException {
    progress.stage("scoring " + input);
    FeatureManifest manifest = Datasets.manifest(spark, input);
    if (!manifest.choiceSets().equals(trained.choiceSets())) {
      throw new IllegalArgumentException(
          "the model " + runId.substring(0, Math.min(12, runId.length())) + " was trained on choices with "
              + trained.choiceSets() + ", but " + input + " has " + manifest.choiceSets()
              + "; expand the data with the model's settings, or train a model on this data");
    }
    if (!manifest.statistics().equals(trained.statistics()) || !manifest.transforms().equals(trained.transforms())) {
      throw new IllegalArgumentException(
          input + " was normalised with other statistics than the model's training data; rebuild it with "
              + "expand.normalisation-from = <the training data's features.json>");
    }
    Dataset<Row> predictions = Inference.apply(Datasets.choices(spark, input), scorer, runId);
    Datasets.writeChoices(predictions, config.output() + "/" + name);
    Outputs.text(spark, manifest.toJson(), config.output() + "/" + name + Datasets.MANIFEST);
    long rows = spark.read().parquet(config.output() + "/" + name + Datasets.CHOICES).count();
    progress.finished(rows + " choice rows scored into " + config.output() + "/" + name);
  }

  /** best.json points at a run folder; anything else is taken as the run folder itself. */
  static String runFolder(SparkSession spark, String model) throws IOException {
    if (model.endsWith(".json")) {
      JsonNode best = JSON.readTree(Inputs.text(spark, model, "model pointer"));
      return best.at("/path").asText();
    }
    return model;
  }

}
