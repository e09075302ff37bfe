package org.shoal.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.shoal.jobs.config.TrainConfig;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.model.ConditionalLogit;
import org.shoal.pipeline.model.Decisions;
import org.shoal.pipeline.model.Leaderboard;
import org.shoal.pipeline.model.LogOddsScorer;
import org.shoal.pipeline.model.NetworkSpec;
import org.shoal.pipeline.model.RunSpec;
import org.shoal.pipeline.model.SparkTraining;
import org.shoal.pipeline.model.Training;
import org.shoal.pipeline.schema.Schemas;
import org.shoal.pipeline.schema.Split;
import picocli.CommandLine.Command;

/**
 * {@code shoal train}: fits the log-odds network on the training split of shoal.train.input and
 * validates on its validation split, in one JVM, with Spark parameter averaging, or as a grid of
 * runs on Spark executors. Every run writes runs/&lt;run id&gt;/ (model.zip, scorer.json,
 * features.json, run.json, history.csv); the job writes history/ (Parquet), leaderboard.csv and
 * best.json (the run with the lowest validation loss).
 */
@Command(name = "train", description = "Train the log-odds model (local, averaging or grid).")
final class TrainJob extends JobCommand<TrainConfig> {
  TrainJob() {
    super(TrainConfig::from);
  }

  /**
   * One finished run, however it was trained: a DL4J network, or the exact conditional logit
   * ({@code fit}).
   */
  private record Finished(
      RunSpec run,
      MultiLayerNetwork network,
      List<Training.Epoch> history,
      int bestEpoch,
      boolean validated,
      ConditionalLogit.Fit fit,
      String featureSet) {
    Finished(RunSpec run, Training.Result r) {
      this(run, r.network(), r.history(), r.bestEpoch(), r.validated(), null, "");
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

    Leaderboard.Entry entry() {
      return new Leaderboard.Entry(featureSet, run, best().validationLoss());
    }
  }

  /** run.json: what a run was and how it went; the exact logit's fit statistics when it is one. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record RunRecord(
      String runId,
      String mode,
      String input,
      List<String> features,
      String featureSet,
      NetworkSpec network,
      Training.Plan plan,
      String data,
      boolean validated,
      int bestEpoch,
      int epochsRun,
      Training.Epoch best,
      String estimator,
      Double logLikelihood,
      Double nullLogLikelihood,
      Double rho2,
      Double aic,
      Double bic,
      Long decisions,
      Long individuals,
      Integer iterations,
      Boolean converged,
      List<String> notIdentified,
      Double gradientNorm,
      Double fitSeconds) {
    static RunRecord of(Finished f, TrainConfig config) {
      ConditionalLogit.Fit fit = f.fit();
      boolean exact = fit != null;
      return new RunRecord(
          f.run().runId(),
          config.mode().name().toLowerCase(Locale.ROOT),
          config.input(),
          f.run().features(),
          f.featureSet(),
          f.run().network(),
          f.run().plan(),
          f.run().data(),
          f.validated(),
          f.bestEpoch(),
          f.history().size(),
          f.best(),
          exact ? "conditional logit, L-BFGS" : null,
          exact ? fit.logLikelihood() : null,
          exact ? fit.nullLogLikelihood() : null,
          exact ? fit.rho2() : null,
          exact ? fit.aic() : null,
          exact ? fit.bic() : null,
          exact ? fit.decisions() : null,
          exact ? fit.individuals() : null,
          exact ? fit.iterations() : null,
          exact ? fit.converged() : null,
          exact ? fit.notIdentified() : null,
          exact ? fit.gradientNorm() : null,
          exact ? f.best().seconds() : null);
    }
  }

  /** best.json (or best-<feature set>.json): the run's id, folder, losses and feature set. */
  record Pointer(
      String runId,
      String path,
      double validationLoss,
      double trainLoss,
      boolean validated,
      String featureSet) {}

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    FeatureManifest manifest = Datasets.manifest(spark, config.input());
    Map<String, List<String>> sets = featureSets(manifest);
    Inputs.ParquetTable table = Datasets.choiceTable(spark, config.input());
    Dataset<Row> choices = table.rows();
    if (config.mode() == TrainConfig.Mode.LOCAL && !config.exactLinear()) {
      String tooLarge = tooLargeForThisJvm(table.count(), sets, manifest);
      if (tooLarge != null) {
        progress.info(
            tooLarge
                + ": training with parameter averaging instead (train.mode = spark), which streams"
                + " minibatches from the table; a larger heap (SHOAL_JAVA_OPTS=-Xmx..., or"
                + " spark-submit --driver-memory) trains in one JVM");
        config = config.withMode(TrainConfig.Mode.SPARK);
      }
    }
    // The run id covers the data's content, so models trained on different data never overwrite
    // each other.
    String data = config.input() + "#" + Datasets.fingerprint(spark, config.input());
    Dataset<Row> train = choices.filter(Split.TRAIN.rows());
    Dataset<Row> validation = choices.filter(Split.VALIDATION.rows());
    sets.forEach(
        (name, features) ->
            progress.info(
                (name.isEmpty() ? "" : "feature set " + name + ": ")
                    + "features: "
                    + String.join(", ", features)));
    List<Finished> finished = new ArrayList<>();
    if (config.mode() == TrainConfig.Mode.LOCAL && !config.exactLinear()) {
      finished.addAll(trainLocally(progress, sets, manifest, train, validation, data));
    } else {
      sets.forEach(
          (name, features) ->
              trainSet(
                      spark,
                      progress,
                      features,
                      train,
                      validation,
                      data,
                      manifest.pairs(),
                      manifest.decisionsInSortedFiles())
                  .forEach(f -> finished.add(f.inSet(name))));
    }

    progress.stage("writing models to " + config.output());
    writeRuns(spark, finished, manifest);
    List<Leaderboard.Row> board = Leaderboard.of(finished.stream().map(Finished::entry).toList());
    Outputs.text(spark, Leaderboard.csv(board), config.output() + "/leaderboard.csv");
    Finished best = writePointers(spark, finished, sets.keySet());
    progress.finished(String.format(Locale.ROOT, "%d run(s)", finished.size()));
    board.forEach(row -> progress.info("leaderboard: " + row.line()));
    progress.info(outcome(best));
  }

  /**
   * Why local mode cannot hold these decisions in this JVM, or null when it can. It holds them as
   * floats, about 4 bytes per collected choice row and feature: the collected features once, and
   * each set's own (a copy, or the same again for its loss passes) twice, against {@code
   * train.local-memory-mb} or 80 % of the heap this JVM has free; and a Java array holds at most
   * 2^31 - 1 of them.
   */
  private String tooLargeForThisJvm(
      long tableRows, Map<String, List<String>> sets, FeatureManifest manifest) {
    long choiceRows = collectedChoiceRows(tableRows, manifest);
    long collected = collectedFeatures(sets, manifest).size();
    long perRow = collected + 2L * sets.values().stream().mapToLong(List::size).sum();
    long bytes = 4L * choiceRows * perRow;
    if (choiceRows * collected > Integer.MAX_VALUE) {
      return String.format(
          Locale.ROOT,
          "%d choice rows x %d features are more values than a Java array holds",
          choiceRows,
          collected);
    }
    long budget = localBudget(bytes);
    if (bytes <= budget) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "the decisions need about %.1f MB as floats in this JVM (%d choice rows as collected),"
            + " more than the %.1f MB local mode may use (%s)",
        bytes / 1048576.0,
        choiceRows,
        budget / 1048576.0,
        config.localMemoryBytes() > 0 ? "train.local-memory-mb" : "80 % of the free heap");
  }

  /**
   * The choice rows local mode collects from a table of {@code tableRows}: all of them, but for
   * contrast pairs whose manifest names the alternatives per draw (A), which are collected as
   * draws, each selected choice once: pairs + pairs / A (on the demo's contrasts 1.51 M of 2.87 M).
   */
  private static long collectedChoiceRows(long tableRows, FeatureManifest manifest) {
    Integer alternatives = manifest.alternatives();
    if (!manifest.pairs() || alternatives == null || alternatives < 1) {
      return tableRows;
    }
    long pairs = tableRows / 2;
    return pairs + (pairs + alternatives - 1) / alternatives;
  }

  /**
   * What local mode may use: {@code train.local-memory-mb}, else 80 % of the heap this JVM could
   * still use, measured again after a full collection when that falls short of {@code needed}:
   * garbage not yet collected counts as used, and after earlier stages in the same JVM it can be
   * most of a small heap (-Xmx1g, spark-submit's default).
   */
  private long localBudget(long needed) {
    if (config.localMemoryBytes() > 0) {
      return config.localMemoryBytes();
    }
    long free = freeHeapShare();
    if (free >= needed) {
      return free;
    }
    System.gc();
    return freeHeapShare();
  }

  /** 80 % of the heap this JVM could still use. */
  private static long freeHeapShare() {
    Runtime jvm = Runtime.getRuntime();
    return (long) (0.8 * (jvm.maxMemory() - (jvm.totalMemory() - jvm.freeMemory())));
  }

  /** The features local mode collects: every set's, in the manifest's order. */
  private static List<String> collectedFeatures(
      Map<String, List<String>> sets, FeatureManifest manifest) {
    java.util.Set<String> used = new java.util.HashSet<>();
    sets.values().forEach(used::addAll);
    return manifest.features().stream().filter(used::contains).toList();
  }

  /**
   * Local mode: the decisions are collected once with every set's features, then each set's run
   * fits on the driver, {@code train.parallel-runs} side by side.
   */
  private List<Finished> trainLocally(
      Progress progress,
      Map<String, List<String>> sets,
      FeatureManifest manifest,
      Dataset<Row> train,
      Dataset<Row> validation,
      String data) {
    List<String> collected = collectedFeatures(sets, manifest);
    Collected decisions =
        collect(
            progress,
            train,
            validation,
            collected,
            manifest.pairs(),
            manifest.decisionsInSortedFiles());
    List<RunSpec> runs = new ArrayList<>();
    List<Training.Fit> fits = new ArrayList<>();
    sets.forEach(
        (name, features) -> {
          RunSpec run = new RunSpec(features, config.network(), config.plan(), data);
          runs.add(run);
          String label = name.isEmpty() ? "run " + run.runId().substring(0, 12) : name;
          fits.add(
              new Training.Fit(
                  label,
                  config.network(),
                  config.plan(),
                  decisions.train().select(collected, features),
                  decisions.validation().select(collected, features),
                  epochLine(progress, config.plan(), sets.size() > 1 ? name + ": " : "")));
        });
    int parallel =
        Math.min(
            fits.size(),
            config.parallelRuns() > 0
                ? config.parallelRuns()
                : Runtime.getRuntime().availableProcessors());
    progress.stage(
        fits.size() == 1
            ? "training " + fits.get(0).label() + " in this JVM"
            : String.format(
                Locale.ROOT,
                "training %d runs in this JVM, %d at a time%s",
                fits.size(),
                parallel,
                parallel > 1 ? " (one native thread each)" : ""));
    List<Training.Result> results = Training.fitAll(fits, parallel);
    List<Finished> out = new ArrayList<>();
    List<String> names = new ArrayList<>(sets.keySet());
    List<String> bestEpochs = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      out.add(new Finished(runs.get(i), results.get(i)).inSet(names.get(i)));
      bestEpochs.add(
          (names.get(i).isEmpty() ? "" : names.get(i) + " ") + results.get(i).bestEpoch());
    }
    progress.finished(
        (bestEpochs.size() == 1 ? "best epoch " : "best epochs: ") + String.join(", ", bestEpochs));
    return out;
  }

  /** The training and validation decisions, in memory on the driver. */
  private record Collected(Decisions train, Decisions validation) {}

  /**
   * Contrast pairs are collected as draws, each selected choice once with the alternatives it was
   * paired with ({@link Decisions#collectDraws}).
   */
  private Collected collect(
      Progress progress,
      Dataset<Row> train,
      Dataset<Row> validation,
      List<String> features,
      boolean pairs,
      boolean sortedFiles) {
    progress.stage("collecting decisions");
    // Every decision whole in one sorted file (features.json says so): each file is built where it
    // is read, without a shuffle, and the driver puts the individuals in order.
    Collected c =
        sortedFiles
            ? Datasets.streamedAsDeclared(
                train.sparkSession(),
                progress,
                config.input(),
                "collecting them with a shuffle by decision",
                () -> {
                  Decisions t = Decisions.collectSorted(train, features, pairs);
                  Decisions v =
                      t == null ? null : Decisions.collectSorted(validation, features, pairs);
                  return v == null ? null : new Collected(t, v);
                })
            : null;
    if (c == null) {
      c =
          pairs
              ? new Collected(
                  Decisions.collectDraws(train, features),
                  Decisions.collectDraws(validation, features))
              : new Collected(
                  Decisions.collect(train, features), Decisions.collect(validation, features));
    }
    progress.finished(
        pairs
            ? String.format(
                Locale.ROOT,
                "%d training pairs in %d draws (%d choice rows, each selected choice once), %d validation pairs",
                c.train().pairsOrDecisions(),
                c.train().size(),
                c.train().choiceRows(),
                c.validation().pairsOrDecisions())
            : String.format(
                Locale.ROOT,
                "%d training decisions (%d choice rows), %d validation decisions",
                c.train().size(),
                c.train().choiceRows(),
                c.validation().size()));
    List<String> far = c.train().farFromUnitScale(features, FAR_FROM_UNIT_SCALE);
    if (!far.isEmpty()) {
      progress.info(
          "features far from unit scale on the training rows: "
              + String.join(", ", far)
              + "; a network starts far off on them and learns slowly: give them a zscore transform"
              + " (expand.features or import.features: column -> zscore; an import interaction"
              + " takes the scale of the column it multiplies, so rescale that column)");
    }
    return c;
  }

  /** A feature whose training mean or sd exceeds this is worth a warning before a network fit. */
  private static final double FAR_FROM_UNIT_SCALE = 10;

  /**
   * Every run of one feature set outside local mode: the exact logit, parameter averaging, or the
   * grid.
   */
  private List<Finished> trainSet(
      SparkSession spark,
      Progress progress,
      List<String> features,
      Dataset<Row> train,
      Dataset<Row> validation,
      String data,
      boolean pairs,
      boolean sortedFiles) {
    if (config.exactLinear()) {
      return List.of(fitExactly(progress, features, train, validation, data));
    }
    RunSpec single = new RunSpec(features, config.network(), config.plan(), data);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (config.mode() == TrainConfig.Mode.SPARK) {
      int partitions = config.partitions() > 0 ? config.partitions() : sc.defaultParallelism();
      progress.stage(
          String.format(
              Locale.ROOT,
              "training run %s with parameter averaging (%d partitions, averaging every %d minibatches)",
              single.runId().substring(0, 12),
              partitions,
              config.averagingFrequency()));
      Training.Result r =
          SparkTraining.fitAveraging(
              sc,
              new SparkTraining.Averaging(
                  config.network(), config.plan(), config.averagingFrequency()),
              SparkTraining.Minibatches.of(
                  train, validation, features, config.plan().batchSize(), partitions, pairs),
              epochLine(progress, config.plan()));
      progress.finished(String.format(Locale.ROOT, "best epoch %d", r.bestEpoch()));
      return List.of(new Finished(single, r));
    }
    Collected decisions = collect(progress, train, validation, features, pairs, sortedFiles);
    List<RunSpec> runs =
        config.grid().runs(features, config.network().activation(), config.plan(), data);
    progress.stage(
        String.format(Locale.ROOT, "training a grid of %d runs as Spark tasks", runs.size()));
    List<Finished> out = new ArrayList<>();
    for (SparkTraining.GridResult r :
        SparkTraining.grid(sc, runs, decisions.train(), decisions.validation())) {
      out.add(
          new Finished(
              r.run(),
              r.network(),
              r.history(),
              r.bestEpoch(),
              decisions.validation().size() > 0,
              null,
              ""));
    }
    progress.finished(out.size() + " runs finished");
    return out;
  }

  /**
   * The feature sets to train, name -> features ({@code train.feature-sets}; [] = every feature of
   * the input), or one unnamed set of {@code train.features}. A feature the input lacks fails
   * naming the set.
   */
  private Map<String, List<String>> featureSets(FeatureManifest manifest) {
    Map<String, List<String>> sets = new LinkedHashMap<>();
    if (config.featureSets().isEmpty()) {
      sets.put("", config.features().isEmpty() ? manifest.features() : config.features());
    } else {
      config
          .featureSets()
          .forEach((name, list) -> sets.put(name, list.isEmpty() ? manifest.features() : list));
    }
    for (Map.Entry<String, List<String>> set : sets.entrySet()) {
      for (String f : set.getValue()) {
        if (!manifest.features().contains(f)) {
          throw new IllegalArgumentException(
              "feature '"
                  + f
                  + "'"
                  + (set.getKey().isEmpty() ? "" : " of feature set " + set.getKey())
                  + " is not in "
                  + config.input()
                  + "/features.json "
                  + manifest.features());
        }
      }
    }
    return sets;
  }

  /**
   * best.json for the best run overall and best-<set>.json for each named set's; returns the best
   * overall.
   */
  private Finished writePointers(
      SparkSession spark, List<Finished> finished, java.util.Set<String> sets) throws IOException {
    Finished best = bestOf(finished);
    writePointer(spark, best, TrainedModels.best(config.output()));
    for (String set : sets) {
      if (!set.isEmpty()) {
        writePointer(
            spark,
            bestOf(finished.stream().filter(f -> f.featureSet().equals(set)).toList()),
            TrainedModels.best(config.output(), set));
      }
    }
    return best;
  }

  private static Finished bestOf(List<Finished> finished) {
    return finished.stream()
        .min(Comparator.comparingDouble(f -> f.best().validationLoss()))
        .orElseThrow();
  }

  private void writePointer(SparkSession spark, Finished f, String path) throws IOException {
    Pointer pointer =
        new Pointer(
            f.run().runId(),
            TrainedModels.runFolder(config.output(), f.run().runId()),
            f.best().validationLoss(),
            f.best().trainLoss(),
            f.validated(),
            f.featureSet());
    TrainedModels.writePointer(spark, pointer, path);
  }

  /** The closing line: the best run's losses, or why there is no validation loss. */
  private String outcome(Finished best) {
    if (!best.validated() && best.fit() == null) {
      return String.format(
          Locale.ROOT,
          "no validation decisions in %s: trained for %d epochs and kept the last (train loss %.5f)",
          config.input(),
          best.history().size(),
          best.best().trainLoss());
    }
    if (best.fit() != null) {
      return String.format(
          Locale.ROOT,
          "run %s: validation loss %.5f, train loss %.5f (mean negative log-likelihood per decision)",
          best.run().runId().substring(0, 12),
          best.best().validationLoss(),
          best.best().trainLoss());
    }
    return String.format(
        Locale.ROOT,
        "best run %s: validation loss %.5f (train %.5f) at epoch %d",
        best.run().runId().substring(0, 12),
        best.best().validationLoss(),
        best.best().trainLoss(),
        best.bestEpoch());
  }

  /**
   * hidden = []: the conditional logit by L-BFGS, with standard errors; its iterations are the
   * history.
   */
  private Finished fitExactly(
      Progress progress,
      List<String> features,
      Dataset<Row> train,
      Dataset<Row> validation,
      String data) {
    RunSpec run = new RunSpec(features, config.network(), config.plan(), data);
    progress.stage(
        "fitting the conditional logit of run " + run.runId().substring(0, 12) + " (L-BFGS)");
    long t0 = System.nanoTime();
    ConditionalLogit.Fit fit =
        ConditionalLogit.fit(
            ConditionalLogit.decisions(train, features),
            features,
            config.tolerance(),
            config.maxIterations());
    double seconds = (System.nanoTime() - t0) / 1e9;
    double validationLoss =
        ConditionalLogit.meanLoss(
            ConditionalLogit.decisions(validation, features), fit.estimates());
    List<Training.Epoch> history = fit.history(validationLoss, seconds);
    progress.finished(
        String.format(
            Locale.ROOT,
            "%s after %d iterations (largest mean gradient %.1e)",
            fit.converged() ? "converged" : "NOT converged",
            fit.iterations(),
            fit.gradientNorm()));
    fit.summaryLines().forEach(progress::info);
    return new Finished(
        run, null, history, history.size(), Double.isFinite(validationLoss), fit, "");
  }

  private static Consumer<Training.Epoch> epochLine(Progress progress, Training.Plan plan) {
    return epochLine(progress, plan, "");
  }

  /** Each epoch's line, after {@code prefix} (a feature set's name when several train at once). */
  private static Consumer<Training.Epoch> epochLine(
      Progress progress, Training.Plan plan, String prefix) {
    double[] total = {0};
    return e -> {
      total[0] += e.seconds();
      double eta = total[0] / e.epoch() * (plan.epochs() - e.epoch());
      progress.info(
          String.format(
              Locale.ROOT,
              "  %sepoch %d/%d  train loss %.5f  validation loss %.5f  (%.1f s, %.0f choice rows/s, at most %.0f s to go)",
              prefix,
              e.epoch(),
              plan.epochs(),
              e.trainLoss(),
              e.validationLoss(),
              e.seconds(),
              e.choiceRowsPerSecond(),
              eta));
    };
  }

  /** Every run's folder, and history/ (Parquet) with every run's epochs. */
  private void writeRuns(SparkSession spark, List<Finished> finished, FeatureManifest manifest)
      throws IOException {
    List<Row> history = new ArrayList<>();
    for (Finished f : finished) {
      writeRun(spark, f, manifest.withFeatures(f.run().features()));
      for (Training.Epoch e : f.history()) {
        history.add(
            RowFactory.create(
                f.run().runId(),
                e.epoch(),
                e.trainLoss(),
                e.validationLoss(),
                e.seconds(),
                e.choiceRowsPerSecond()));
      }
    }
    Outputs.parquet(
        spark.createDataFrame(history, Schemas.HISTORY).coalesce(1), config.output() + "/history");
  }

  private void writeRun(SparkSession spark, Finished f, FeatureManifest used) throws IOException {
    String dir = TrainedModels.runFolder(config.output(), f.run().runId());
    if (f.network() != null) {
      Path model = new Path(dir + "/model.zip");
      FileSystem fs = model.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(model, true)) {
        ModelSerializer.writeModel(f.network(), out, false);
      }
    }
    Outputs.text(spark, JSON.writeValueAsString(f.scorer()), dir + "/scorer.json");
    // a model's features and statistics, not a choice table: no layout
    Outputs.text(spark, used.withLayout(null).toJson(), dir + Datasets.MANIFEST);
    if (f.fit() != null) {
      Outputs.text(spark, f.fit().coefficientsCsv(), dir + "/coefficients.csv");
    }
    Outputs.json(spark, RunRecord.of(f, config), dir + "/run.json");
    StringBuilder csv =
        new StringBuilder("epoch,train_loss,validation_loss,seconds,choice_rows_per_second\n");
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

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
}
