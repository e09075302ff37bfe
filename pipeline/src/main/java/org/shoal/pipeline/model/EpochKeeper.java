package org.shoal.pipeline.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which epoch's weights a run keeps, for every way of training. With a validation split: the epoch
 * with the lowest finite validation loss, stopping after {@code patience} epochs without
 * improvement. Without one (no validation decisions, e.g. a single animal): every epoch runs and
 * the last is kept. A run in which no epoch has a finite loss fails with one sentence rather than
 * keeping nothing.
 */
final class EpochKeeper {
  private final boolean validated;
  private final int patience;
  private double best = Double.POSITIVE_INFINITY;
  private int bestEpoch;
  private INDArray bestParams;
  private int lastEpoch;

  EpochKeeper(boolean validated, int patience) {
    this.validated = validated;
    this.patience = patience;
  }

  /** Records an epoch and its weights (copied when kept); true when training should stop early. */
  boolean record(Training.Epoch epoch, INDArray params) {
    lastEpoch = epoch.epoch();
    double loss = validated ? epoch.validationLoss() : epoch.trainLoss();
    if (!validated) {
      if (Double.isFinite(loss)) {
        bestEpoch = epoch.epoch();
        bestParams = params.dup();
      }
      return false;
    }
    if (Double.isFinite(loss) && loss < best) {
      best = loss;
      bestEpoch = epoch.epoch();
      bestParams = params.dup();
      return false;
    }
    return patience > 0 && bestEpoch > 0 && lastEpoch - bestEpoch >= patience;
  }

  int bestEpoch() {
    requireAnEpoch();
    return bestEpoch;
  }

  INDArray bestParams() {
    requireAnEpoch();
    return bestParams;
  }

  private void requireAnEpoch() {
    if (bestParams == null) {
      throw new IllegalStateException(
          "no epoch of "
              + lastEpoch
              + " reached a finite "
              + (validated ? "validation" : "training")
              + " loss: lower train.learning-rate, or rescale the features (a transform such as zscore)");
    }
  }
}
