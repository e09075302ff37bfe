package org.shoal.pipeline.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.shoal.pipeline.schema.Cols;

/**
 * Training on Spark: parameter averaging for data that outgrows one machine (minibatches are built
 * on the executors from the choice table), and grid mode, where many independent single-JVM fits
 * run as Spark tasks.
 */
public final class SparkTraining {
  private SparkTraining() {}

  /**
   * The most choices of any decision in {@code choices} (the network's configured choice count) and
   * the choice rows the network computes in a pass, in one aggregation; with {@code pairs}, of the
   * draws the pairs make ({@link Decisions#collectDraws}: a draw of k pairs is k + 1 rows).
   */
  public static Shape shape(Dataset<Row> choices, boolean pairs) {
    Column rows = pairs ? col("n").divide(2).plus(1).cast("long") : col("n");
    Row r =
        choices
            .groupBy(col(Cols.INDIVIDUAL), col(pairs ? Cols.DRAW : Cols.DECISION))
            .agg(count(lit(1)).as("n"))
            .agg(max(rows), sum(rows))
            .first();
    return r.isNullAt(0) ? new Shape(0, 0) : new Shape((int) r.getLong(0), r.getLong(1));
  }

  /** The largest decision (or draw) and the choice rows of all of them. */
  public record Shape(int maxChoices, long choiceRows) {}

  /**
   * Minibatches of {@code batchSize} decisions built where the data lives: choices are partitioned
   * by individual and each partition's decisions become DataSets, each padded to its own largest
   * decision. With {@code pairs}, contrast pairs become draws ({@link Decisions#buildDraws}) and
   * the batch size counts pairs.
   */
  public static JavaRDD<DataSet> minibatches(
      Dataset<Row> choices, List<String> features, int batchSize, int partitions, boolean pairs) {
    List<String> names = List.copyOf(features);
    String group = pairs ? Cols.DRAW : Cols.DECISION;
    return choices
        .repartition(partitions, col(Cols.INDIVIDUAL))
        .sortWithinPartitions(Cols.INDIVIDUAL, group, Cols.DECISION, Cols.CHOICE)
        .select(pairs ? Decisions.drawColumns(names) : Decisions.columns(names))
        .javaRDD()
        .mapPartitions(
            (Iterator<Row> rows) -> {
              Decisions d =
                  pairs ? Decisions.buildDraws(rows, names) : Decisions.build(rows, names);
              return d.size() == 0
                  ? new ArrayList<DataSet>().iterator()
                  : d.batches(batchSize, null, DataType.FLOAT).iterator();
            });
  }

  /**
   * Parameter averaging: {@code averagingFrequency} minibatches per worker between averages; {@code
   * workers} null means one per Spark core. With one worker the data keeps its order (no
   * repartitioning).
   */
  public static SparkDl4jMultiLayer averaging(
      JavaSparkContext sc,
      MultiLayerNetwork initialised,
      int batchSize,
      int averagingFrequency,
      Integer workers,
      long seed) {
    return new SparkDl4jMultiLayer(
        sc, initialised, master(batchSize, averagingFrequency, workers, seed));
  }

  private static ParameterAveragingTrainingMaster master(
      int batchSize, int averagingFrequency, Integer workers, long seed) {
    ParameterAveragingTrainingMaster.Builder builder =
        workers == null
            ? new ParameterAveragingTrainingMaster.Builder(batchSize)
            : new ParameterAveragingTrainingMaster.Builder(workers, batchSize);
    if (workers != null && workers == 1) {
      builder.repartionData(org.deeplearning4j.spark.api.Repartition.Never);
    }
    ParameterAveragingTrainingMaster master =
        builder
            .rngSeed(seed)
            .batchSizePerWorker(batchSize)
            .averagingFrequency(averagingFrequency)
            .workerPrefetchNumBatches(0)
            .saveUpdater(true)
            .rddTrainingApproach(RDDTrainingApproach.Direct)
            .storageLevel(StorageLevel.MEMORY_AND_DISK())
            .collectTrainingStats(false)
            .trainingHooks(new TaskCores())
            .build();
    return master;
  }

  /**
   * Gives each worker's minibatch (and each grid run) as many native threads as its task has cores
   * ({@code spark.task.cpus}): tasks side by side on an executor would otherwise each spread over
   * all its cores.
   */
  private static final class TaskCores implements org.deeplearning4j.spark.api.TrainingHook {
    @Override
    public void preUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
      useTaskCores();
    }

    @Override
    public void preUpdate(org.nd4j.linalg.dataset.api.MultiDataSet minibatch, Model model) {
      useTaskCores();
    }

    @Override
    public void postUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {}

    @Override
    public void postUpdate(org.nd4j.linalg.dataset.api.MultiDataSet minibatch, Model model) {}

    private static void useTaskCores() {
      org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
      if (task != null) {
        NativeThreads.set(task.cpus());
      }
    }
  }

  /**
   * How to average: the network, the fitting plan and how many minibatches each worker fits between
   * averages.
   */
  public record Averaging(NetworkSpec network, Training.Plan plan, int averagingFrequency) {}

  /**
   * Minibatches on the executors, every one padded to {@code maxChoices}; {@code choiceRows} (the
   * training rows the network computes) gives each epoch's throughput; {@code pairwise}: the
   * minibatches hold draws of contrast pairs.
   */
  public record Minibatches(
      JavaRDD<DataSet> train,
      JavaRDD<DataSet> validation,
      int features,
      int maxChoices,
      long choiceRows,
      boolean pairwise) {
    /**
     * The training and validation choices as minibatches of {@code batchSize} decisions in {@code
     * partitions}; with {@code pairs}, contrast pairs as draws.
     */
    public static Minibatches of(
        Dataset<Row> train,
        Dataset<Row> validation,
        List<String> features,
        int batchSize,
        int partitions,
        boolean pairs) {
      Shape trainShape = shape(train, pairs);
      return new Minibatches(
          minibatches(train, features, batchSize, partitions, pairs),
          minibatches(validation, features, batchSize, partitions, pairs),
          features.size(),
          Math.max(trainShape.maxChoices(), shape(validation, pairs).maxChoices()),
          trainShape.choiceRows(),
          pairs);
    }
  }

  /**
   * Parameter-averaging counterpart of {@link Training#fit}: same epoch loop, early stopping and
   * best epoch.
   */
  public static Training.Result fitAveraging(
      JavaSparkContext sc,
      Averaging averaging,
      Minibatches data,
      Consumer<Training.Epoch> progress) {
    Training.requireTrainingDecisions(data.choiceRows());
    NetworkSpec spec = averaging.network();
    Training.Plan plan = averaging.plan();
    data.train().persist(StorageLevel.MEMORY_AND_DISK());
    data.validation().persist(StorageLevel.MEMORY_AND_DISK());
    SparkDl4jMultiLayer net =
        new SparkDl4jMultiLayer(
            sc,
            Training.newNetwork(spec, data.features(), data.maxChoices(), data.pairwise()),
            master(plan.batchSize(), averaging.averagingFrequency(), null, plan.seed()));
    boolean validated = !data.validation().isEmpty();
    Training.Kept kept =
        Training.epochs(
            plan,
            validated,
            data.choiceRows(),
            new Training.EpochRunner() {
              @Override
              public void fit(int epoch) {
                net.fit(data.train());
              }

              @Override
              public Training.Losses score() {
                // A plain-Java copy of the weights: in local mode DL4J's calculateScore shares (and
                // releases) the
                // driver's parameter buffers.
                LogOddsScorer scorer =
                    LogOddsScorer.of(net.getNetwork(), List.of(), spec.activation());
                return new Training.Losses(
                    meanLoss(sc, scorer, data.train(), data.pairwise()),
                    meanLoss(sc, scorer, data.validation(), data.pairwise()));
              }

              @Override
              public INDArray params() {
                return net.getNetwork().params();
              }
            },
            progress);
    NativeThreads.reset(); // in local mode the workers ran in this JVM
    MultiLayerNetwork result = net.getNetwork().clone();
    result.setParams(kept.params());
    data.train().unpersist();
    data.validation().unpersist();
    return new Training.Result(result, kept.history(), kept.bestEpoch(), validated);
  }

  /**
   * Mean negative log-likelihood per decision of minibatches [B, F, M] + mask, computed on the
   * executors; per pair for {@code pairwise} draws ({@link PairwiseLoss}).
   */
  public static double meanLoss(
      JavaSparkContext sc, LogOddsScorer scorer, JavaRDD<DataSet> batches, boolean pairwise) {
    Broadcast<LogOddsScorer> model = sc.broadcast(scorer);
    double[] sums =
        batches
            .map(
                b -> {
                  LogOddsScorer s = model.value();
                  float[] x = b.getFeatures().castTo(DataType.FLOAT).data().asFloat();
                  double[] mask =
                      b.getFeaturesMaskArray().castTo(DataType.DOUBLE).data().asDouble();
                  double[] y = b.getLabels().castTo(DataType.DOUBLE).data().asDouble();
                  int n = (int) b.getFeatures().size(0);
                  int f = (int) b.getFeatures().size(1);
                  int m = (int) b.getFeatures().size(2);
                  double[] row = new double[f];
                  double[] phi = new double[n * m];
                  for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                      if (mask[i * m + j] != 0) {
                        for (int k = 0; k < f; k++) {
                          row[k] = x[(i * f + k) * m + j];
                        }
                        phi[i * m + j] = s.logOdds(row);
                      }
                    }
                  }
                  return Training.lossSums(phi, mask, y, n, m, pairwise);
                })
            .fold(new double[] {0, 0}, (a, c) -> new double[] {a[0] + c[0], a[1] + c[1]});
    model.destroy();
    return sums[1] == 0 ? Double.NaN : sums[0] / sums[1];
  }

  /** What one grid run sends back to the driver: its history and the trained network as bytes. */
  public record GridResult(RunSpec run, List<Training.Epoch> history, int bestEpoch, byte[] model)
      implements Serializable {
    public MultiLayerNetwork network() {
      try {
        return ModelSerializer.restoreMultiLayerNetwork(
            new java.io.ByteArrayInputStream(model), true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public Training.Epoch best() {
      return history.get(bestEpoch - 1);
    }
  }

  /**
   * Runs every grid entry as its own Spark task, each a single-JVM fit on broadcast data with as
   * many native threads as the task has cores.
   */
  public static List<GridResult> grid(
      JavaSparkContext sc, List<RunSpec> runs, Decisions train, Decisions validation) {
    Broadcast<Decisions> trainData = sc.broadcast(train);
    Broadcast<Decisions> validationData = sc.broadcast(validation);
    List<GridResult> out =
        sc.parallelize(runs, runs.size())
            .map(
                run -> {
                  TaskCores.useTaskCores();
                  Training.Result r =
                      Training.fit(
                          run.network(),
                          run.plan(),
                          trainData.value(),
                          validationData.value(),
                          e -> {});
                  ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                  ModelSerializer.writeModel(r.network(), bytes, false);
                  return new GridResult(run, r.history(), r.bestEpoch(), bytes.toByteArray());
                })
            .collect();
    NativeThreads.reset(); // in local mode the tasks ran in this JVM
    trainData.destroy();
    validationData.destroy();
    return out;
  }
}
