package org.shoal.pipeline.geo;

import java.io.Serializable;
import java.util.Locale;

/**
 * A latitude/longitude box in decimal degrees. {@code minLon > maxLon} means the box crosses the
 * antimeridian (e.g. 130 to -100 covers the North Pacific). Longitudes are compared after wrapping
 * into [-180, 180).
 */
public record LatLonBox(double minLat, double maxLat, double minLon, double maxLon)
    implements Serializable {
  public static final LatLonBox WORLD = new LatLonBox(-90, 90, -180, 180);

  public LatLonBox {
    if (!(minLat >= -90 && maxLat <= 90 && minLat <= maxLat)) {
      throw new IllegalArgumentException(
          "a box needs -90 <= min-lat <= max-lat <= 90, got " + minLat + ".." + maxLat);
    }
    if (!(minLon >= -180 && minLon <= 180 && maxLon >= -180 && maxLon <= 180)) {
      throw new IllegalArgumentException(
          "a box needs longitudes in [-180, 180], got " + minLon + ".." + maxLon);
    }
  }

  public boolean crossesAntimeridian() {
    return minLon > maxLon;
  }

  public boolean containsLat(double lat) {
    return lat >= minLat && lat <= maxLat;
  }

  public boolean containsLon(double lon) {
    if (minLon == -180 && maxLon == 180) {
      return true;
    }
    double x = wrap(lon);
    return crossesAntimeridian() ? x >= minLon || x <= maxLon : x >= minLon && x <= maxLon;
  }

  public boolean contains(double lat, double lon) {
    return containsLat(lat) && containsLon(lon);
  }

  /** Longitude wrapped into [-180, 180). */
  public static double wrap(double lon) {
    double x = ((lon + 180) % 360 + 360) % 360 - 180;
    return x == -180 && lon > 0 ? 180 : x;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "lat %s..%s, lon %s..%s", minLat, maxLat, minLon, maxLon);
  }
}
