package org.shoal.pipeline.h3;

import com.uber.h3core.H3Core;
import com.uber.h3core.util.LatLng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.shoal.pipeline.geo.GeoPoint;

/**
 * Pure static H3 helpers over one lazily created, thread-safe {@link H3Core} per JVM (never
 * serialized, so it is safe to call from Spark executors).
 */
public final class H3Cells {
  public static final int MIN_RESOLUTION = 0;
  public static final int MAX_RESOLUTION = 15;

  private H3Cells() {}

  private static final class Holder {
    static final H3Core CORE = create();

    private static H3Core create() {
      try {
        return H3Core.newInstance();
      } catch (IOException e) {
        throw new UncheckedIOException("could not load the H3 native library", e);
      }
    }
  }

  static H3Core core() {
    return Holder.CORE;
  }

  public static long cellOf(double lat, double lon, int resolution) {
    return core().latLngToCell(lat, lon, resolution);
  }

  public static GeoPoint centroid(long cell) {
    LatLng c = core().cellToLatLng(cell);
    return new GeoPoint(c.lat, c.lng);
  }

  public static String address(long cell) {
    return core().h3ToString(cell);
  }

  /**
   * Parses an H3 address such as {@code 840c503ffffffff}; fails with the offending text if it is
   * not a cell.
   */
  public static long parse(String address) {
    long cell;
    try {
      cell = core().stringToH3(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an H3 cell address: '" + address + "'", e);
    }
    if (!core().isValidCell(cell)) {
      throw new IllegalArgumentException("not an H3 cell address: '" + address + "'");
    }
    return cell;
  }

  public static int resolution(long cell) {
    return core().getResolution(cell);
  }

  public static boolean isPentagon(long cell) {
    return core().isPentagon(cell);
  }

  /** All cells within grid distance k of {@code cell}, including it. */
  public static List<Long> disk(long cell, int k) {
    return core().gridDisk(cell, k);
  }

  /** Cells whose centroid lies inside a lat/lon box that does not cross the antimeridian. */
  public static long[] cellsInBox(
      double minLat, double maxLat, double minLon, double maxLon, int resolution) {
    List<LatLng> ring =
        List.of(
            new LatLng(minLat, minLon),
            new LatLng(minLat, maxLon),
            new LatLng(maxLat, maxLon),
            new LatLng(maxLat, minLon));
    return core().polygonToCells(ring, List.of(), resolution).stream()
        .mapToLong(Long::longValue)
        .sorted()
        .toArray();
  }

  /** The average area of a cell at {@code resolution}, km². */
  public static double averageAreaKm2(int resolution) {
    return core().getHexagonAreaAvg(resolution, com.uber.h3core.AreaUnit.km2);
  }

  /**
   * Cells whose centroid lies inside a lat/lon box following parallels and meridians ({@code minLon
   * > maxLon} crosses the antimeridian): the box is cut into pieces under 60° of longitude and its
   * edges densified every degree, since H3 joins polygon vertices by great circles. Sorted, without
   * repeats.
   */
  public static long[] cellsCoveringBox(
      double minLat, double maxLat, double minLon, double maxLon, int resolution) {
    double span = maxLon >= minLon ? maxLon - minLon : maxLon + 360 - minLon;
    int pieces = Math.max(1, (int) Math.ceil(span / 60));
    java.util.TreeSet<Long> out = new java.util.TreeSet<>();
    for (int p = 0; p < pieces; p++) {
      double west = minLon + span * p / pieces;
      double east = minLon + span * (p + 1) / pieces;
      List<LatLng> ring = new java.util.ArrayList<>();
      int steps = Math.max(1, (int) Math.ceil(east - west));
      for (int i = 0; i <= steps; i++) {
        ring.add(new LatLng(minLat, lon(west + (east - west) * i / steps)));
      }
      for (int i = steps; i >= 0; i--) {
        ring.add(new LatLng(maxLat, lon(west + (east - west) * i / steps)));
      }
      out.addAll(core().polygonToCells(ring, List.of(), resolution));
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  private static double lon(double x) {
    return x > 180 ? x - 360 : x;
  }
}
