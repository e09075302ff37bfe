package org.shoal.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.model.LogOddsScorer;

/**
 * The trained-model folder, with one owner: train writes {@code runs/<run id>/} (scorer.json,
 * features.json, run.json, history.csv, model.zip) and the pointers {@code best.json} and {@code
 * best-<feature set>.json}; infer, evaluate, transitions and run read them only through here.
 */
final class TrainedModels {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One trained run, ready to score: its folder, feature set ("" for none), scorer and feature
   * manifest.
   */
  record Run(String folder, String featureSet, LogOddsScorer scorer, FeatureManifest manifest) {
    String id() {
      return new Path(folder).getName();
    }

    String shortId() {
      return id().substring(0, Math.min(12, id().length()));
    }
  }

  private TrainedModels() {}

  /** The pointer to a train output's best run overall. */
  static String best(String trainOutput) {
    return trainOutput + "/best.json";
  }

  /** The pointer to the best run of one feature set. */
  static String best(String trainOutput, String featureSet) {
    return trainOutput + "/best-" + featureSet + ".json";
  }

  static String runFolder(String trainOutput, String runId) {
    return trainOutput + "/runs/" + runId;
  }

  /**
   * A pointer file (best*.json) resolves to the run folder it names; anything else is a run folder
   * already.
   */
  static String resolve(SparkSession spark, String model) throws IOException {
    if (model.endsWith(".json")) {
      return pointer(spark, model).at("/path").asText();
    }
    return model;
  }

  /** A pointer's content: runId, path, losses, validated, featureSet. */
  static JsonNode pointer(SparkSession spark, String path) throws IOException {
    return JSON.readTree(Inputs.text(spark, path, "model pointer"));
  }

  static void writePointer(SparkSession spark, Object pointer, String path) throws IOException {
    Outputs.json(spark, pointer, path);
  }

  /** The run a pointer or folder names, with what scoring needs. */
  static Run load(SparkSession spark, String model) throws IOException {
    String folder = resolve(spark, model);
    LogOddsScorer scorer =
        JSON.readValue(
            Inputs.text(spark, folder + "/scorer.json", "model scorer"), LogOddsScorer.class);
    FeatureManifest manifest = Datasets.readManifest(spark, folder + Datasets.MANIFEST);
    String set =
        JSON.readTree(Inputs.text(spark, folder + "/run.json", "run record"))
            .at("/featureSet")
            .asText("");
    return new Run(folder, set, scorer, manifest);
  }

  /** A run's history.csv (epoch, train loss, validation loss, ...), or null when it has none. */
  static String history(SparkSession spark, String folder) throws IOException {
    Path history = new Path(folder + "/history.csv");
    if (!history.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(history)) {
      return null;
    }
    return Inputs.text(spark, history.toString(), "training history");
  }
}
