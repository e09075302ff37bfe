package org.shoal.pipeline.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The loss of contrast pairs that share their selected choice, computed once: an example is a draw,
 * one selected choice s and its alternatives a, and its loss is the mean over its pairs of the
 * pair's negative log-likelihood, −log σ(φ_s − φ_a) = log(1 + e^(φ_a − φ_s)). Each pair taken alone
 * as a two-choice decision has exactly that loss under softmax cross-entropy, so a minibatch of
 * draws has the loss and gradient of the minibatch of their pairs whenever the draws have equally
 * many alternatives (tested), for about half the rows through the network. Labels mark the slots: 1
 * the selected choice, 0 an alternative, anything else (−1) padding. The activation must be the
 * identity (φ as it comes out of the masked-choice layer). Plain Java, like the masked-choice
 * layer.
 */
public class PairwiseLoss implements ILossFunction {
  @Override
  public double computeScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    double[] scores = scores(labels, preOutput);
    double sum = 0;
    for (double s : scores) {
      sum += s;
    }
    return average ? sum / scores.length : sum;
  }

  @Override
  public INDArray computeScoreArray(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return Nd4j.create(scores(labels, preOutput), new long[] {labels.size(0), 1})
        .castTo(preOutput.dataType());
  }

  @Override
  public INDArray computeGradient(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    int b = (int) labels.size(0);
    int m = (int) labels.size(1);
    double[] y = labels.castTo(DataType.DOUBLE).data().asDouble();
    double[] phi = preOutput.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    double[] grad = new double[b * m];
    for (int i = 0; i < b; i++) {
      int s = selected(y, i, m);
      int alternatives = alternatives(y, i, m);
      double toSelected = 0;
      for (int j = 0; j < m; j++) {
        if (y[i * m + j] == 0) {
          double g = sigmoid(phi[i * m + j] - phi[i * m + s]) / alternatives;
          grad[i * m + j] = g;
          toSelected -= g;
        }
      }
      grad[i * m + s] = toSelected;
    }
    return Nd4j.create(grad, new long[] {b, m}, 'c').castTo(preOutput.dataType());
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    return new Pair<>(
        computeScore(labels, preOutput, activationFn, mask, average),
        computeGradient(labels, preOutput, activationFn, mask));
  }

  /** Each example's mean pair loss. */
  private static double[] scores(INDArray labels, INDArray preOutput) {
    int b = (int) labels.size(0);
    int m = (int) labels.size(1);
    double[] y = labels.castTo(DataType.DOUBLE).data().asDouble();
    double[] phi = preOutput.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    double[] out = new double[b];
    for (int i = 0; i < b; i++) {
      out[i] = summed(y, phi, i, m) / alternatives(y, i, m);
    }
    return out;
  }

  /**
   * Example i's pair losses summed: labels {@code y} and log-odds {@code phi} are [examples, m]
   * row-major, labelled as this loss reads them.
   */
  static double summed(double[] y, double[] phi, int i, int m) {
    int s = selected(y, i, m);
    double sum = 0;
    for (int j = 0; j < m; j++) {
      if (y[i * m + j] == 0) {
        sum += softplus(phi[i * m + j] - phi[i * m + s]);
      }
    }
    return sum;
  }

  private static int selected(double[] y, int i, int m) {
    for (int j = 0; j < m; j++) {
      if (y[i * m + j] == 1) {
        return j;
      }
    }
    throw new IllegalArgumentException("example " + i + " has no selected choice");
  }

  /** How many alternatives (pairs) example i has. */
  static int alternatives(double[] y, int i, int m) {
    int n = 0;
    for (int j = 0; j < m; j++) {
      if (y[i * m + j] == 0) {
        n++;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("example " + i + " has no alternative");
    }
    return n;
  }

  /** log(1 + e^x) without overflow. */
  static double softplus(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  private static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  @Override
  public String name() {
    return "pairwise";
  }

  @Override
  public String toString() {
    return "PairwiseLoss()";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PairwiseLoss;
  }

  @Override
  public int hashCode() {
    return PairwiseLoss.class.hashCode();
  }
}
