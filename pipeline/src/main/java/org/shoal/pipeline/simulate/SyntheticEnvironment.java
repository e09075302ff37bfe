package org.shoal.pipeline.simulate;

/**
 * Smooth, seasonally varying environmental fields of the synthetic world, as plain functions of a
 * cell centroid and the day of the year. Magnitudes are North-Pacific-like so that the same feature
 * transforms suit real data.
 */
public final class SyntheticEnvironment {
  private static final double YEAR = 365.25;

  private SyntheticEnvironment() {}

  private static double season(int dayOfYear, double peakDay) {
    return Math.cos(2 * Math.PI * (dayOfYear - peakDay) / YEAR);
  }

  /**
   * Sea-surface temperature, deg C: colder to the north, warmest in late August, with a meander.
   */
  public static double temperature(double lat, double lon, int dayOfYear) {
    return 11.0
        - 0.45 * (lat - 50.0)
        + 3.0 * season(dayOfYear, 235)
        + 1.2 * Math.sin(Math.toRadians(lon) * 8.0) * Math.cos(Math.toRadians(lat) * 6.0);
  }

  /** Salinity, PSU: fresher towards the coast (east) and the north. */
  public static double salinity(double lat, double lon, int dayOfYear) {
    return 32.4
        - 0.03 * (lon + 145.0)
        - 0.04 * (lat - 50.0)
        + 0.15 * season(dayOfYear, 60) * Math.sin(Math.toRadians(lat) * 10.0);
  }

  /** Mixed-layer thickness, m (always positive): deep in winter, shallow in summer. */
  public static double mixedLayerThickness(double lat, double lon, int dayOfYear) {
    return 40.0
        + 28.0 * season(dayOfYear, 45)
        + 6.0 * Math.sin(Math.toRadians(lat) * 12.0 + Math.toRadians(lon) * 3.0);
  }

  /**
   * Net primary production, mg C m^-3 day^-1 (log-normal-like, always positive): a spring bloom.
   */
  public static double netPrimaryProduction(double lat, double lon, int dayOfYear) {
    return Math.exp(
        1.4
            + 0.9 * season(dayOfYear, 140)
            + 0.5 * Math.cos(Math.toRadians(lat) * 9.0) * Math.sin(Math.toRadians(lon) * 5.0));
  }
}
