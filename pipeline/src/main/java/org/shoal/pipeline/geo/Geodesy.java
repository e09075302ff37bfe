package org.shoal.pipeline.geo;

import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import net.sf.geographiclib.GeodesicMask;

/**
 * Distances and bearings on the WGS-84 ellipsoid (Karney's algorithm, as geopy's {@code geodesic}
 * used by the original research). Both are antimeridian-safe: a step from 179.9E to 179.9W is a
 * short step east.
 */
public final class Geodesy {
  private static final int MASK = GeodesicMask.DISTANCE | GeodesicMask.AZIMUTH;

  private Geodesy() {}

  /** Geodesic distance in kilometres. */
  public static double distanceKm(GeoPoint from, GeoPoint to) {
    return Geodesic.WGS84.Inverse(from.lat(), from.lon(), to.lat(), to.lon(), GeodesicMask.DISTANCE)
            .s12
        / 1000.0;
  }

  /**
   * Initial great-circle bearing from {@code from} to {@code to}, degrees clockwise from north in
   * [0, 360). A zero-length step has bearing 0 by convention; callers that care use the stay-put
   * flag.
   */
  public static double bearingDeg(GeoPoint from, GeoPoint to) {
    GeodesicData g = Geodesic.WGS84.Inverse(from.lat(), from.lon(), to.lat(), to.lon(), MASK);
    if (g.s12 == 0.0) {
      return 0.0;
    }
    double b = g.azi1 % 360.0;
    return b < 0 ? b + 360.0 : b;
  }
}
