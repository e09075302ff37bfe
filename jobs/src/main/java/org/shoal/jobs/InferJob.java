package org.shoal.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.shoal.jobs.config.InferConfig;
import org.shoal.pipeline.augment.AddNoise;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.model.Inference;
import org.shoal.pipeline.schema.Cols;
import picocli.CommandLine.Command;

/**
 * {@code shoal infer}: applies a trained model (shoal.infer.model: best.json or a run folder) to
 * full decisions and, optionally, contrasts. Writes decisions/ (the input columns) and contrasts/
 * (each row's keys, {@link #CONTRAST_KEYS}) under shoal.infer.output, plus log_odds, probability
 * and run_id, partitioned as the input; and model.json naming the run used.
 */
@Command(name = "infer", description = "Score every choice with a trained model.")
final class InferJob extends JobCommand<InferConfig> {
  InferJob() {
    super(InferConfig::from);
  }

  /**
   * What the contrast predictions keep of their input besides its layout: the keys that find each
   * row in the contrasts and, through the source columns, in the decisions it was sampled from.
   * Their features are in the contrasts table itself: writing all ~40 columns a second time took
   * half of infer's time on the demo (19-20 s for its 2.9 M contrast rows, 10-11 s for the keys).
   */
  static final List<String> CONTRAST_KEYS =
      List.of(
          Cols.INDIVIDUAL,
          Cols.DECISION,
          Cols.CHOICE,
          Cols.SELECTED,
          Cols.ALTERNATIVE,
          AddNoise.SOURCE_INDIVIDUAL,
          AddNoise.COPY,
          Cols.SOURCE_DECISION,
          Cols.SOURCE_CHOICE,
          Cols.DRAW);

  /** A model to score: its name in the predictions and its trained run. */
  record Model(String name, TrainedModels.Run run) {}

  /** The column of an extra model's probabilities. */
  static String probabilityColumn(String name) {
    return Cols.PROBABILITY + "_" + name.replaceAll("[^A-Za-z0-9_]", "_");
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    List<Model> models = new ArrayList<>();
    models.add(load(spark, config.model(), null));
    for (String entry : config.models()) {
      Model m = load(spark, config.modelPath(entry), entry);
      if (models.stream().anyMatch(o -> o.name().equals(m.name()))) {
        throw new IllegalArgumentException(
            "two models are called " + m.name() + " in shoal.infer.models");
      }
      models.add(m);
    }
    for (Model m : models) {
      progress.info(
          "model "
              + m.run().shortId()
              + (m.name().equals(m.run().shortId()) ? "" : " (" + m.name() + ")")
              + " from "
              + m.run().folder());
    }
    score(spark, progress, config.decisions(), "decisions", models, false);
    if (config.contrasts() != null) {
      score(spark, progress, config.contrasts(), "contrasts", models, true);
    }
    Outputs.json(spark, ScoredWith.of(models), config.output() + "/model.json");
  }

  /** Another model scored into the predictions: its name, run and probability column. */
  record OtherModel(String name, String runId, String path, String column) {}

  /**
   * model.json: the model the predictions' {@code probability} comes from (its feature set's name
   * when it has one) and the other models scored beside it.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ScoredWith(
      String name, String runId, String path, List<String> features, List<OtherModel> models) {
    static ScoredWith of(List<Model> models) {
      TrainedModels.Run first = models.get(0).run();
      return new ScoredWith(
          first.featureSet().isEmpty() ? null : first.featureSet(),
          first.id(),
          first.folder(),
          first.scorer().features(),
          models.subList(1, models.size()).stream()
              .map(
                  m ->
                      new OtherModel(
                          m.name(), m.run().id(), m.run().folder(), probabilityColumn(m.name())))
              .toList());
    }
  }

  /**
   * A model from best.json or a run folder; named by {@code entry}, else its run.json's feature
   * set, else its id.
   */
  private static Model load(SparkSession spark, String path, String entry) throws IOException {
    TrainedModels.Run run = TrainedModels.load(spark, path);
    String name = entry != null && entry.matches("[A-Za-z0-9_-]+") ? entry : null;
    if (name == null) {
      name = run.featureSet().isEmpty() ? run.shortId() : run.featureSet();
    }
    return new Model(name, run);
  }

  /** Scores {@code input} into {@code name}/: every input column, or only its keys. */
  private void score(
      SparkSession spark,
      Progress progress,
      String input,
      String name,
      List<Model> models,
      boolean keysOnly)
      throws IOException {
    progress.stage(
        "scoring " + input + (models.size() > 1 ? " with " + models.size() + " models" : ""));
    FeatureManifest manifest = Datasets.manifest(spark, input);
    for (Model m : models) {
      FeatureManifest trained = m.run().manifest();
      if (!manifest.choiceSets().equals(trained.choiceSets())) {
        throw new IllegalArgumentException(
            "the model "
                + m.run().shortId()
                + " was trained on choices with "
                + trained.choiceSets()
                + ", but "
                + input
                + " has "
                + manifest.choiceSets()
                + "; expand the data with the model's settings, or train a model on"
                + " this data");
      }
      if (!manifest.statistics().equals(trained.statistics())
          || !manifest.transforms().equals(trained.transforms())) {
        throw new IllegalArgumentException(
            input
                + " was normalised with other statistics than the training data of model "
                + m.run().shortId()
                + "; rebuild it with expand.normalisation-from = <the training data's features.json>");
      }
    }
    List<Inference.Scored> scored = new ArrayList<>();
    scored.add(new Inference.Scored(models.get(0).run().scorer(), Cols.LOG_ODDS, Cols.PROBABILITY));
    for (Model m : models.subList(1, models.size())) {
      scored.add(
          new Inference.Scored(
              m.run().scorer(), "_log_odds_" + m.name(), probabilityColumn(m.name())));
    }
    String folder = config.output() + "/" + name;
    String runId = models.get(0).run().id();
    Dataset<Row> all = Datasets.choices(spark, input);
    // Scoring predictions again replaces their model columns.
    List<String> kept = new ArrayList<>(keysOnly ? keys(all) : List.of(all.columns()));
    kept.remove(Inference.RUN_ID);
    scored.forEach(s -> kept.removeAll(List.of(s.logOddsColumn(), s.probabilityColumn())));
    Set<String> read = new LinkedHashSet<>(kept);
    models.forEach(m -> read.addAll(m.run().scorer().features()));
    Dataset<Row> choices = all.select(read.stream().map(functions::col).toArray(Column[]::new));
    // features.json says every decision's rows are in one file, in order: each file streams
    // through one task, which takes each softmax as its decisions pass (no shuffle).
    Inference.Streamed streamed =
        manifest.decisionsInSortedFiles() && Inference.streamable(choices.schema(), scored)
            ? Datasets.streamedAsDeclared(
                spark,
                progress,
                input,
                "scoring again with a shuffle by decision",
                () -> {
                  Inference.Streamed stream = Inference.streamed(choices, scored);
                  write(stream.predictions(), kept, scored, runId, folder);
                  return stream.wholeDecisions() ? stream : null;
                })
            : null;
    if (streamed == null) {
      // Partitioned once, as the output is written: the softmax window reuses it (one shuffle in
      // all).
      Dataset<Row> parts = Datasets.partitioned(choices);
      write(
          Inference.apply(parts, scored, Datasets.partitionColumns(parts)),
          kept,
          scored,
          runId,
          folder);
    }
    Datasets.writeManifest(spark, manifest, folder);
    long rows = Inputs.sparkParquet(spark, folder + Datasets.CHOICES).count();
    progress.finished(rows + " choice rows scored into " + folder);
  }

  /** {@link #CONTRAST_KEYS} and the layout's columns, those {@code rows} has. */
  private static List<String> keys(Dataset<Row> rows) {
    Set<String> keys = new LinkedHashSet<>(CONTRAST_KEYS);
    keys.retainAll(List.of(rows.columns()));
    keys.addAll(Datasets.partitionColumns(rows));
    return List.copyOf(keys);
  }

  /**
   * Writes the {@code kept} columns with the first model's log-odds and every model's
   * probabilities.
   */
  private static void write(
      Dataset<Row> predictions,
      List<String> kept,
      List<Inference.Scored> scored,
      String runId,
      String folder) {
    List<Column> out = new ArrayList<>();
    kept.forEach(c -> out.add(functions.col(c)));
    out.add(functions.col(scored.get(0).logOddsColumn()));
    scored.forEach(s -> out.add(functions.col(s.probabilityColumn())));
    out.add(functions.lit(runId).as(Inference.RUN_ID));
    Datasets.writePartitioned(predictions.select(out.toArray(Column[]::new)), folder);
  }
}
