package org.shoal.pipeline.covariates;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * Depth bins (metres, increasing edges): bin k holds levels in (edge[k], edge[k+1]], the first bin
 * includes its upper and lower edge, as xarray's right-closed {@code groupby_bins} in the research.
 * Values of the levels in a bin are averaged per grid point. The feature bin's columns carry the
 * variable's own name; the others get {@code _<lo>_<hi>m}.
 */
public record DepthBins(double[] edges, int featureBin) implements Serializable {
  public DepthBins {
    if (edges.length < 2) {
      throw new IllegalArgumentException(
          "depth bins need at least two edges, got " + java.util.Arrays.toString(edges));
    }
    for (int i = 1; i < edges.length; i++) {
      if (!(edges[i] > edges[i - 1])) {
        throw new IllegalArgumentException(
            "depth-bin edges must increase, got " + java.util.Arrays.toString(edges));
      }
    }
    if (featureBin < 0 || featureBin >= edges.length - 1) {
      throw new IllegalArgumentException(
          "the feature bin must be one of 1.."
              + (edges.length - 1)
              + " (the bins of "
              + java.util.Arrays.toString(edges)
              + ")");
    }
  }

  public static DepthBins of(List<Double> edges, int featureBin) {
    return new DepthBins(edges.stream().mapToDouble(Double::doubleValue).toArray(), featureBin);
  }

  public int count() {
    return edges.length - 1;
  }

  /**
   * The bin of a level's depth (positive down; negative depths are read as their magnitude), or -1
   * outside all bins.
   */
  public int binOf(double depth) {
    double d = Math.abs(depth);
    if (d == edges[0]) {
      return 0;
    }
    for (int k = 0; k < count(); k++) {
      if (d > edges[k] && d <= edges[k + 1]) {
        return k;
      }
    }
    return -1;
  }

  /** The output column of a variable's bin. */
  public String column(String variable, int bin) {
    return bin == featureBin
        ? variable
        : String.format(Locale.ROOT, "%s_%s_%sm", variable, edge(edges[bin]), edge(edges[bin + 1]));
  }

  private static String edge(double e) {
    return e == Math.rint(e) ? Long.toString((long) e) : Double.toString(e).replace('.', 'p');
  }

  @Override
  public String toString() {
    return java.util.Arrays.toString(edges) + " (features from bin " + (featureBin + 1) + ")";
  }
}
