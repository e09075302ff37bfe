package org.shoal.pipeline.h3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.shoal.pipeline.geo.GeoPoint;
import org.shoal.pipeline.geo.Geodesy;

/**
 * Choice sets: every cell whose centroid lies within {@code maxKm} (geodesic) of the origin's
 * centroid, the origin included. The search widens ring by ring and stops at the first ring that
 * adds nothing, as the original {@code find_neighbors} did. Results are cached per origin cell
 * because tracks revisit few distinct cells.
 */
public final class ChoiceSets {
  private final double maxKm;
  private final Map<Long, ChoiceSet> cache = new ConcurrentHashMap<>();

  public ChoiceSets(double maxKm) {
    this.maxKm = checkRadius(maxKm);
  }

  /** The resolution and radius of a choice set, checked; the message names the bad one. */
  public static void check(int resolution, double radiusKm) {
    if (resolution < H3Cells.MIN_RESOLUTION || resolution > H3Cells.MAX_RESOLUTION) {
      throw new IllegalArgumentException("H3 resolution must be 0..15, got " + resolution);
    }
    checkRadius(radiusKm);
  }

  private static double checkRadius(double radiusKm) {
    if (!(radiusKm >= 0) || Double.isInfinite(radiusKm)) {
      throw new IllegalArgumentException(
          "radius must be a finite number of km >= 0, got " + radiusKm);
    }
    return radiusKm;
  }

  public double maxKm() {
    return maxKm;
  }

  public ChoiceSet of(long origin) {
    return cache.computeIfAbsent(origin, o -> compute(o, maxKm));
  }

  static ChoiceSet compute(long origin, double maxKm) {
    GeoPoint o = H3Cells.centroid(origin);
    List<Long> found = new ArrayList<>();
    found.add(origin);
    Set<Long> checked = new HashSet<>();
    checked.add(origin);
    for (int k = 1; ; k++) {
      boolean added = false;
      for (long cand : H3Cells.disk(origin, k)) {
        if (checked.add(cand) && Geodesy.distanceKm(o, H3Cells.centroid(cand)) <= maxKm) {
          found.add(cand);
          added = true;
        }
      }
      if (!added) {
        break;
      }
    }
    long[] cells = found.stream().mapToLong(Long::longValue).sorted().toArray();
    double[] dist = new double[cells.length];
    double[] bearing = new double[cells.length];
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] != origin) {
        GeoPoint c = H3Cells.centroid(cells[i]);
        dist[i] = Geodesy.distanceKm(o, c);
        bearing[i] = Geodesy.bearingDeg(o, c);
      }
    }
    return new ChoiceSet(origin, cells, dist, bearing);
  }

  /** The subset of {@code set} whose cells pass {@code keep}; the origin is always kept. */
  public static ChoiceSet restrict(ChoiceSet set, java.util.function.LongPredicate keep) {
    int n = 0;
    int[] idx = new int[set.size()];
    for (int i = 0; i < set.size(); i++) {
      if (set.cells()[i] == set.origin() || keep.test(set.cells()[i])) {
        idx[n++] = i;
      }
    }
    idx = Arrays.copyOf(idx, n);
    long[] cells = new long[n];
    double[] dist = new double[n];
    double[] bearing = new double[n];
    for (int j = 0; j < n; j++) {
      cells[j] = set.cells()[idx[j]];
      dist[j] = set.distanceKm()[idx[j]];
      bearing[j] = set.bearingDeg()[idx[j]];
    }
    return new ChoiceSet(set.origin(), cells, dist, bearing);
  }
}
