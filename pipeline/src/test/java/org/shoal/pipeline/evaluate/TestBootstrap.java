package org.shoal.pipeline.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The paired bootstrap over individuals, on made-up per-individual log-likelihoods. */
class TestBootstrap {
  private static double[][] models(long seed) {
    Random r = new Random(seed);
    double[] a = new double[40];
    double[] b = new double[40];
    double[] c = new double[40];
    for (int i = 0; i < a.length; i++) {
      a[i] = -2 + r.nextGaussian() * 0.5;
      b[i] = a[i]; // identical to a
      c[i] = a[i] + 0.3 + r.nextGaussian() * 0.1; // better than a, individual by individual
    }
    return new double[][] {a, b, c};
  }

  @Test
  void theSameSeedGivesTheSameIntervals() {
    Bootstrap.Interval[][] one = Bootstrap.dNlp(models(1), 0, 500, 7);
    Bootstrap.Interval[][] two = Bootstrap.dNlp(models(1), 0, 500, 7);
    Bootstrap.Interval[][] other = Bootstrap.dNlp(models(1), 0, 500, 8);
    for (int m = 0; m < 3; m++) {
      assertThat(two[m][0]).isEqualTo(one[m][0]);
      assertThat(two[m][1]).isEqualTo(one[m][1]);
    }
    assertThat(other[0][0].low()).isNotEqualTo(one[0][0].low());
  }

  @Test
  void identicalModelsDifferByZeroAndABetterOneExcludesZero() {
    double[][] m = models(2);
    Bootstrap.Interval[][] r = Bootstrap.dNlp(m, 0, 1000, 3);
    double mean = java.util.Arrays.stream(m[0]).average().orElseThrow();
    assertThat(r[0][0].value()).isCloseTo(mean, within(1e-12));
    assertThat(r[0][0].low()).isLessThan(mean);
    assertThat(r[0][0].high()).isGreaterThan(mean);
    assertThat(r[1][1].value()).isZero();
    assertThat(r[1][1].low()).isZero();
    assertThat(r[1][1].high()).isZero();
    assertThat(r[1][1].excludesZero()).isFalse();
    assertThat(r[2][1].value()).isCloseTo(0.3, within(0.05));
    assertThat(r[2][1].excludesZero()).isTrue();
    assertThat(r[2][1].low()).isPositive();
  }

  @Test
  void quantilesInterpolateBetweenOrderStatistics() {
    assertThat(Bootstrap.quantile(new double[] {1, 2, 3, 4}, 0.5)).isEqualTo(2.5);
    assertThat(Bootstrap.quantile(new double[] {1, 2, 3, 4}, 0.025))
        .isCloseTo(1.075, within(1e-12));
    assertThat(Bootstrap.quantile(new double[] {1, 2, 3, 4}, 0.975))
        .isCloseTo(3.925, within(1e-12));
  }
}
