package org.shoal.pipeline.h3;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The candidate destinations of one decision: cells sorted by id (which is also the order of their
 * addresses), each with its geodesic distance and initial bearing from the origin centroid. The
 * origin is always a member.
 */
public record ChoiceSet(long origin, long[] cells, double[] distanceKm, double[] bearingDeg)
    implements Serializable {

  public int size() {
    return cells.length;
  }

  /** Position of {@code cell} in {@link #cells()}, or -1 when it is not a choice. */
  public int indexOf(long cell) {
    int i = Arrays.binarySearch(cells, cell);
    return i >= 0 ? i : -1;
  }

  public boolean contains(long cell) {
    return indexOf(cell) >= 0;
  }
}
