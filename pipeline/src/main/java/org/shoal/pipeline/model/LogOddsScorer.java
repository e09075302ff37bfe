package org.shoal.pipeline.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trained network's per-choice log-odds φ as plain Java: the dense stack's weights and
 * activations, no ND4J. Small and serializable, so Spark executors load it once and score rows with
 * no native code, and a user can score any feature row (in the feature order of {@link
 * #features()}) without the decision structure.
 */
public record LogOddsScorer(
    List<String> features, String activation, List<double[][]> weights, List<double[]> biases)
    implements Serializable {

  /** Copies the dense layers of a trained network (all layers before the masked-choice layer). */
  public static LogOddsScorer of(MultiLayerNetwork net, List<String> features, String activation) {
    List<double[][]> w = new ArrayList<>();
    List<double[]> b = new ArrayList<>();
    for (int i = 0; i < net.getnLayers(); i++) {
      if (net.getLayer(i).numParams() == 0) {
        break;
      }
      INDArray wi = net.getLayer(i).getParam("W");
      INDArray bi = net.getLayer(i).getParam("b");
      w.add(wi.toDoubleMatrix());
      b.add(bi.reshape(-1).toDoubleVector());
    }
    return new LogOddsScorer(List.copyOf(features), activation.toLowerCase(Locale.ROOT), w, b);
  }

  /** φ of one choice from its feature vector. */
  public double logOdds(double[] x) {
    if (!features.isEmpty() && x.length != features.size()) {
      throw new IllegalArgumentException(
          "expected " + features.size() + " features " + features + ", got " + x.length);
    }
    double[] a = x;
    int last = weights.size() - 1;
    for (int layer = 0; layer <= last; layer++) {
      double[][] w = weights.get(layer);
      double[] out = biases.get(layer).clone();
      // Row by row (out += a[i] * w[i]): contiguous, vectorisable, and each unit still sums its
      // inputs in order i = 0, 1, ..., so the result is bit-for-bit the textbook loop's.
      for (int i = 0; i < a.length; i++) {
        double ai = a[i];
        double[] wi = w[i];
        for (int j = 0; j < out.length; j++) {
          out[j] += ai * wi[j];
        }
      }
      if (layer < last) {
        activate(out);
      }
      a = out;
    }
    return a[0];
  }

  /**
   * φ of {@code n} choices at once, their features stored feature by feature ({@code x[f][r]} is
   * feature f of choice r, for r below n). The innermost loop runs over the choices with one weight
   * held in a register, which the JIT vectorises (2× the row-by-row loop, measured; a single flat
   * array with offsets is not vectorised); every unit still sums its inputs in order i = 0, 1, ...,
   * so each φ equals {@link #logOdds(double[])}'s to the last bit.
   */
  public double[] logOdds(double[][] x, int n) {
    if (x.length != weights.get(0).length) {
      throw new IllegalArgumentException(
          "expected " + weights.get(0).length + " features, got " + x.length);
    }
    double[][] a = x;
    int last = weights.size() - 1;
    for (int layer = 0; layer <= last; layer++) {
      double[][] w = weights.get(layer);
      double[] b = biases.get(layer);
      double[][] out = new double[b.length][n];
      for (int j = 0; j < b.length; j++) {
        java.util.Arrays.fill(out[j], b[j]);
      }
      for (int i = 0; i < a.length; i++) {
        double[] ai = a[i];
        double[] wi = w[i];
        for (int j = 0; j < b.length; j++) {
          double wij = wi[j];
          double[] o = out[j];
          for (int r = 0; r < n; r++) {
            o[r] += ai[r] * wij;
          }
        }
      }
      if (layer < last) {
        for (double[] o : out) {
          activate(o);
        }
      }
      a = out;
    }
    return a[0];
  }

  private void activate(double[] v) {
    switch (activation) {
      case "relu" -> {
        for (int j = 0; j < v.length; j++) {
          v[j] = Math.max(0, v[j]);
        }
      }
      case "tanh" -> {
        for (int j = 0; j < v.length; j++) {
          v[j] = Math.tanh(v[j]);
        }
      }
      case "sigmoid" -> {
        for (int j = 0; j < v.length; j++) {
          v[j] = 1 / (1 + Math.exp(-v[j]));
        }
      }
      default -> {}
    }
  }
}
