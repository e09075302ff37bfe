package org.shoal.pipeline.covariates;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.shoal.pipeline.geo.GeoPoint;
import org.shoal.pipeline.h3.H3Cells;

/**
 * A grid's points mapped to H3 cells once (not per day): each point's own cell, plus the cells too
 * small to hold any grid point, each fed by its nearest point. {@code fillCells[i]} takes its value
 * from point {@code fillPoints[i]}.
 *
 * @param note why no cell was filled from its nearest point, or null
 */
public record GridCells(long[] cells, long[] fillCells, int[] fillPoints, String note)
    implements Serializable {
  /** Cells this many times larger than a grid cell always contain grid points: nothing to fill. */
  private static final double FILL_AREA_RATIO = 4;

  /** Above this many candidate cells the nearest-point fill is skipped (with a note). */
  private static final long MAX_FILL_CANDIDATES = 5_000_000;

  /** Every point's cell, {@code cells[y * nx + x]}. */
  public static long[] cells(Grid grid, int resolution) {
    long[] out = new long[grid.size()];
    int nx = grid.lons().length;
    for (int y = 0; y < grid.lats().length; y++) {
      for (int x = 0; x < nx; x++) {
        out[y * nx + x] = H3Cells.cellOf(grid.lats()[y], grid.lons()[x], resolution);
      }
    }
    return out;
  }

  /**
   * @param nearestFill whether cells without any grid point inside take their nearest point's
   *     values
   */
  public static GridCells of(Grid grid, int resolution, boolean nearestFill) {
    long[] cells = cells(grid, resolution);
    if (!nearestFill || grid.size() == 0) {
      return new GridCells(
          cells, new long[0], new int[0], nearestFill ? null : "nearest-point fill is off");
    }
    double dLat = Grid.spacing(grid.lats());
    double dLon = Grid.spacing(grid.lons());
    if (Double.isNaN(dLat) || Double.isNaN(dLon)) {
      return new GridCells(
          cells,
          new long[0],
          new int[0],
          "a grid of one row or column has no spacing to fill from");
    }
    double minLat = Arrays.stream(grid.lats()).min().orElseThrow();
    double maxLat = Arrays.stream(grid.lats()).max().orElseThrow();
    double nearestEquator =
        minLat <= 0 && maxLat >= 0 ? 0 : Math.min(Math.abs(minLat), Math.abs(maxLat));
    double gridCellKm2 = dLat * 111.195 * dLon * 111.195 * Math.cos(Math.toRadians(nearestEquator));
    double cellKm2 = H3Cells.averageAreaKm2(resolution);
    if (cellKm2 >= FILL_AREA_RATIO * gridCellKm2) {
      return new GridCells(cells, new long[0], new int[0], null);
    }
    double[] lonRange = lonRange(grid.lons());
    double extentKm2 =
        (maxLat - minLat)
            * 111.195
            * span(lonRange[0], lonRange[1])
            * 111.195
            * Math.cos(Math.toRadians(nearestEquator));
    if (extentKm2 / cellKm2 > MAX_FILL_CANDIDATES) {
      return new GridCells(
          cells,
          new long[0],
          new int[0],
          String.format(
              java.util.Locale.ROOT,
              "about %.0f cells at resolution %d cover the grid: too many to fill from nearest points; use a coarser resolution or a smaller region",
              extentKm2 / cellKm2,
              resolution));
    }
    Set<Long> own = new java.util.HashSet<>();
    for (long c : cells) {
      own.add(c);
    }
    int[] latOrder = order(grid.lats());
    int[] lonOrder = order(grid.lons());
    double[] sortedLats = sorted(grid.lats(), latOrder);
    double[] sortedLons = sorted(grid.lons(), lonOrder);
    List<long[]> fills = new ArrayList<>();
    for (long c : H3Cells.cellsCoveringBox(minLat, maxLat, lonRange[0], lonRange[1], resolution)) {
      if (own.contains(c)) {
        continue;
      }
      GeoPoint centre = H3Cells.centroid(c);
      int y = latOrder[nearest(sortedLats, centre.lat(), false)];
      int x = lonOrder[nearest(sortedLons, centre.lon(), true)];
      fills.add(new long[] {c, (long) y * grid.lons().length + x});
    }
    fills.sort(Comparator.comparingLong(f -> f[0]));
    return new GridCells(
        cells,
        fills.stream().mapToLong(f -> f[0]).toArray(),
        fills.stream().mapToInt(f -> (int) f[1]).toArray(),
        null);
  }

  public int filled() {
    return fillCells.length;
  }

  /** West and east longitude of the axis (east < west when it crosses the antimeridian). */
  static double[] lonRange(double[] lons) {
    double[] s = lons.clone();
    Arrays.sort(s);
    // the widest gap between neighbouring longitudes (around the circle) is outside the grid
    int gapAfter = s.length - 1;
    double widest = s[0] + 360 - s[s.length - 1];
    for (int i = 0; i + 1 < s.length; i++) {
      if (s[i + 1] - s[i] > widest) {
        widest = s[i + 1] - s[i];
        gapAfter = i;
      }
    }
    return new double[] {s[(gapAfter + 1) % s.length], s[gapAfter]};
  }

  private static double span(double west, double east) {
    return east >= west ? east - west : east + 360 - west;
  }

  private static int[] order(double[] axis) {
    Integer[] idx = new Integer[axis.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparingDouble(i -> axis[i]));
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }

  private static double[] sorted(double[] axis, int[] order) {
    double[] out = new double[axis.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = axis[order[i]];
    }
    return out;
  }

  /**
   * Index of the value nearest to {@code v} in a sorted axis; longitudes compare around the circle.
   */
  static int nearest(double[] sorted, double v, boolean circular) {
    int i = Arrays.binarySearch(sorted, v);
    if (i >= 0) {
      return i;
    }
    int hi = -i - 1;
    int[] candidates =
        circular ? new int[] {hi - 1, hi, 0, sorted.length - 1} : new int[] {hi - 1, hi};
    int best = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c : candidates) {
      if (c < 0 || c >= sorted.length) {
        continue;
      }
      double d = Math.abs(sorted[c] - v);
      if (circular) {
        d = Math.min(d, 360 - d);
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }
}
