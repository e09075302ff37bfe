package org.shoal.pipeline.evaluate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A paired bootstrap over individuals: every replicate draws individuals with replacement (the same
 * draw for every model, so differences between models keep their pairing) and recomputes each
 * model's D-NLP, the mean over individuals of their mean log-likelihood. Percentile intervals;
 * seeded, so the same inputs give the same intervals.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** A point value and its 95 % percentile interval. */
  public record Interval(double value, double low, double high) {
    /** Whether the interval lies entirely on one side of zero. */
    public boolean excludesZero() {
      return low > 0 || high < 0;
    }
  }

  /**
   * @param perIndividual {@code [model][individual]}: each individual's mean log-likelihood under
   *     each model (the same individuals, in the same order, for every model)
   * @param reference the model every other one is compared with (the best baseline)
   * @return {@code [model][0]} the model's D-NLP, {@code [model][1]} its difference to {@code
   *     reference}
   */
  public static Interval[][] dNlp(
      double[][] perIndividual, int reference, int replicates, long seed) {
    int models = perIndividual.length;
    int n = perIndividual[0].length;
    for (double[] m : perIndividual) {
      if (m.length != n) {
        throw new IllegalArgumentException("every model needs the same individuals");
      }
    }
    double[][] values = new double[models][replicates];
    double[][] differences = new double[models][replicates];
    SplittableRandom random = new SplittableRandom(seed);
    int[] draw = new int[n];
    for (int b = 0; b < replicates; b++) {
      for (int i = 0; i < n; i++) {
        draw[i] = random.nextInt(n);
      }
      double[] means = new double[models];
      for (int m = 0; m < models; m++) {
        double total = 0;
        for (int i : draw) {
          total += perIndividual[m][i];
        }
        means[m] = total / n;
      }
      for (int m = 0; m < models; m++) {
        values[m][b] = means[m];
        differences[m][b] = means[m] - means[reference];
      }
    }
    Interval[][] out = new Interval[models][2];
    for (int m = 0; m < models; m++) {
      double point = mean(perIndividual[m]);
      out[m][0] = interval(point, values[m]);
      out[m][1] = interval(point - mean(perIndividual[reference]), differences[m]);
    }
    return out;
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  private static Interval interval(double point, double[] replicates) {
    double[] s = replicates.clone();
    Arrays.sort(s);
    return new Interval(point, quantile(s, 0.025), quantile(s, 0.975));
  }

  /** Linear interpolation between order statistics (type 7, as R and NumPy by default). */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
