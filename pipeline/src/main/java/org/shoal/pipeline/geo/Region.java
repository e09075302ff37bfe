package org.shoal.pipeline.geo;

import java.io.Serializable;

/** A latitude/longitude box (not crossing the antimeridian) in decimal degrees. */
public record Region(double minLat, double maxLat, double minLon, double maxLon)
    implements Serializable {
  public Region {
    if (!(minLat >= -90 && maxLat <= 90 && minLat < maxLat)) {
      throw new IllegalArgumentException(
          "region needs -90 <= min-lat < max-lat <= 90, got " + minLat + ".." + maxLat);
    }
    if (!(minLon >= -180 && maxLon <= 180 && minLon < maxLon)) {
      throw new IllegalArgumentException(
          "region needs -180 <= min-lon < max-lon <= 180, got " + minLon + ".." + maxLon);
    }
  }

  /** Position of (lat, lon) within the box, as fractions (u east, v north) in [0, 1]. */
  public double u(double lon) {
    return (lon - minLon) / (maxLon - minLon);
  }

  public double v(double lat) {
    return (lat - minLat) / (maxLat - minLat);
  }
}
