package org.shoal.pipeline.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.struct;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.LBFGS;
import org.apache.spark.mllib.optimization.SimpleUpdater;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.util.SparkOrder;
import scala.Tuple2;

/**
 * The exact conditional logit (the log-odds model without hidden layers), fitted by MLlib's L-BFGS
 * over a distributed gradient (one pass over the decisions per evaluation), on standardised
 * features for conditioning and reported in the features' own units. At the optimum one more pass
 * gives the exact Hessian: standard errors from its inverse (observed information), and
 * cluster-robust (sandwich) standard errors by individual, since the steps of one animal are not
 * independent. Decisions small enough for the driver ({@link #fitInMemory}) are fitted there by
 * Newton's method, with the same identification, Hessian and sandwich, and no Spark job.
 */
public final class ConditionalLogit {
  private static final NormalDistribution NORMAL = new NormalDistribution();

  private ConditionalLogit() {}

  /**
   * One decision: its individual, the feature rows of its choices (in choice order) and the
   * selected one.
   */
  public record Decision(String individual, double[][] x, int selected) implements Serializable {}

  /**
   * A fitted model.
   *
   * @param covariance inverse observed information
   * @param robustCovariance the sandwich by individual: cov · (Σ_i s_i s_iᵀ) · cov
   * @param gradientNorm the largest component of the mean gradient per decision, in standardised
   *     units
   * @param lossHistory mean negative log-likelihood per decision at each L-BFGS iteration
   * @param notIdentified features that do not vary within any decision: not estimable by a
   *     conditional logit, reported with estimate 0 (no effect on φ) and NaN standard errors
   */
  public record Fit(
      List<String> features,
      double[] estimates,
      double[][] covariance,
      double[][] robustCovariance,
      double logLikelihood,
      double nullLogLikelihood,
      long decisions,
      long individuals,
      int iterations,
      boolean converged,
      double gradientNorm,
      double[] lossHistory,
      List<String> notIdentified) {

    /**
     * This fit on the identified features {@code kept} (indices into {@code all}), the others not
     * identified.
     */
    Fit within(List<String> all, List<Integer> kept) {
      int n = all.size();
      double[] b = new double[n];
      double[][] c = undefined(n);
      double[][] r = undefined(n);
      for (int i = 0; i < kept.size(); i++) {
        b[kept.get(i)] = estimates[i];
        for (int j = 0; j < kept.size(); j++) {
          c[kept.get(i)][kept.get(j)] = covariance[i][j];
          r[kept.get(i)][kept.get(j)] = robustCovariance[i][j];
        }
      }
      List<String> dropped = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        if (!kept.contains(k)) {
          dropped.add(all.get(k));
        }
      }
      return new Fit(
          List.copyOf(all),
          b,
          c,
          r,
          logLikelihood,
          nullLogLikelihood,
          decisions,
          individuals,
          iterations,
          converged,
          gradientNorm,
          lossHistory,
          dropped);
    }

    public double stdError(int k) {
      return Math.sqrt(covariance[k][k]);
    }

    public double robustStdError(int k) {
      return Math.sqrt(robustCovariance[k][k]);
    }

    public double z(int k) {
      return estimates[k] / stdError(k);
    }

    /** Two-sided, from the normal distribution. */
    public double pValue(int k) {
      return 2 * (1 - NORMAL.cumulativeProbability(Math.abs(z(k))));
    }

    public double rho2() {
      return 1 - logLikelihood / nullLogLikelihood;
    }

    /** Estimated parameters: the identified features. */
    public int parameters() {
      return estimates.length - notIdentified.size();
    }

    public double aic() {
      return 2 * parameters() - 2 * logLikelihood;
    }

    public double bic() {
      return parameters() * Math.log(decisions) - 2 * logLikelihood;
    }

    /**
     * Its iterations as training epochs: the losses per iteration, the last with the validation
     * loss and time.
     */
    public List<Training.Epoch> history(double validationLoss, double seconds) {
      List<Training.Epoch> history = new ArrayList<>();
      for (int i = 0; i < lossHistory.length; i++) {
        boolean last = i == lossHistory.length - 1;
        history.add(
            new Training.Epoch(
                i + 1,
                last ? -logLikelihood / decisions : lossHistory[i],
                last ? validationLoss : Double.NaN,
                last ? seconds : 0,
                last ? decisions / seconds : 0));
      }
      return history;
    }

    /** Feature k's row of the coefficient table: name, estimate, std. errors, z, p. */
    private Object[] coefficient(int k) {
      return new Object[] {
        features.get(k), estimates[k], stdError(k), robustStdError(k), z(k), pValue(k)
      };
    }

    /** The coefficient table as CSV: feature, estimate, std_error, robust_std_error, z, p_value. */
    public String coefficientsCsv() {
      StringBuilder table =
          new StringBuilder("feature,estimate,std_error,robust_std_error,z,p_value\n");
      for (int k = 0; k < features.size(); k++) {
        table.append(
            String.format(Locale.ROOT, "%s,%.10g,%.10g,%.10g,%.6f,%.6g%n", coefficient(k)));
      }
      return table.toString().trim();
    }

    /**
     * The fit as console lines: the coefficient table, what is not identified, and the fit
     * statistics.
     */
    public List<String> summaryLines() {
      List<String> lines = new ArrayList<>();
      lines.add(
          String.format(
              Locale.ROOT,
              "%-24s %12s %11s %11s %9s %9s",
              "feature",
              "estimate",
              "std.error",
              "robust.se",
              "z",
              "p"));
      for (int k = 0; k < features.size(); k++) {
        lines.add(
            String.format(Locale.ROOT, "%-24s %12.6f %11.6f %11.6f %9.3f %9.4f", coefficient(k)));
      }
      if (!notIdentified.isEmpty()) {
        lines.add("not identified (the same for every choice of a decision): " + notIdentified);
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "log-likelihood %.4f (null %.4f), rho2 %.4f, AIC %.2f, BIC %.2f; %d decisions of %d individuals",
              logLikelihood,
              nullLogLikelihood,
              rho2(),
              aic(),
              bic(),
              decisions,
              individuals));
      return lines;
    }

    /** The plain-Java scorer infer and transitions use: φ = βᵀx, one linear layer without bias. */
    public LogOddsScorer scorer() {
      double[][] w = new double[estimates.length][1];
      for (int k = 0; k < estimates.length; k++) {
        w[k][0] = estimates[k];
      }
      return new LogOddsScorer(
          features, "identity", List.<double[][]>of(w), List.<double[]>of(new double[] {0}));
    }
  }

  /**
   * The decisions of a choice table (individual, decision, choice, selected and the feature
   * columns). A decision without exactly one selected choice, or with a missing feature value,
   * fails naming it.
   */
  public static JavaRDD<Decision> decisions(Dataset<Row> choices, List<String> features) {
    List<Column> fields = new ArrayList<>(List.of(col(Cols.CHOICE), col(Cols.SELECTED)));
    fields.addAll(featureValues(features));
    return choices
        .groupBy(col(Cols.INDIVIDUAL).cast("string").as(Cols.INDIVIDUAL), col(Cols.DECISION))
        .agg(collect_list(struct(fields.toArray(Column[]::new))).as("rows"))
        .javaRDD()
        .map(
            r -> {
              List<Row> rows = new ArrayList<>(r.getList(2));
              rows.sort((a, b) -> compareIds(a.get(0), b.get(0)));
              return decision(r.getString(0), r.get(1), rows, 1);
            });
  }

  /**
   * {@link #decisions} on the driver, in order of individual, decision and choice: the choices'
   * narrow rows are collected and grouped here, without the shuffle that grouping them in Spark
   * takes (for tables that fit in memory: evaluate's distance baseline, at most 50 000 decisions).
   */
  public static List<Decision> collectDecisions(Dataset<Row> choices, List<String> features) {
    List<Column> columns =
        new ArrayList<>(
            List.of(
                col(Cols.INDIVIDUAL).cast("string"),
                col(Cols.DECISION),
                col(Cols.CHOICE),
                col(Cols.SELECTED)));
    columns.addAll(featureValues(features));
    List<Row> rows =
        new ArrayList<>(choices.select(columns.toArray(Column[]::new)).collectAsList());
    rows.sort(
        (a, b) -> {
          int c = compareIds(a.get(0), b.get(0));
          c = c != 0 ? c : compareIds(a.get(1), b.get(1));
          return c != 0 ? c : compareIds(a.get(2), b.get(2));
        });
    List<Decision> decisions = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= rows.size(); i++) {
      if (i == rows.size()
          || !Objects.equals(rows.get(i).get(0), rows.get(start).get(0))
          || !Objects.equals(rows.get(i).get(1), rows.get(start).get(1))) {
        Row first = rows.get(start);
        decisions.add(decision(first.getString(0), first.get(1), rows.subList(start, i), 3));
        start = i;
      }
    }
    return decisions;
  }

  private static List<Column> featureValues(List<String> features) {
    return features.stream().map(f -> col("`" + f + "`").cast("double")).toList();
  }

  /** Ids in Spark's order: numbers by value, others by their text, nulls first. */
  private static int compareIds(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return a instanceof Number && b instanceof Number
        ? SparkOrder.compare(a, b)
        : SparkOrder.compare(a.toString(), b.toString());
  }

  /**
   * One decision from its choices' rows, in choice order: whether selected at column {@code at},
   * the feature values in the columns after it.
   */
  private static Decision decision(String individual, Object id, List<Row> choices, int at) {
    double[][] x = new double[choices.size()][];
    int selected = -1;
    for (int j = 0; j < choices.size(); j++) {
      Row c = choices.get(j);
      x[j] = new double[c.length() - at - 1];
      for (int k = 0; k < x[j].length; k++) {
        if (c.isNullAt(at + 1 + k)) {
          throw new IllegalArgumentException(
              "decision "
                  + id
                  + " of individual '"
                  + individual
                  + "' has a missing feature value (feature "
                  + (k + 1)
                  + ")");
        }
        x[j][k] = c.getDouble(at + 1 + k);
      }
      if (!c.isNullAt(at) && c.getBoolean(at)) {
        if (selected >= 0) {
          throw new IllegalArgumentException(
              "decision "
                  + id
                  + " of individual '"
                  + individual
                  + "' has more than one selected choice");
        }
        selected = j;
      }
    }
    if (selected < 0) {
      throw new IllegalArgumentException(
          "decision " + id + " of individual '" + individual + "' has no selected choice");
    }
    return new Decision(individual, x, selected);
  }

  /**
   * Fits β by L-BFGS to a relative change of the loss below {@code tolerance} (at most {@code
   * maxIterations}), then polishes with Newton steps on the exact Hessian until the largest
   * mean-gradient component (standardised units) is below 1e-9; reports whether that was reached.
   * Features that never vary within a decision (decision-level variables such as the day of the
   * year) are not estimable: they are left out of the fit and reported.
   */
  public static Fit fit(
      JavaRDD<Decision> data, List<String> features, double tolerance, int maxIterations) {
    data.persist(StorageLevel.MEMORY_AND_DISK());
    List<Integer> kept = identified(Moments.of(data, new double[features.size()]), features);
    if (kept.size() == features.size()) {
      return fitIdentified(data, features, tolerance, maxIterations);
    }
    List<String> names = kept.stream().map(features::get).toList();
    JavaRDD<Decision> projected = data.map(d -> project(d, kept));
    Fit fit = fitIdentified(projected, names, tolerance, maxIterations).within(features, kept);
    data.unpersist(false);
    return fit;
  }

  /**
   * The same fit on decisions held in memory (evaluate's distance baseline: a few features, at most
   * some ten thousand decisions), without a Spark job: Newton's method on the exact Hessian from β
   * = 0, each step capped ({@link #MAX_STEP}) and halved until the log-likelihood does not fall (it
   * is concave), until the largest mean-gradient component (standardised units) is below 1e-9 or a
   * step improves the loss by less than {@code tolerance} relative to it. Perfectly separated data,
   * whose loss only tends to 0, stop when their gradient vanishes (or their information does: then
   * with NaN standard errors).
   */
  public static Fit fitInMemory(
      List<Decision> data, List<String> features, double tolerance, int maxIterations) {
    List<Integer> kept = identified(Moments.of(data, new double[features.size()]), features);
    if (kept.size() < features.size()) {
      List<String> names = kept.stream().map(features::get).toList();
      List<Decision> projected = data.stream().map(d -> project(d, kept)).toList();
      return fitInMemory(projected, names, tolerance, maxIterations).within(features, kept);
    }
    int nf = features.size();
    double[] spread = new double[2 * nf + 1];
    data.forEach(d -> addSpread(spread, d));
    double[] scale = scale(spread, nf);
    double[] range = range(data, nf);
    double[] beta = new double[nf];
    Moments at = Moments.of(data, beta);
    List<Double> losses = new ArrayList<>(List.of(at.loss()));
    int iterations = 0;
    while (iterations < maxIterations && at.largestGradient(scale) > 1e-9) {
      double[] step;
      try {
        step = solve(at.information, at.gradient);
      } catch (IllegalArgumentException singular) {
        if (iterations == 0) {
          throw singular; // at β = 0: collinear features
        }
        break; // later: the information vanished with the loss (separated data)
      }
      double change = 0; // the most the step can change one choice's log-odds against another's
      for (int k = 0; k < nf; k++) {
        change += Math.abs(step[k]) * range[k];
      }
      double cap = Math.min(1, MAX_STEP / change);
      double[] trial = beta;
      Moments next = at;
      for (double t = cap; t > 1e-12; t /= 2) {
        trial = beta.clone();
        for (int k = 0; k < nf; k++) {
          trial[k] += t * step[k];
        }
        next = Moments.of(data, trial);
        if (next.logLikelihood >= at.logLikelihood) {
          break;
        }
      }
      if (next.logLikelihood < at.logLikelihood) {
        break; // no step along Newton's direction improves: the optimum up to rounding
      }
      double improvement = at.loss() - next.loss();
      beta = trial;
      at = next;
      iterations++;
      losses.add(at.loss());
      if (improvement <= tolerance * Math.max(at.loss(), 1e-300)) {
        break;
      }
    }
    Map<String, double[]> scores = new HashMap<>();
    for (Decision d : data) {
      scores.merge(d.individual(), score(d, at.beta), ConditionalLogit::add);
    }
    double[] outer = new double[nf * nf + 1];
    scores.values().forEach(s -> addOuter(outer, s));
    double[][] covariance;
    try {
      covariance = inverse(at.information);
    } catch (IllegalArgumentException separated) {
      // Separated data: the loss reached 0 in doubles, so the information vanished with it.
      covariance = undefined(nf);
    }
    return result(
        features,
        at,
        covariance,
        scale,
        outer,
        iterations,
        losses.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * The most one Newton step of {@link #fitInMemory} may change the log-odds of a choice against
   * another's. In separated data a full first step jumps to where every probability rounds to 0 or
   * 1 (the stay-put coefficient of fish heard at one receiver went from 0 to 199); capped, it grows
   * step by step until the gradient vanishes, near where L-BFGS stops (23.5 there, L-BFGS 25.4).
   * Identified data take a few more steps at most.
   */
  private static final double MAX_STEP = 5;

  /** Each feature's range (max − min) over every choice row. */
  private static double[] range(List<Decision> data, int nf) {
    double[] min = new double[nf];
    double[] max = new double[nf];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (Decision d : data) {
      for (double[] row : d.x()) {
        for (int k = 0; k < nf; k++) {
          min[k] = Math.min(min[k], row[k]);
          max[k] = Math.max(max[k], row[k]);
        }
      }
    }
    double[] range = new double[nf];
    for (int k = 0; k < nf; k++) {
      range[k] = max[k] - min[k];
    }
    return range;
  }

  /**
   * The features (indices) that vary within decisions: their within-decision variance at β = 0 is
   * more than rounding (1e-10) relative to their size. Fails when none does.
   */
  private static List<Integer> identified(Moments uniform, List<String> features) {
    List<Integer> kept = new ArrayList<>();
    for (int k = 0; k < features.size(); k++) {
      if (uniform.information[k][k] > 1e-10 * uniform.secondMoment[k]) {
        kept.add(k);
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException(
          "no feature of "
              + features
              + " varies within a decision: a conditional logit has nothing to estimate");
    }
    return kept;
  }

  private static Decision project(Decision d, List<Integer> kept) {
    double[][] x = new double[d.x().length][kept.size()];
    for (int j = 0; j < x.length; j++) {
      for (int i = 0; i < kept.size(); i++) {
        x[j][i] = d.x()[j][kept.get(i)];
      }
    }
    return new Decision(d.individual(), x, d.selected());
  }

  /** Adds the decision's choice rows to [Σx (nf), Σx² (nf), rows]. */
  private static double[] addSpread(double[] acc, Decision d) {
    int nf = (acc.length - 1) / 2;
    for (double[] row : d.x()) {
      acc[2 * nf]++;
      for (int k = 0; k < nf; k++) {
        acc[k] += row[k];
        acc[nf + k] += row[k] * row[k];
      }
    }
    return acc;
  }

  /**
   * Per-feature spread over every choice row: the scale of the standardised problem (a mean shift
   * cancels within a decision, so only the scale matters).
   */
  private static double[] scale(double[] spread, int nf) {
    double[] scale = new double[nf];
    for (int k = 0; k < nf; k++) {
      double n = spread[2 * nf];
      double variance = spread[nf + k] / n - Math.pow(spread[k] / n, 2);
      scale[k] = variance > 1e-24 ? Math.sqrt(variance) : 1;
    }
    return scale;
  }

  private static Fit fitIdentified(
      JavaRDD<Decision> data, List<String> features, double tolerance, int maxIterations) {
    int nf = features.size();
    data.persist(StorageLevel.MEMORY_AND_DISK());
    double[] scale =
        scale(
            data.treeAggregate(
                new double[2 * nf + 1], ConditionalLogit::addSpread, ConditionalLogit::add),
            nf);
    JavaRDD<Tuple2<Object, Vector>> standardised =
        data.map(
            d -> {
              double[] flat = new double[d.x().length * nf];
              for (int j = 0; j < d.x().length; j++) {
                for (int k = 0; k < nf; k++) {
                  flat[j * nf + k] = d.x()[j][k] / scale[k];
                }
              }
              return new Tuple2<Object, Vector>((double) d.selected(), Vectors.dense(flat));
            });
    standardised.persist(StorageLevel.MEMORY_AND_DISK());
    Tuple2<Vector, double[]> result =
        LBFGS.runLBFGS(
            standardised.rdd(),
            new Gradient(nf),
            new SimpleUpdater(),
            10,
            tolerance,
            maxIterations,
            0.0,
            Vectors.zeros(nf));
    standardised.unpersist(false);
    double[] beta = new double[nf];
    for (int k = 0; k < nf; k++) {
      beta[k] = result._1().apply(k) / scale[k];
    }

    Moments at = Moments.of(data, beta);
    for (int polish = 0; polish < 5 && at.largestGradient(scale) > 1e-9; polish++) {
      double[] step = solve(at.information, at.gradient);
      for (int k = 0; k < nf; k++) {
        beta[k] += step[k];
      }
      at = Moments.of(data, beta);
    }
    Fit fit =
        result(
            features,
            at,
            inverse(at.information),
            scale,
            outer(data, at.beta),
            result._2().length - 1,
            result._2());
    data.unpersist(false);
    return fit;
  }

  /** The inverse observed information; fails saying why when it is singular. */
  private static double[][] inverse(double[][] information) {
    try {
      return new LUDecomposition(new Array2DRowRealMatrix(information))
          .getSolver()
          .getInverse()
          .getData();
    } catch (org.apache.commons.math3.linear.SingularMatrixException e) {
      throw notIdentified(e);
    }
  }

  /**
   * The fit at {@code at} with its covariance, the sandwich from {@code outer} (Σ over individuals
   * of s sᵀ, then their number).
   */
  private static Fit result(
      List<String> features,
      Moments at,
      double[][] covariance,
      double[] scale,
      double[] outer,
      int iterations,
      double[] lossHistory) {
    int nf = features.size();
    RealMatrix cov = new Array2DRowRealMatrix(covariance);
    double[][] meat = unflatten(Arrays.copyOf(outer, nf * nf), nf);
    RealMatrix robust = cov.multiply(new Array2DRowRealMatrix(meat)).multiply(cov);
    return new Fit(
        List.copyOf(features),
        at.beta.clone(),
        covariance,
        robust.getData(),
        at.logLikelihood,
        at.nullLogLikelihood,
        at.decisions,
        (long) outer[nf * nf],
        iterations,
        at.largestGradient(scale) <= 1e-6,
        at.largestGradient(scale),
        lossHistory,
        List.of());
  }

  /**
   * Σ over individuals of (Σ over its decisions of the score)(...)ᵀ, flattened, followed by the
   * number of individuals (counted in the same pass).
   */
  private static double[] outer(JavaRDD<Decision> data, double[] beta) {
    int nf = beta.length;
    return data.mapToPair(d -> new Tuple2<>(d.individual(), score(d, beta)))
        .reduceByKey(ConditionalLogit::add)
        .values()
        .treeAggregate(new double[nf * nf + 1], ConditionalLogit::addOuter, ConditionalLogit::add);
  }

  /** Adds s sᵀ (flattened) and one individual to {@code acc}. */
  private static double[] addOuter(double[] acc, double[] s) {
    int nf = s.length;
    for (int a = 0; a < nf; a++) {
      for (int b = 0; b < nf; b++) {
        acc[a * nf + b] += s[a] * s[b];
      }
    }
    acc[nf * nf]++;
    return acc;
  }

  /** An n × n matrix of NaN: (co)variances that do not exist. */
  private static double[][] undefined(int n) {
    double[][] m = new double[n][n];
    for (double[] row : m) {
      Arrays.fill(row, Double.NaN);
    }
    return m;
  }

  private static double[][] unflatten(double[] flat, int n) {
    double[][] m = new double[n][n];
    for (int a = 0; a < n; a++) {
      m[a] = Arrays.copyOfRange(flat, a * n, (a + 1) * n);
    }
    return m;
  }

  /**
   * Mean negative log-likelihood per decision of {@code beta} on {@code data}; NaN when there are
   * none.
   */
  public static double meanLoss(JavaRDD<Decision> data, double[] beta) {
    double[] sums =
        data.treeAggregate(
            new double[2],
            (acc, d) -> {
              double[] p = probabilities(d, beta);
              acc[0] -= Math.log(p[d.selected()]);
              acc[1]++;
              return acc;
            },
            ConditionalLogit::add);
    return sums[1] == 0 ? Double.NaN : sums[0] / sums[1];
  }

  /** Softmax of βᵀx over the decision's choices, the maximum subtracted first. */
  static double[] probabilities(Decision d, double[] beta) {
    double[] phi = new double[d.x().length];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < phi.length; j++) {
      for (int k = 0; k < beta.length; k++) {
        phi[j] += beta[k] * d.x()[j][k];
      }
      max = Math.max(max, phi[j]);
    }
    double z = 0;
    for (int j = 0; j < phi.length; j++) {
      phi[j] = Math.exp(phi[j] - max);
      z += phi[j];
    }
    for (int j = 0; j < phi.length; j++) {
      phi[j] /= z;
    }
    return phi;
  }

  /** The decision's score (gradient of its log-likelihood): x_selected − Σ p_j x_j. */
  static double[] score(Decision d, double[] beta) {
    double[] p = probabilities(d, beta);
    double[] s = d.x()[d.selected()].clone();
    for (int j = 0; j < p.length; j++) {
      for (int k = 0; k < s.length; k++) {
        s[k] -= p[j] * d.x()[j][k];
      }
    }
    return s;
  }

  /** Log-likelihood, its gradient and the observed information at β, in one pass. */
  private static final class Moments implements Serializable {
    double logLikelihood;
    double nullLogLikelihood;
    long decisions;
    double[] gradient;
    double[][] information;

    /**
     * Σ over decisions and choices of p_j x_jk²: the scale against which within-decision variance
     * is judged.
     */
    double[] secondMoment;

    /** Where they were computed. */
    double[] beta;

    static Moments of(JavaRDD<Decision> data, double[] beta) {
      return of(
          beta,
          data.treeAggregate(
              new double[size(beta.length)], (a, d) -> add(a, d, beta), ConditionalLogit::add));
    }

    static Moments of(List<Decision> data, double[] beta) {
      double[] acc = new double[size(beta.length)];
      data.forEach(d -> add(acc, d, beta));
      return of(beta, acc);
    }

    // [ll, null ll, decisions, gradient (nf), information (nf * nf), second moment (nf)]
    private static int size(int nf) {
      return 3 + nf + nf * nf + nf;
    }

    private static double[] add(double[] a, Decision d, double[] beta) {
      int nf = beta.length;
      int moment = 3 + nf + nf * nf;
      double[] p = probabilities(d, beta);
      int m = p.length;
      double[] mean = new double[nf];
      for (int j = 0; j < m; j++) {
        for (int k = 0; k < nf; k++) {
          mean[k] += p[j] * d.x()[j][k];
        }
      }
      a[0] += Math.log(p[d.selected()]);
      a[1] -= Math.log(m);
      a[2]++;
      for (int k = 0; k < nf; k++) {
        a[3 + k] += d.x()[d.selected()][k] - mean[k];
      }
      for (int j = 0; j < m; j++) {
        for (int r = 0; r < nf; r++) {
          a[moment + r] += p[j] * d.x()[j][r] * d.x()[j][r];
          double dr = d.x()[j][r] - mean[r];
          for (int c = 0; c < nf; c++) {
            a[3 + nf + r * nf + c] += p[j] * dr * (d.x()[j][c] - mean[c]);
          }
        }
      }
      return a;
    }

    private static Moments of(double[] beta, double[] acc) {
      int nf = beta.length;
      int moment = 3 + nf + nf * nf;
      Moments out = new Moments();
      out.beta = beta.clone();
      out.logLikelihood = acc[0];
      out.nullLogLikelihood = acc[1];
      out.decisions = (long) acc[2];
      out.gradient = Arrays.copyOfRange(acc, 3, 3 + nf);
      out.information = unflatten(Arrays.copyOfRange(acc, 3 + nf, moment), nf);
      out.secondMoment = Arrays.copyOfRange(acc, moment, acc.length);
      return out;
    }

    /** Mean negative log-likelihood per decision. */
    double loss() {
      return -logLikelihood / Math.max(1, decisions);
    }

    /** The largest component of the mean gradient per decision, in standardised units. */
    double largestGradient(double[] scale) {
      double max = 0;
      for (int k = 0; k < gradient.length; k++) {
        max = Math.max(max, Math.abs(gradient[k] * scale[k] / Math.max(1, decisions)));
      }
      return max;
    }
  }

  private static double[] solve(double[][] a, double[] b) {
    try {
      return new LUDecomposition(new Array2DRowRealMatrix(a))
          .getSolver()
          .solve(new org.apache.commons.math3.linear.ArrayRealVector(b))
          .toArray();
    } catch (org.apache.commons.math3.linear.SingularMatrixException e) {
      throw notIdentified(e);
    }
  }

  private static IllegalArgumentException notIdentified(Exception cause) {
    return new IllegalArgumentException(
        "the coefficients are not identified: some features are collinear within decisions, or the data separate "
            + "the choices perfectly (too few decisions for this many features)",
        cause);
  }

  private static double[] add(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  /**
   * MLlib's per-example gradient for one decision: the features of its choices flattened, the label
   * its choice.
   */
  static final class Gradient extends org.apache.spark.mllib.optimization.Gradient {
    private final int features;

    Gradient(int features) {
      this.features = features;
    }

    @Override
    public double compute(Vector data, double label, Vector weights, Vector cumGradient) {
      double[] x = data.toArray();
      double[] w = weights.toArray();
      double[] g = ((DenseVector) cumGradient).values();
      int m = x.length / features;
      int selected = (int) label;
      double[] phi = new double[m];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < m; j++) {
        for (int k = 0; k < features; k++) {
          phi[j] += w[k] * x[j * features + k];
        }
        max = Math.max(max, phi[j]);
      }
      double z = 0;
      for (int j = 0; j < m; j++) {
        z += Math.exp(phi[j] - max);
      }
      for (int j = 0; j < m; j++) {
        double p = Math.exp(phi[j] - max) / z;
        for (int k = 0; k < features; k++) {
          g[k] += p * x[j * features + k];
        }
      }
      for (int k = 0; k < features; k++) {
        g[k] -= x[selected * features + k];
      }
      return Math.log(z) + max - phi[selected];
    }
  }
}
