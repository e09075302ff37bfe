package org.shoal.pipeline.simulate;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.shoal.pipeline.geo.GeoPoint;
import org.shoal.pipeline.geo.Region;
import org.shoal.pipeline.h3.ChoiceSet;
import org.shoal.pipeline.h3.ChoiceSets;
import org.shoal.pipeline.h3.H3Cells;

/**
 * The cells of the synthetic world: every H3 cell whose centroid lies in the region, split into
 * ocean and land by a fixed coastline along the eastern edge and one island. Fish can only choose
 * ocean cells; cells outside the region count as "no data", like land. Cheap to build, so each
 * Spark task builds its own from the {@link Spec}.
 */
public final class SyntheticWorld {
  /** What defines a world: region, H3 resolution and choice radius. */
  public record Spec(Region region, int resolution, double radiusKm) implements Serializable {
    public Spec {
      ChoiceSets.check(resolution, radiusKm);
    }
  }

  private final Spec spec;
  private final long[] regionCells;
  private final long[] oceanCells;
  private final Map<Long, GeoPoint> centroids = new HashMap<>();
  private final Map<Long, ChoiceSet> oceanChoices = new HashMap<>();
  private final ChoiceSets choiceSets;

  public SyntheticWorld(Spec spec) {
    this.spec = spec;
    Region r = spec.region();
    this.regionCells =
        H3Cells.cellsInBox(r.minLat(), r.maxLat(), r.minLon(), r.maxLon(), spec.resolution());
    for (long c : regionCells) {
      centroids.put(c, H3Cells.centroid(c));
    }
    this.oceanCells = Arrays.stream(regionCells).filter(c -> !isLand(c)).toArray();
    if (oceanCells.length == 0) {
      throw new IllegalArgumentException(
          "the region " + r + " has no ocean cell at resolution " + spec.resolution());
    }
    this.choiceSets = new ChoiceSets(spec.radiusKm());
  }

  public Spec spec() {
    return spec;
  }

  /** All cells of the region (ocean and land), sorted. */
  public long[] regionCells() {
    return regionCells.clone();
  }

  /** The ocean cells, sorted. */
  public long[] oceanCells() {
    return oceanCells.clone();
  }

  public boolean inRegion(long cell) {
    return Arrays.binarySearch(regionCells, cell) >= 0;
  }

  public boolean isOcean(long cell) {
    return Arrays.binarySearch(oceanCells, cell) >= 0;
  }

  /** The land mask: a wavy coastline over the eastern ~15 % of the box, plus an island. */
  public boolean isLand(long cell) {
    GeoPoint p = centroid(cell);
    double u = spec.region().u(p.lon());
    double v = spec.region().v(p.lat());
    boolean mainland = u > 0.85 + 0.06 * Math.sin(3 * Math.PI * v);
    double du = u - 0.35;
    double dv = v - 0.6;
    boolean island = du * du + dv * dv < 0.05 * 0.05;
    return mainland || island;
  }

  public GeoPoint centroid(long cell) {
    GeoPoint p = centroids.get(cell);
    return p != null ? p : H3Cells.centroid(cell);
  }

  /**
   * The choice set of an ocean origin: cells within the radius that are ocean cells of the region.
   */
  public ChoiceSet choices(long origin) {
    return oceanChoices.computeIfAbsent(
        origin, o -> ChoiceSets.restrict(choiceSets.of(o), this::isOcean));
  }
}
