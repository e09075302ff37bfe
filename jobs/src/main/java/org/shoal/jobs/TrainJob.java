package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;
import org.shoal.jobs.config.Settings;
import org.shoal.jobs.config.TrainConfig;
import org.shoal.pipeline.expand.Splits;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.model.ConditionalLogit;
import org.shoal.pipeline.model.Decisions;
import org.shoal.pipeline.model.LogOddsScorer;
import org.shoal.pipeline.model.NetworkSpec;
import org.shoal.pipeline.model.RunSpec;
import org.shoal.pipeline.model.SparkTraining;
import org.shoal.pipeline.model.Training;
import picocli.CommandLine.Command;

/**
 * {@code shoal train}: fits the log-odds network on the training split of shoal.train.input and validates on its
 * validation split, in one JVM, with Spark parameter averaging, or as a grid of runs on Spark executors. Every
 * run writes runs/&lt;run id&gt;/ (model.zip, scorer.json, features.json, run.json, history.csv); the job writes
 * history/ (Parquet), leaderboard.csv and best.json (the run with the lowest validation loss).
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train the shared-weight log-odds model (local, Spark parameter averaging, or a grid).")
final class TrainJob extends JobCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final StructType HISTORY =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("run_id", DataTypes.StringType, false),
              DataTypes.createStructField("epoch", DataTypes.IntegerType, false),
              DataTypes.createStructField("train_loss", DataTypes.DoubleType, false),
              DataTypes.createStructField("validation_loss", DataTypes.DoubleType, false),
              DataTypes.createStructField("seconds", DataTypes.DoubleType, false),
              DataTypes.createStructField("choice_rows_per_second", DataTypes.DoubleType, false)));

  private TrainConfig config;

  @Override
  protected String jobName() {
    return "train";
  }

  @Override
  protected String output() {
    return config.output();
  }

  @Override
  protected java.util.List<String> inputs() {
    return java.util.List.of(config.input());
  }

  @Override
  protected void configure(Settings settings) {
    config = TrainConfig.from(settings);
  }

  /** One finished run, however it was trained: a DL4J network, or the exact conditional logit ({@code fit}). */
  private record Finished(
      RunSpec run,
      MultiLayerNetwork network,
      List<Training.Epoch> history,
      int bestEpoch,
      boolean validated,
      ConditionalLogit.Fit fit,
      String featureSet) {
    Finished(RunSpec run, MultiLayerNetwork network, List<Training.Epoch> history, int bestEpoch, boolean validated) {
      this(run, network, history, bestEpoch, validated, null, "");
    }

    Finished inSet(String name) {
      return new Finished(run, network, history, bestEpoch, validated, fit, name);
    }

    LogOddsScorer scorer() {
      return fit != null
          ? fit.scorer()
          : LogOddsScorer.of(network, run.features(), run.network().activation());
    }

    Training.Epoch best() {
      return history.get(bestEpoch - 1);
    }
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    FeatureManifest manifest = Datasets.manifest(spark, config.input());
    Map<String, List<String>> sets = featureSets(manifest, progress);
    Dataset<Row> choices = Datasets.choices(spark, config.input());
    // The run id covers the data's content, so models trained on different data never overwrite each other.
    String data = config.input() + "#" + Datasets.fingerprint(spark, config.input());
    Dataset<Row> train = choices.filter(col(Splits.SPLIT).equalTo(Splits.TRAIN));
    Dataset<Row> validation = choices.filter(col(Splits.SPLIT).equalTo(Splits.VALIDATION));
    List<Finished> finished = new ArrayList<>();
    for (Map.Entry<String, List<String>> set : sets.entrySet()) {
      progress.info((set.getKey().isEmpty() ? "" : "feature set " + set.getKey() + ": ") + "features: "
          + String.join(", ", set.getValue()));
      for (Finished f : trainSet(spark, progress, set.getValue(), train, validation, data)) {
        finished.add(f.inSet(set.getKey()));
      }
    }

    progress.stage("writing models to " + config.output());
    List<Row> history = new ArrayList<>();
    for (Finished f : finished) {
      writeRun(spark, f, manifest, f.run().features());
      for (Training.Epoch e : f.history()) {
        history.add(
            RowFactory.create(
                f.run().runId(), e.epoch(), e.trainLoss(), e.validationLoss(), e.seconds(), e.choiceRowsPerSecond()));
      }
    }
    Outputs.parquet(spark.createDataFrame(history, HISTORY).coalesce(1), config.output() + "/history");
    List<Map<String, Object>> board = leaderboard(finished);
    writeLeaderboard(spark, board);
    Finished best = finished.stream().min(Comparator.comparingDouble(f -> f.best().validationLoss())).orElseThrow();
    writePointer(spark, best, TrainedModels.best(config.output()));
    for (String set : sets.keySet()) {
      if (!set.isEmpty()) {
        writePointer(spark, finished.stream().filter(f -> f.featureSet().equals(set))
            .min(Comparator.comparingDouble(f -> f.best().validationLoss())).orElseThrow(),
            TrainedModels.best(config.output(), set));
      }
    }
    progress.finished(String.format(Locale.ROOT, "%d run(s)", finished.size()));
    for (Map<String, Object> row : board) {
      progress.info(String.format(Locale.ROOT, "leaderboard: %s", row));
    }
    if (!best.validated() && best.fit() == null) {
      progress.info(
          String.format(
              Locale.ROOT,
              "no validation decisions in %s: trained for %d epochs and kept the last (train loss %.5f)",
              config.input(),
              best.history().size(),
              best.best().trainLoss()));
      return;
    }
    if (best.fit() != null) {
      progress.info(
          String.format(
              Locale.ROOT,
              "run %s: validation loss %.5f, train loss %.5f (mean negative log-likelihood per decision)",
              best.run().runId().substring(0, 12),
              best.best().validationLoss(),
              best.best().trainLoss()));
      return;
    }
    progress.info(
        String.format(
            Locale.ROOT,
            "best run %s: validation loss %.5f (train %.5f) at epoch %d",
            best.run().runId().substring(0, 12),
            best.best().validationLoss(),
            best.best().trainLoss(),
            best.bestEpoch()));
  }

  /** Every run of one feature set: the exact logit, parameter averaging, one local run, or the grid. */
  private List<Finished> trainSet(
      SparkSession spark, Progress progress, List<String> features, Dataset<Row> train, Dataset<Row> validation,
      String data) {
    if (config.exactLinear()) {
      return List.of(fitExactly(progress, features, train, validation, data));
    }
    if (config.mode() == TrainConfig.Mode.SPARK) {
      return List.of(trainAveraging(spark, progress, features, train, validation, data));
    }
    progress.stage("collecting decisions");
    Decisions trainData = Decisions.collect(train, features);
    Decisions validationData = Decisions.collect(validation, features);
    progress.finished(
        String.format(
            Locale.ROOT,
            "%d training decisions (%d choice rows), %d validation decisions",
            trainData.size(),
            trainData.choiceRows(),
            validationData.size()));
    List<Finished> out = new ArrayList<>();
    if (config.mode() == TrainConfig.Mode.LOCAL) {
      RunSpec run = new RunSpec(features, config.network(), config.plan(), data);
      progress.stage("training run " + run.runId().substring(0, 12) + " in this JVM");
      Training.Result r =
          Training.fit(config.network(), config.plan(), trainData, validationData, epochLine(progress, config.plan()));
      progress.finished(String.format(Locale.ROOT, "best epoch %d", r.bestEpoch()));
      out.add(new Finished(run, r.network(), r.history(), r.bestEpoch(), r.validated()));
    } else {
      List<RunSpec> runs = gridRuns(features, data);
      progress.stage(String.format(Locale.ROOT, "training a grid of %d runs as Spark tasks", runs.size()));
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      for (SparkTraining.GridResult r : SparkTraining.grid(sc, runs, trainData, validationData)) {
        out.add(new Finished(r.run(), r.network(), r.history(), r.bestEpoch(), validationData.size() > 0));
      }
      progress.finished(out.size() + " runs finished");
    }
    return out;
  }

  /**
   * The feature sets to train, name -> features ({@code train.feature-sets}; [] = every feature of the input), or
   * one unnamed set of {@code train.features}. A feature the input lacks fails naming the set.
   */
  private Map<String, List<String>> featureSets(FeatureManifest manifest, Progress progress) {
    Map<String, List<String>> sets = new LinkedHashMap<>();
    if (config.featureSets().isEmpty()) {
      sets.put("", config.features().isEmpty() ? manifest.features() : config.features());
    } else {
      config.featureSets().forEach((name, list) -> sets.put(name, list.isEmpty() ? manifest.features() : list));
    }
    for (Map.Entry<String, List<String>> set : sets.entrySet()) {
      for (String f : set.getValue()) {
        if (!manifest.features().contains(f)) {
          throw new IllegalArgumentException(
              "feature '" + f + "'" + (set.getKey().isEmpty() ? "" : " of feature set " + set.getKey())
                  + " is not in " + config.input() + "/features.json " + manifest.features());
        }
      }
    }
    return sets;
  }

  /** best.json (or best-<feature set>.json): the run's id, folder, losses and feature set. */
  private void writePointer(SparkSession spark, Finished f, String path) throws IOException {
    Map<String, Object> pointer = new LinkedHashMap<>();
    pointer.put("runId", f.run().runId());
    pointer.put("path", TrainedModels.runFolder(config.output(), f.run().runId()));
    pointer.put("validationLoss", f.best().validationLoss());
    pointer.put("trainLoss", f.best().trainLoss());
    pointer.put("validated", f.validated());
    pointer.put("featureSet", f.featureSet());
    TrainedModels.writePointer(spark, pointer, path);
  }

  /** hidden = []: the conditional logit by L-BFGS, with standard errors; its iterations are the history. */
  private Finished fitExactly(
      Progress progress, List<String> features, Dataset<Row> train, Dataset<Row> validation, String data) {
    RunSpec run = new RunSpec(features, config.network(), config.plan(), data);
    progress.stage("fitting the conditional logit of run " + run.runId().substring(0, 12) + " (L-BFGS)");
    long t0 = System.nanoTime();
    ConditionalLogit.Fit fit =
        ConditionalLogit.fit(ConditionalLogit.decisions(train, features), features, config.tolerance(), config.maxIterations());
    double seconds = (System.nanoTime() - t0) / 1e9;
    double validationLoss = ConditionalLogit.meanLoss(ConditionalLogit.decisions(validation, features), fit.estimates());
    List<Training.Epoch> history = new ArrayList<>();
    double[] losses = fit.lossHistory();
    for (int i = 0; i < losses.length; i++) {
      boolean last = i == losses.length - 1;
      history.add(
          new Training.Epoch(
              i + 1,
              last ? -fit.logLikelihood() / fit.decisions() : losses[i],
              last ? validationLoss : Double.NaN,
              last ? seconds : 0,
              last ? fit.decisions() / seconds : 0));
    }
    progress.finished(
        String.format(
            Locale.ROOT,
            "%s after %d iterations (largest mean gradient %.1e)",
            fit.converged() ? "converged" : "NOT converged",
            fit.iterations(),
            fit.gradientNorm()));
    progress.info(String.format(Locale.ROOT, "%-24s %12s %11s %11s %9s %9s", "feature", "estimate", "std.error", "robust.se", "z", "p"));
    for (int k = 0; k < features.size(); k++) {
      progress.info(
          String.format(
              Locale.ROOT,
              "%-24s %12.6f %11.6f %11.6f %9.3f %9.4f",
              features.get(k),
              fit.estimates()[k],
              fit.stdError(k),
              fit.robustStdError(k),
              fit.z(k),
              fit.pValue(k)));
    }
    if (!fit.notIdentified().isEmpty()) {
      progress.info("not identified (the same for every choice of a decision): " + fit.notIdentified());
    }
    progress.info(
        String.format(
            Locale.ROOT,
            "log-likelihood %.4f (null %.4f), rho2 %.4f, AIC %.2f, BIC %.2f; %d decisions of %d individuals",
            fit.logLikelihood(),
            fit.nullLogLikelihood(),
            fit.rho2(),
            fit.aic(),
            fit.bic(),
            fit.decisions(),
            fit.individuals()));
    return new Finished(run, null, history, history.size(), Double.isFinite(validationLoss), fit, "");
  }

  private Finished trainAveraging(
      SparkSession spark,
      Progress progress,
      List<String> features,
      Dataset<Row> train,
      Dataset<Row> validation,
      String data) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int partitions = config.partitions() > 0 ? config.partitions() : sc.defaultParallelism();
    int maxChoices = Math.max(SparkTraining.maxChoices(train), SparkTraining.maxChoices(validation));
    int batch = config.plan().batchSize();
    JavaRDD<DataSet> trainBatches = SparkTraining.minibatches(train, features, batch, maxChoices, partitions);
    JavaRDD<DataSet> validationBatches = SparkTraining.minibatches(validation, features, batch, maxChoices, partitions);
    RunSpec run = new RunSpec(features, config.network(), config.plan(), data);
    progress.stage(
        String.format(
            Locale.ROOT,
            "training run %s with parameter averaging (%d partitions, averaging every %d minibatches)",
            run.runId().substring(0, 12),
            partitions,
            config.averagingFrequency()));
    Training.Result r =
        SparkTraining.fitAveraging(
            sc,
            config.network(),
            config.plan(),
            trainBatches,
            validationBatches,
            features.size(),
            maxChoices,
            config.averagingFrequency(),
            train.count(),
            epochLine(progress, config.plan()));
    progress.finished(String.format(Locale.ROOT, "best epoch %d", r.bestEpoch()));
    return new Finished(run, r.network(), r.history(), r.bestEpoch(), r.validated());
  }

  private List<RunSpec> gridRuns(List<String> features, String data) {
    TrainConfig.Grid g = config.grid();
    List<RunSpec> runs = new ArrayList<>();
    for (List<Integer> hidden : g.hidden()) {
      for (double lr : g.learningRates()) {
        for (int batch : g.batchSizes()) {
          for (double dropout : g.dropouts()) {
            for (long seed : g.seeds()) {
              NetworkSpec net = new NetworkSpec(hidden, config.network().activation(), dropout, lr, seed);
              Training.Plan plan = new Training.Plan(batch, config.plan().epochs(), config.plan().patience(), seed);
              runs.add(new RunSpec(features, net, plan, data));
            }
          }
        }
      }
    }
    return runs;
  }

  private static Consumer<Training.Epoch> epochLine(Progress progress, Training.Plan plan) {
    double[] total = {0};
    return e -> {
      total[0] += e.seconds();
      double eta = total[0] / e.epoch() * (plan.epochs() - e.epoch());
      progress.info(
          String.format(
              Locale.ROOT,
              "  epoch %d/%d  train loss %.5f  validation loss %.5f  (%.1f s, %.0f choice rows/s, at most %.0f s to go)",
              e.epoch(),
              plan.epochs(),
              e.trainLoss(),
              e.validationLoss(),
              e.seconds(),
              e.choiceRowsPerSecond(),
              eta));
    };
  }

  private void writeRun(SparkSession spark, Finished f, FeatureManifest manifest, List<String> features)
      throws IOException {
    String dir = TrainedModels.runFolder(config.output(), f.run().runId());
    if (f.network() != null) {
      Path model = new Path(dir + "/model.zip");
      FileSystem fs = model.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(model, true)) {
        ModelSerializer.writeModel(f.network(), out, false);
      }
    }
    Outputs.text(spark, JSON.writeValueAsString(f.scorer()), dir + "/scorer.json");
    FeatureManifest used =
        new FeatureManifest(
            features,
            manifest.resolution(),
            manifest.radiusKm(),
            manifest.step(),
            manifest.transforms(),
            manifest.statistics(),
            manifest.split());
    Outputs.text(spark, used.toJson(), dir + Datasets.MANIFEST);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("runId", f.run().runId());
    run.put("mode", config.mode().name().toLowerCase(Locale.ROOT));
    run.put("input", config.input());
    run.put("features", features);
    run.put("featureSet", f.featureSet());
    run.put("network", f.run().network());
    run.put("plan", f.run().plan());
    run.put("data", f.run().data());
    run.put("validated", f.validated());
    run.put("bestEpoch", f.bestEpoch());
    run.put("epochsRun", f.history().size());
    run.put("best", f.best());
    if (f.fit() != null) {
      ConditionalLogit.Fit fit = f.fit();
      run.put("estimator", "conditional logit, L-BFGS");
      run.put("logLikelihood", fit.logLikelihood());
      run.put("nullLogLikelihood", fit.nullLogLikelihood());
      run.put("rho2", fit.rho2());
      run.put("aic", fit.aic());
      run.put("bic", fit.bic());
      run.put("decisions", fit.decisions());
      run.put("individuals", fit.individuals());
      run.put("iterations", fit.iterations());
      run.put("converged", fit.converged());
      run.put("notIdentified", fit.notIdentified());
      run.put("gradientNorm", fit.gradientNorm());
      run.put("fitSeconds", f.best().seconds());
      StringBuilder table = new StringBuilder("feature,estimate,std_error,robust_std_error,z,p_value\n");
      for (int k = 0; k < fit.features().size(); k++) {
        table.append(
            String.format(
                Locale.ROOT,
                "%s,%.10g,%.10g,%.10g,%.6f,%.6g%n",
                fit.features().get(k),
                fit.estimates()[k],
                fit.stdError(k),
                fit.robustStdError(k),
                fit.z(k),
                fit.pValue(k)));
      }
      Outputs.text(spark, table.toString().trim(), dir + "/coefficients.csv");
    }
    Outputs.json(spark, run, dir + "/run.json");
    StringBuilder csv = new StringBuilder("epoch,train_loss,validation_loss,seconds,choice_rows_per_second\n");
    for (Training.Epoch e : f.history()) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%d,%.8f,%.8f,%.3f,%.1f%n",
              e.epoch(),
              e.trainLoss(),
              e.validationLoss(),
              e.seconds(),
              e.choiceRowsPerSecond()));
    }
    Outputs.text(spark, csv.toString().trim(), dir + "/history.csv");
  }

  /** Best validation loss per configuration, with its spread over seeds; best first. */
  static List<Map<String, Object>> leaderboard(List<Finished> finished) {
    Map<String, List<Finished>> byConfig = new TreeMap<>();
    for (Finished f : finished) {
      NetworkSpec n = f.run().network();
      String key =
          String.format(
              Locale.ROOT,
              "%shidden=%s lr=%s batch=%d dropout=%s",
              f.featureSet().isEmpty() ? "" : "features=" + f.featureSet() + " ",
              n.hidden(),
              n.learningRate(),
              f.run().plan().batchSize(),
              n.dropout());
      byConfig.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map.Entry<String, List<Finished>> e : byConfig.entrySet()) {
      double[] losses = e.getValue().stream().mapToDouble(f -> f.best().validationLoss()).toArray();
      double mean = java.util.Arrays.stream(losses).average().orElse(Double.NaN);
      double sd =
          Math.sqrt(java.util.Arrays.stream(losses).map(v -> (v - mean) * (v - mean)).average().orElse(0));
      Finished best = e.getValue().stream().min(Comparator.comparingDouble(f -> f.best().validationLoss())).get();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("config", e.getKey());
      row.put("seeds", losses.length);
      row.put("best_validation_loss", best.best().validationLoss());
      row.put("mean_validation_loss", mean);
      row.put("sd_validation_loss", sd);
      row.put("worst_validation_loss", java.util.Arrays.stream(losses).max().orElse(Double.NaN));
      row.put("best_run_id", best.run().runId());
      row.put("feature_set", best.featureSet());
      rows.add(row);
    }
    // per feature set (in name order), best first within each
    rows.sort(Comparator.comparing((Map<String, Object> r) -> (String) r.get("feature_set"))
        .thenComparingDouble(r -> (Double) r.get("best_validation_loss")));
    return rows;
  }

  private void writeLeaderboard(SparkSession spark, List<Map<String, Object>> rows) throws IOException {
    StringBuilder csv =
        new StringBuilder(
            "config,seeds,best_validation_loss,mean_validation_loss,sd_validation_loss,worst_validation_loss,best_run_id,feature_set\n");
    for (Map<String, Object> r : rows) {
      csv.append(
          String.format(
              Locale.ROOT,
              "\"%s\",%d,%.8f,%.8f,%.8f,%.8f,%s,%s%n",
              r.get("config"),
              (Integer) r.get("seeds"),
              (Double) r.get("best_validation_loss"),
              (Double) r.get("mean_validation_loss"),
              (Double) r.get("sd_validation_loss"),
              (Double) r.get("worst_validation_loss"),
              r.get("best_run_id"),
              r.get("feature_set")));
    }
    Outputs.text(spark, csv.toString().trim(), config.output() + "/leaderboard.csv");
  }
}
