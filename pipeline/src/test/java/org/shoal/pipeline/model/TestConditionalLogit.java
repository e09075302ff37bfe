package org.shoal.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.testing.SharedSpark;

/**
 * The L-BFGS conditional logit against an independent Newton–Raphson written here in plain Java:
 * estimates, standard errors from the inverse Hessian, the sandwich by individual, and the truth of
 * a simulated MNL.
 */
class TestConditionalLogit {
  /**
   * x1 ~ N(0,1), x2 ~ U(0,10), constants of alternatives 2 and 3, income × [alternative 2], a 0/1
   * attribute.
   */
  static final double[] TRUTH = {0.8, -0.25, 0.5, -0.4, 0.03, 1.2};

  static final List<String> FEATURES = List.of("x1", "x2", "asc_2", "asc_3", "income_2", "x3");
  private static List<ConditionalLogit.Decision> data;
  private static ConditionalLogit.Fit fit;

  /** 5 000 individuals × 10 decisions × 5 alternatives, drawn from the true model. */
  static List<ConditionalLogit.Decision> simulate(int individuals, long seed) {
    Random rng = new Random(seed);
    List<ConditionalLogit.Decision> out = new ArrayList<>();
    for (int i = 0; i < individuals; i++) {
      double income = 20 + 60 * rng.nextDouble();
      for (int d = 0; d < 10; d++) {
        double[][] x = new double[5][];
        for (int j = 0; j < 5; j++) {
          x[j] =
              new double[] {
                rng.nextGaussian(),
                10 * rng.nextDouble(),
                j == 1 ? 1 : 0,
                j == 2 ? 1 : 0,
                j == 1 ? income : 0,
                rng.nextBoolean() ? 1 : 0
              };
        }
        double[] p = probabilities(x, TRUTH);
        double r = rng.nextDouble();
        int selected = 0;
        for (double c = p[0]; c < r && selected < 4; c += p[++selected]) {
          // walk the cumulative distribution
        }
        out.add(new ConditionalLogit.Decision("i" + i, x, selected));
      }
    }
    return out;
  }

  static double[] probabilities(double[][] x, double[] beta) {
    double[] e = new double[x.length];
    double z = 0;
    for (int j = 0; j < x.length; j++) {
      double phi = 0;
      for (int k = 0; k < beta.length; k++) {
        phi += beta[k] * x[j][k];
      }
      e[j] = Math.exp(phi);
      z += e[j];
    }
    for (int j = 0; j < x.length; j++) {
      e[j] /= z;
    }
    return e;
  }

  /** Newton–Raphson on the exact gradient and Hessian: [beta, covariance (inverse Hessian), ll]. */
  record Newton(double[] beta, double[][] covariance, double[][] sandwich, double logLikelihood) {}

  static Newton newton(List<ConditionalLogit.Decision> decisions) {
    int n = TRUTH.length;
    double[] beta = new double[n];
    double[][] h = null;
    for (int iteration = 0; iteration < 50; iteration++) {
      double[] g = new double[n];
      h = new double[n][n];
      for (ConditionalLogit.Decision d : decisions) {
        double[] p = probabilities(d.x(), beta);
        double[] mean = new double[n];
        for (int j = 0; j < p.length; j++) {
          for (int k = 0; k < n; k++) {
            mean[k] += p[j] * d.x()[j][k];
          }
        }
        for (int k = 0; k < n; k++) {
          g[k] += d.x()[d.selected()][k] - mean[k];
        }
        for (int j = 0; j < p.length; j++) {
          for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
              h[a][b] += p[j] * (d.x()[j][a] - mean[a]) * (d.x()[j][b] - mean[b]);
            }
          }
        }
      }
      double[] step = times(invert(h), g);
      double size = 0;
      for (int k = 0; k < n; k++) {
        beta[k] += step[k];
        size = Math.max(size, Math.abs(step[k]));
      }
      if (size < 1e-13) {
        break;
      }
    }
    double[][] cov = invert(h);
    // meat: per-individual sums of scores, outer products
    java.util.Map<String, double[]> byIndividual = new java.util.LinkedHashMap<>();
    double ll = 0;
    for (ConditionalLogit.Decision d : decisions) {
      double[] p = probabilities(d.x(), beta);
      ll += Math.log(p[d.selected()]);
      double[] s = byIndividual.computeIfAbsent(d.individual(), k -> new double[n]);
      for (int k = 0; k < n; k++) {
        s[k] += d.x()[d.selected()][k];
        for (int j = 0; j < p.length; j++) {
          s[k] -= p[j] * d.x()[j][k];
        }
      }
    }
    double[][] meat = new double[n][n];
    for (double[] s : byIndividual.values()) {
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) {
          meat[a][b] += s[a] * s[b];
        }
      }
    }
    return new Newton(beta, cov, multiply(multiply(cov, meat), cov), ll);
  }

  /** Gauss–Jordan with partial pivoting. */
  static double[][] invert(double[][] m) {
    int n = m.length;
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n + i] = 1;
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] t = a[c];
      a[c] = a[pivot];
      a[pivot] = t;
      double v = a[c][c];
      for (int k = 0; k < 2 * n; k++) {
        a[c][k] /= v;
      }
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c];
          for (int k = 0; k < 2 * n; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], n, inv[i], 0, n);
    }
    return inv;
  }

  static double[] times(double[][] m, double[] v) {
    double[] out = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      for (int k = 0; k < v.length; k++) {
        out[i] += m[i][k] * v[k];
      }
    }
    return out;
  }

  static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          out[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return out;
  }

  private static JavaRDD<ConditionalLogit.Decision> rdd(int partitions) {
    return JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext())
        .parallelize(data, partitions);
  }

  @BeforeAll
  static void fitOnce() {
    data = simulate(5000, 11);
    fit = ConditionalLogit.fit(rdd(4), FEATURES, 1e-12, 500);
  }

  @Test
  void estimatesAndStandardErrorsEqualNewtonRaphsonAndTheTruthIsWithinThreeStandardErrors() {
    Newton reference = newton(data);
    assertThat(fit.converged()).isTrue();
    assertThat(fit.decisions()).isEqualTo(50_000);
    assertThat(fit.individuals()).isEqualTo(5_000);
    for (int k = 0; k < TRUTH.length; k++) {
      double se = Math.sqrt(reference.covariance()[k][k]);
      assertThat(fit.estimates()[k])
          .as(FEATURES.get(k))
          .isCloseTo(reference.beta()[k], within(1e-6 * se));
      assertThat(fit.stdError(k)).as(FEATURES.get(k)).isCloseTo(se, within(1e-6 * se));
      assertThat(fit.robustStdError(k))
          .as(FEATURES.get(k))
          .isCloseTo(
              Math.sqrt(reference.sandwich()[k][k]),
              within(1e-6 * Math.sqrt(reference.sandwich()[k][k])));
      assertThat(Math.abs(fit.estimates()[k] - TRUTH[k])).as(FEATURES.get(k)).isLessThan(3 * se);
    }
    assertThat(fit.logLikelihood()).isCloseTo(reference.logLikelihood(), within(1e-6));
    assertThat(fit.nullLogLikelihood()).isCloseTo(-50_000 * Math.log(5), within(1e-6));
    assertThat(fit.rho2())
        .isCloseTo(1 - reference.logLikelihood() / (-50_000 * Math.log(5)), within(1e-9));
    assertThat(fit.aic()).isCloseTo(12 - 2 * reference.logLikelihood(), within(1e-6));
    assertThat(fit.bic())
        .isCloseTo(6 * Math.log(50_000) - 2 * reference.logLikelihood(), within(1e-6));
    assertThat(fit.pValue(0)).isLessThan(1e-10);
  }

  @Test
  void theFitDoesNotDependOnThePartitioning() {
    ConditionalLogit.Fit one = ConditionalLogit.fit(rdd(1), FEATURES, 1e-12, 500);
    ConditionalLogit.Fit eight = ConditionalLogit.fit(rdd(8), FEATURES, 1e-12, 500);
    for (int k = 0; k < TRUTH.length; k++) {
      assertThat(eight.estimates()[k]).isCloseTo(one.estimates()[k], within(1e-9));
      assertThat(eight.stdError(k)).isCloseTo(one.stdError(k), within(1e-9));
      assertThat(eight.robustStdError(k)).isCloseTo(one.robustStdError(k), within(1e-9));
    }
  }

  @Test
  void theInMemoryFitEqualsNewtonRaphsonAndTheDistributedFit() {
    ConditionalLogit.Fit local = ConditionalLogit.fitInMemory(data, FEATURES, 1e-12, 500);
    Newton reference = newton(data);
    assertThat(local.converged()).isTrue();
    assertThat(local.decisions()).isEqualTo(50_000);
    assertThat(local.individuals()).isEqualTo(5_000);
    assertThat(local.iterations()).isBetween(3, 20);
    for (int k = 0; k < TRUTH.length; k++) {
      double se = Math.sqrt(reference.covariance()[k][k]);
      double robust = Math.sqrt(reference.sandwich()[k][k]);
      assertThat(local.estimates()[k]).isCloseTo(reference.beta()[k], within(1e-6 * se));
      assertThat(local.estimates()[k]).isCloseTo(fit.estimates()[k], within(1e-6 * se));
      assertThat(local.stdError(k)).isCloseTo(se, within(1e-6 * se));
      assertThat(local.robustStdError(k)).isCloseTo(robust, within(1e-6 * robust));
    }
    assertThat(local.logLikelihood()).isCloseTo(reference.logLikelihood(), within(1e-6));
    assertThat(local.lossHistory()[0]).isCloseTo(Math.log(5), within(1e-12));
    assertThat(local.lossHistory()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
  }

  /**
   * A choice always taken when offered separates the data: the likelihood has no maximum, and the
   * fit must still stop (its gradient vanishes as the loss tends to 0), with a large coefficient.
   */
  @Test
  void theInMemoryFitStopsOnPerfectlySeparatedData() {
    List<ConditionalLogit.Decision> separated = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double[][] x = {{1, i % 3}, {0, (i + 1) % 3}, {0, (i + 2) % 3}};
      separated.add(new ConditionalLogit.Decision("fish" + i % 10, x, 0));
    }
    ConditionalLogit.Fit fit =
        ConditionalLogit.fitInMemory(separated, List.of("stay", "z"), 1e-6, 200);
    assertThat(fit.iterations()).isLessThan(200);
    assertThat(fit.estimates()[0]).isGreaterThan(5);
    assertThat(-fit.logLikelihood() / 200).isLessThan(1e-2);
  }

  @Test
  void theInMemoryFitLeavesOutAFeatureThatNeverVaries() {
    List<ConditionalLogit.Decision> decisionLevel = new ArrayList<>();
    List<ConditionalLogit.Decision> alone = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      ConditionalLogit.Decision d = data.get(i);
      double[][] x = new double[d.x().length][];
      double[][] x1 = new double[d.x().length][];
      for (int j = 0; j < x.length; j++) {
        x[j] = new double[] {d.x()[j][0], 40.0 + i % 7};
        x1[j] = new double[] {d.x()[j][0]};
      }
      decisionLevel.add(new ConditionalLogit.Decision(d.individual(), x, d.selected()));
      alone.add(new ConditionalLogit.Decision(d.individual(), x1, d.selected()));
    }
    ConditionalLogit.Fit withIt =
        ConditionalLogit.fitInMemory(decisionLevel, List.of("x1", "income"), 1e-12, 100);
    ConditionalLogit.Fit without = ConditionalLogit.fitInMemory(alone, List.of("x1"), 1e-12, 100);
    assertThat(withIt.notIdentified()).containsExactly("income");
    assertThat(withIt.estimates()[0]).isCloseTo(without.estimates()[0], within(1e-12));
    assertThat(withIt.stdError(1)).isNaN();
    JavaRDD<ConditionalLogit.Decision> distributed =
        JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext())
            .parallelize(alone, 2);
    ConditionalLogit.Fit spark = ConditionalLogit.fit(distributed, List.of("x1"), 1e-12, 100);
    assertThat(without.estimates()[0]).isCloseTo(spark.estimates()[0], within(1e-9));
    assertThat(without.robustStdError(0)).isCloseTo(spark.robustStdError(0), within(1e-9));
  }

  @Test
  void theScorerReproducesTheLinearLogOdds() {
    ConditionalLogit.Decision d = data.get(0);
    double phi = 0;
    for (int k = 0; k < TRUTH.length; k++) {
      phi += fit.estimates()[k] * d.x()[2][k];
    }
    assertThat(fit.scorer().logOdds(d.x()[2])).isCloseTo(phi, within(1e-12));
  }

  /**
   * The day of the year, say: the same for every choice of a decision, so it cannot change a
   * choice.
   */
  @Test
  void aFeatureThatNeverVariesWithinADecisionIsLeftOutAndReported() {
    List<ConditionalLogit.Decision> decisionLevel = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      ConditionalLogit.Decision d = data.get(i);
      double[][] x = new double[d.x().length][];
      for (int j = 0; j < x.length; j++) {
        x[j] =
            new double[] {d.x()[j][0], 40.0 + i % 7}; // the same for every choice of the decision
      }
      decisionLevel.add(new ConditionalLogit.Decision(d.individual(), x, d.selected()));
    }
    JavaRDD<ConditionalLogit.Decision> rdd =
        JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext())
            .parallelize(decisionLevel, 2);
    ConditionalLogit.Fit withIt = ConditionalLogit.fit(rdd, List.of("x1", "income"), 1e-12, 100);
    ConditionalLogit.Fit without =
        ConditionalLogit.fit(
            rdd.map(
                d ->
                    new ConditionalLogit.Decision(
                        d.individual(),
                        java.util.Arrays.stream(d.x())
                            .map(r -> new double[] {r[0]})
                            .toArray(double[][]::new),
                        d.selected())),
            List.of("x1"),
            1e-12,
            100);
    assertThat(withIt.notIdentified()).containsExactly("income");
    assertThat(withIt.estimates()[0]).isCloseTo(without.estimates()[0], within(1e-12));
    assertThat(withIt.estimates()[1]).isZero();
    assertThat(withIt.stdError(1)).isNaN();
    assertThat(withIt.stdError(0)).isCloseTo(without.stdError(0), within(1e-12));
    assertThat(withIt.aic()).isCloseTo(without.aic(), within(1e-9));
    JavaRDD<ConditionalLogit.Decision> incomeOnly =
        rdd.map(
            d ->
                new ConditionalLogit.Decision(
                    d.individual(),
                    java.util.Arrays.stream(d.x())
                        .map(r -> new double[] {r[1]})
                        .toArray(double[][]::new),
                    d.selected()));
    assertThatThrownBy(() -> ConditionalLogit.fit(incomeOnly, List.of("income"), 1e-12, 100))
        .hasMessageStartingWith("no feature of [income] varies within a decision");
  }

  /**
   * A choice table of two individuals, its rows shuffled over three partitions and its choices out
   * of order; {@code selected} and {@code y} of the row (individual, decision, choice) given in
   * {@code change} replaced.
   */
  private static Dataset<Row> smallTable(String change, Boolean selected, Double y) {
    List<Row> rows = new ArrayList<>();
    Object[][] values = {
      {"b", 7L, 2, false, 0.5, 1.0},
      {"a", 3L, 1, true, 1.5, -1.0},
      {"b", 7L, 0, true, 2.0, 0.0},
      {"a", 3L, 0, false, 0.25, 4.0},
      {"a", 10L, 0, true, 3.0, 3.0},
      {"b", 7L, 1, false, -2.0, 8.0}
    };
    for (Object[] v : values) {
      Object[] r = v.clone();
      if ((v[0] + "/" + v[1] + "/" + v[2]).equals(change)) {
        r[3] = selected;
        r[5] = y;
      }
      rows.add(RowFactory.create(r));
    }
    StructType schema =
        new StructType()
            .add("individual", DataTypes.StringType)
            .add("decision", DataTypes.LongType)
            .add("choice", DataTypes.IntegerType)
            .add("selected", DataTypes.BooleanType)
            .add("x", DataTypes.DoubleType)
            .add("y", DataTypes.DoubleType);
    return SharedSpark.session().createDataFrame(rows, schema).repartition(3);
  }

  private static String describe(ConditionalLogit.Decision d) {
    return d.individual()
        + " "
        + java.util.Arrays.deepToString(d.x())
        + " selected "
        + d.selected();
  }

  @Test
  void decisionsCollectedOnTheDriverAreTheTablesInOrderAndThoseSparkGroups() {
    Dataset<Row> table = smallTable("", null, null);
    List<String> collected =
        ConditionalLogit.collectDecisions(table, List.of("x", "y")).stream()
            .map(TestConditionalLogit::describe)
            .toList();
    assertThat(collected)
        .containsExactly(
            "a [[0.25, 4.0], [1.5, -1.0]] selected 1",
            "a [[3.0, 3.0]] selected 0",
            "b [[2.0, 0.0], [-2.0, 8.0], [0.5, 1.0]] selected 0");
    assertThat(
            ConditionalLogit.decisions(table, List.of("x", "y")).collect().stream()
                .map(TestConditionalLogit::describe)
                .toList())
        .containsExactlyInAnyOrderElementsOf(collected);
  }

  @Test
  void aBadDecisionFailsCollectingOnTheDriverNamingIt() {
    List<String> features = List.of("x", "y");
    assertThatThrownBy(
            () -> ConditionalLogit.collectDecisions(smallTable("b/7/1", true, 8.0), features))
        .hasMessage("decision 7 of individual 'b' has more than one selected choice");
    assertThatThrownBy(
            () -> ConditionalLogit.collectDecisions(smallTable("a/10/0", false, 3.0), features))
        .hasMessage("decision 10 of individual 'a' has no selected choice");
    assertThatThrownBy(
            () -> ConditionalLogit.collectDecisions(smallTable("a/3/0", false, null), features))
        .hasMessage("decision 3 of individual 'a' has a missing feature value (feature 2)");
  }
}
