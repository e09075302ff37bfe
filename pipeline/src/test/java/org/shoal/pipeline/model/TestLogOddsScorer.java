package org.shoal.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scorer's row-by-row loop against the textbook one, unit by unit: equal to the last bit. */
class TestLogOddsScorer {
  @ParameterizedTest
  @ValueSource(strings = {"relu", "tanh", "sigmoid", "identity"})
  void equalsTheTextbookForwardPassExactly(String activation) {
    Random rng = new Random(11);
    int[] sizes = {11, 32, 17, 1};
    LogOddsScorer scorer = randomScorer(rng, sizes, activation);
    for (int n = 0; n < 200; n++) {
      double[] x = rng.doubles(sizes[0], -3, 3).toArray();
      assertThat(scorer.logOdds(x))
          .isEqualTo(textbook(x, scorer.weights(), scorer.biases(), activation));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"relu", "tanh", "sigmoid", "identity"})
  void aBlockOfChoicesEqualsTheRowByRowPassExactly(String activation) {
    Random rng = new Random(5);
    int[] sizes = {7, 32, 32, 1};
    LogOddsScorer scorer = randomScorer(rng, sizes, activation);
    for (int n : new int[] {1, 3, 37, 513}) {
      double[][] rows = new double[n][];
      double[][] featureMajor = new double[sizes[0]][n];
      for (int r = 0; r < n; r++) {
        rows[r] = rng.doubles(sizes[0], -3, 3).toArray();
        for (int f = 0; f < sizes[0]; f++) {
          featureMajor[f][r] = rows[r][f];
        }
      }
      double[] block = scorer.logOdds(featureMajor, n);
      assertThat(block).hasSize(n);
      for (int r = 0; r < n; r++) {
        assertThat(block[r]).isEqualTo(scorer.logOdds(rows[r]));
      }
    }
  }

  /** Dense layers of the given sizes with random weights and biases. */
  private static LogOddsScorer randomScorer(Random rng, int[] sizes, String activation) {
    List<double[][]> weights = new ArrayList<>();
    List<double[]> biases = new ArrayList<>();
    for (int layer = 0; layer + 1 < sizes.length; layer++) {
      double[][] w = new double[sizes[layer]][sizes[layer + 1]];
      for (double[] row : w) {
        for (int j = 0; j < row.length; j++) {
          row[j] = rng.nextGaussian() / 3;
        }
      }
      weights.add(w);
      biases.add(rng.doubles(sizes[layer + 1], -0.5, 0.5).toArray());
    }
    return new LogOddsScorer(List.of(), activation, weights, biases);
  }

  private static double textbook(
      double[] x, List<double[][]> weights, List<double[]> biases, String activation) {
    double[] a = x;
    for (int layer = 0; layer < weights.size(); layer++) {
      double[][] w = weights.get(layer);
      double[] out = new double[biases.get(layer).length];
      for (int j = 0; j < out.length; j++) {
        double s = biases.get(layer)[j];
        for (int i = 0; i < a.length; i++) {
          s += a[i] * w[i][j];
        }
        boolean hidden = layer < weights.size() - 1;
        out[j] =
            !hidden
                ? s
                : switch (activation) {
                  case "relu" -> Math.max(0, s);
                  case "tanh" -> Math.tanh(s);
                  case "sigmoid" -> 1 / (1 + Math.exp(-s));
                  default -> s;
                };
      }
      a = out;
    }
    return a[0];
  }
}
