package org.shoal.pipeline.covariates;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A rectilinear grid of points (the part of a file's grid inside the configured box): point {@code
 * p = y * nx + x} lies at ({@code lats[y]}, {@code lons[x]}); longitudes wrapped into [-180, 180).
 */
public record Grid(double[] lats, double[] lons) implements Serializable {
  public int size() {
    return lats.length * lons.length;
  }

  public double lat(int point) {
    return lats[point / lons.length];
  }

  public double lon(int point) {
    return lons[point % lons.length];
  }

  /** Equal axes: files on one grid share one cell lookup. */
  public boolean sameAs(Grid other) {
    return Arrays.equals(lats, other.lats) && Arrays.equals(lons, other.lons);
  }

  /** Typical spacing in degrees (median step) along an axis. */
  static double spacing(double[] axis) {
    if (axis.length < 2) {
      return Double.NaN;
    }
    double[] steps = new double[axis.length - 1];
    for (int i = 1; i < axis.length; i++) {
      double d = Math.abs(axis[i] - axis[i - 1]);
      steps[i - 1] = d > 180 ? 360 - d : d;
    }
    Arrays.sort(steps);
    return steps[steps.length / 2];
  }

  @Override
  public String toString() {
    return lats.length + " x " + lons.length + " points";
  }
}
