package org.shoal.pipeline.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Single-JVM training with the research's fixes built in: after every epoch an evaluation pass
 * gives the training loss of the epoch's weights (not the running mean of minibatch scores, which
 * is computed while the weights change and with dropout on; on {@link #trainLossSample}), next to
 * the validation loss; training stops when validation has not improved for {@code patience} epochs,
 * and the best-validation epoch's weights are what is kept.
 */
public final class Training {
  /**
   * How to fit: batch size in decisions, epochs, patience (0 = never stop early), shuffling seed.
   */
  public record Plan(int batchSize, int epochs, int patience, long seed)
      implements java.io.Serializable {
    public Plan {
      if (batchSize < 1 || epochs < 1 || patience < 0) {
        throw new IllegalArgumentException("need batch size >= 1, epochs >= 1 and patience >= 0");
      }
    }
  }

  /** One epoch's record; losses are mean negative log-likelihood per decision. */
  public record Epoch(
      int epoch,
      double trainLoss,
      double validationLoss,
      double seconds,
      double choiceRowsPerSecond)
      implements java.io.Serializable {}

  /**
   * @param validated whether a validation split scored the epochs; without one the last epoch is
   *     kept
   */
  public record Result(
      MultiLayerNetwork network, List<Epoch> history, int bestEpoch, boolean validated) {
    public Epoch best() {
      return history.get(bestEpoch - 1);
    }
  }

  private Training() {}

  /**
   * A freshly initialised network; the same spec (seed included) gives the same initial weights.
   * For pairwise draws ({@link PairwiseLoss}) when {@code pairwise}.
   */
  public static MultiLayerNetwork newNetwork(
      NetworkSpec spec, int features, int maxChoices, boolean pairwise) {
    MultiLayerNetwork net =
        new MultiLayerNetwork(spec.configuration(features, maxChoices, pairwise));
    net.init();
    // DL4J 1.0.0-M2 does not reproduce its weight initialisation from the configuration's seed, so
    // the weights
    // are drawn here: Xavier (normal, variance 2 / (fan in + fan out)), zero biases, from
    // java.util.Random(seed).
    java.util.Random rng = new java.util.Random(spec.seed());
    for (int i = 0; i < net.getnLayers(); i++) {
      if (net.getLayer(i).numParams() == 0) {
        continue;
      }
      INDArray w = net.getLayer(i).getParam("W");
      long fanIn = w.size(0);
      long fanOut = w.size(1);
      double sd = Math.sqrt(2.0 / (fanIn + fanOut));
      double[][] values = new double[(int) fanIn][(int) fanOut];
      for (double[] row : values) {
        for (int j = 0; j < row.length; j++) {
          row[j] = rng.nextGaussian() * sd;
        }
      }
      net.getLayer(i).setParam("W", Nd4j.create(values).castTo(w.dataType()));
      net.getLayer(i).setParam("b", Nd4j.zeros(w.dataType(), 1, fanOut));
    }
    // ND4J's per-thread generator drives dropout masks.
    Nd4j.getRandom().setSeed(spec.seed());
    return net;
  }

  /**
   * Mean negative log-likelihood per decision (per pair for a pairwise network); NaN for none.
   * Computed from the network's log-odds with a log-softmax in double precision (not the log of a
   * float probability, which underflows to -Infinity as soon as one choice dominates, e.g. on a
   * large raw feature).
   */
  public static double meanLoss(MultiLayerNetwork net, List<DataSet> batches) {
    // The masked-choice layer's output is φ as [decisions, choices] (with no mask given, padded
    // choices are not offset: they are skipped below by the batch's own mask).
    int logOddsLayer = net.getnLayers() - 2;
    boolean pairwise = isPairwise(net);
    double sum = 0;
    long n = 0;
    for (DataSet b : batches) {
      List<INDArray> activations = net.feedForwardToLayer(logOddsLayer, b.getFeatures(), false);
      INDArray phi = activations.get(activations.size() - 1);
      int rows = (int) phi.size(0);
      int m = (int) phi.size(1);
      double[] logOdds = phi.castTo(DataType.DOUBLE).reshape('c', rows, m).data().asDouble();
      double[] mask =
          b.getFeaturesMaskArray().castTo(DataType.DOUBLE).reshape('c', rows, m).data().asDouble();
      double[] label =
          b.getLabels().castTo(DataType.DOUBLE).reshape('c', rows, m).data().asDouble();
      double[] sums = lossSums(logOdds, mask, label, rows, m, pairwise);
      sum += sums[0];
      n += (long) sums[1];
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * The summed negative log-likelihood of {@code rows} examples of {@code m} slots (log-odds, mask
   * and labels row-major) and how many decisions it covers: each example is a decision under a
   * softmax, or with {@code pairwise} a draw whose pairs each count ({@link PairwiseLoss}).
   */
  static double[] lossSums(
      double[] logOdds, double[] mask, double[] label, int rows, int m, boolean pairwise) {
    double sum = 0;
    long n = 0;
    for (int i = 0; i < rows; i++) {
      if (pairwise) {
        // padded slots are labelled −1, outside every pair
        sum += PairwiseLoss.summed(label, logOdds, i, m);
        n += PairwiseLoss.alternatives(label, i, m);
        continue;
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < m; j++) {
        if (mask[i * m + j] != 0) {
          max = Math.max(max, logOdds[i * m + j]);
        }
      }
      double z = 0;
      double selected = 0;
      for (int j = 0; j < m; j++) {
        if (mask[i * m + j] != 0) {
          z += Math.exp(logOdds[i * m + j] - max);
          selected += label[i * m + j] * logOdds[i * m + j];
        }
      }
      sum += max + Math.log(z) - selected;
      n++;
    }
    return new double[] {sum, n};
  }

  private static boolean isPairwise(MultiLayerNetwork net) {
    return net.getLayerWiseConfigurations().getConf(net.getnLayers() - 1).getLayer()
            instanceof org.deeplearning4j.nn.conf.layers.LossLayer loss
        && loss.getLossFn() instanceof PairwiseLoss;
  }

  public static Result fit(
      NetworkSpec spec,
      Plan plan,
      Decisions train,
      Decisions validation,
      Consumer<Epoch> progress) {
    requireTrainingDecisions(train.size());
    int maxChoices = Math.max(train.maxChoices(), validation.maxChoices());
    if (train.pairwise() != validation.pairwise()) {
      throw new IllegalArgumentException("training and validation decisions must both be pairwise");
    }
    MultiLayerNetwork net = newNetwork(spec, train.features(), maxChoices, train.pairwise());
    // built once, scored after every epoch
    List<DataSet> trainEval =
        List.copyOf(
            trainLossSample(train, validation)
                .bucketedBatches(plan.batchSize(), null, DataType.FLOAT));
    List<DataSet> validationEval =
        List.copyOf(validation.bucketedBatches(plan.batchSize(), null, DataType.FLOAT));
    Kept kept =
        epochs(
            plan,
            validation.size() > 0,
            train.choiceRows(),
            new EpochRunner() {
              @Override
              public void fit(int epoch) {
                long shuffle = plan.seed() * 1_000_003L + epoch;
                for (DataSet b : train.bucketedBatches(plan.batchSize(), shuffle, DataType.FLOAT)) {
                  net.fit(b);
                }
              }

              @Override
              public Losses score() {
                return new Losses(meanLoss(net, trainEval), meanLoss(net, validationEval));
              }

              @Override
              public INDArray params() {
                return net.params();
              }
            },
            progress);
    net.setParams(kept.params());
    return new Result(net, kept.history(), kept.bestEpoch(), validation.size() > 0);
  }

  /**
   * The fewest training decisions (a pair counting as one) the training loss is scored on (all of
   * them when fewer).
   */
  static final int TRAIN_LOSS_SAMPLE_MIN = 20_000;

  /**
   * The training decisions an epoch's training loss is scored on: with validation decisions, an
   * evenly spaced sample as large as the validation set (at least {@link #TRAIN_LOSS_SAMPLE_MIN}),
   * so that it costs what validation costs (on the demo's contrasts a full pass took a third of an
   * epoch's fitting); without them every training decision, since that loss then picks the epoch
   * kept.
   */
  static Decisions trainLossSample(Decisions train, Decisions validation) {
    if (validation.size() == 0) {
      return train;
    }
    long n = Math.max(validation.pairsOrDecisions(), TRAIN_LOSS_SAMPLE_MIN);
    return train.pairwise() ? train.spacedPairs(n) : train.spaced((int) n);
  }

  /**
   * One single-JVM fit: what to train, on what, and where its epochs are reported. {@code label}
   * names it in errors.
   */
  public record Fit(
      String label,
      NetworkSpec spec,
      Plan plan,
      Decisions train,
      Decisions validation,
      Consumer<Epoch> progress) {}

  /**
   * Every fit, {@code parallel} at a time, results in the fits' order. Side by side, each fit runs
   * on one native thread ({@link NativeThreads}), so its result is the one it gets alone on one
   * thread, whatever else runs (tested). With {@code parallel} 1 or a single fit, they run one
   * after the other with the native thread counts as they are.
   */
  public static List<Result> fitAll(List<Fit> fits, int parallel) {
    if (parallel < 1) {
      throw new IllegalArgumentException("parallel fits must be >= 1, got " + parallel);
    }
    if (parallel == 1 || fits.size() <= 1) {
      return fits.stream().map(Training::fit).toList();
    }
    return NativeThreads.with(1, () -> concurrently(fits, Math.min(parallel, fits.size())));
  }

  private static List<Result> concurrently(List<Fit> fits, int threads) {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "shoal-fit");
              t.setDaemon(true);
              return t;
            });
    try {
      List<java.util.concurrent.Future<Result>> running = new ArrayList<>();
      for (Fit f : fits) {
        running.add(pool.submit(() -> fit(f)));
      }
      List<Result> out = new ArrayList<>();
      for (int i = 0; i < running.size(); i++) {
        try {
          out.add(running.get(i).get());
        } catch (java.util.concurrent.ExecutionException e) {
          // shutdownNow below drops the fits not started and interrupts the others
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException(fits.get(i).label() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while training " + fits.get(i).label(), e);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Result fit(Fit f) {
    return fit(f.spec(), f.plan(), f.train(), f.validation(), f.progress());
  }

  /** Mean negative log-likelihood per decision on the training and the validation decisions. */
  record Losses(double train, double validation) {}

  /**
   * One way of training as the epoch loop sees it: fit an epoch, score the weights it left, hand
   * them over.
   */
  interface EpochRunner {
    void fit(int epoch);

    Losses score();

    INDArray params();
  }

  /** The epochs run, the best one and its weights. */
  record Kept(List<Epoch> history, int bestEpoch, INDArray params) {}

  /**
   * The epoch loop every way of training shares: fit, score, report, keep the best weights ({@link
   * EpochKeeper}), stop early. An epoch's seconds count fitting only, not scoring.
   */
  static Kept epochs(
      Plan plan, boolean validated, long choiceRows, EpochRunner runner, Consumer<Epoch> progress) {
    List<Epoch> history = new ArrayList<>();
    EpochKeeper keeper = new EpochKeeper(validated, plan.patience());
    for (int e = 1; e <= plan.epochs(); e++) {
      long t0 = System.nanoTime();
      runner.fit(e);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Losses losses = runner.score();
      Epoch epoch =
          new Epoch(e, losses.train(), losses.validation(), seconds, choiceRows / seconds);
      history.add(epoch);
      progress.accept(epoch);
      if (keeper.record(epoch, runner.params())) {
        break;
      }
    }
    return new Kept(history, keeper.bestEpoch(), keeper.bestParams());
  }

  static void requireTrainingDecisions(long decisions) {
    if (decisions == 0) {
      throw new IllegalArgumentException(
          "there are no training decisions (every individual with decisions is in the validation split); "
              + "lower expand.split.validation-fraction or give expand.split.file");
    }
  }
}
