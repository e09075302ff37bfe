package org.shoal.pipeline.evaluate;

import java.util.List;
import java.util.Map;

/**
 * The research's metrics as plain formulas over per-decision log-probabilities of the selected
 * choice (ll): D-NLP is the mean over individuals of each individual's mean ll (long tracks do not
 * dominate), GMP = exp(D-NLP), and the plain mean over decisions (C-NLP when the decisions are
 * contrast pairs).
 */
public final class Metrics {
  private Metrics() {}

  public static double decisionNlp(Map<String, List<Double>> llByIndividual) {
    double total = 0;
    int individuals = 0;
    for (List<Double> lls : llByIndividual.values()) {
      if (lls.isEmpty()) {
        continue;
      }
      total += lls.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      individuals++;
    }
    return individuals == 0 ? Double.NaN : total / individuals;
  }

  public static double plainMean(Map<String, List<Double>> llByIndividual) {
    return llByIndividual.values().stream()
        .flatMap(List::stream)
        .mapToDouble(Double::doubleValue)
        .average()
        .orElse(Double.NaN);
  }

  public static double gmp(double decisionNlp) {
    return Math.exp(decisionNlp);
  }
}
