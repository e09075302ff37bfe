package org.shoal.pipeline.h3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.geo.GeoPoint;
import org.shoal.pipeline.geo.Geodesy;

class TestChoiceSets {
  private static final long GULF_OF_ALASKA = H3Cells.cellOf(57.0, -136.0, 4);

  /** Independent reference: brute force over a generous disk. */
  private static TreeSet<Long> bruteForce(long origin, double km, int k) {
    GeoPoint o = H3Cells.centroid(origin);
    TreeSet<Long> out = new TreeSet<>();
    for (long c : H3Cells.disk(origin, k)) {
      if (Geodesy.distanceKm(o, H3Cells.centroid(c)) <= km) {
        out.add(c);
      }
    }
    return out;
  }

  private static TreeSet<Long> cells(ChoiceSet set) {
    TreeSet<Long> out = new TreeSet<>();
    for (long c : set.cells()) {
      out.add(c);
    }
    return out;
  }

  @Test
  void matchesABruteForceSearchAndIncludesTheOrigin() {
    ChoiceSet set = new ChoiceSets(100).of(GULF_OF_ALASKA);
    assertThat(set.contains(GULF_OF_ALASKA)).isTrue();
    assertThat(cells(set)).isEqualTo(bruteForce(GULF_OF_ALASKA, 100, 8));
    // research/feasibility.md measured 20 cells within 100 km of this origin
    assertThat(set.size()).isEqualTo(20);
  }

  @Test
  void everyChoiceIsWithinTheRadiusWithItsDistanceAndBearing() {
    ChoiceSet set = new ChoiceSets(100).of(GULF_OF_ALASKA);
    GeoPoint o = H3Cells.centroid(GULF_OF_ALASKA);
    for (int i = 0; i < set.size(); i++) {
      GeoPoint c = H3Cells.centroid(set.cells()[i]);
      assertThat(set.distanceKm()[i]).isEqualTo(Geodesy.distanceKm(o, c)).isLessThanOrEqualTo(100);
      assertThat(set.bearingDeg()[i]).isEqualTo(Geodesy.bearingDeg(o, c));
    }
    assertThat(set.cells()).isSorted();
  }

  @Test
  void radiusZeroIsStayingPutOnly() {
    ChoiceSet set = new ChoiceSets(0).of(GULF_OF_ALASKA);
    assertThat(set.cells()).containsExactly(GULF_OF_ALASKA);
    assertThat(set.distanceKm()).containsExactly(0.0);
  }

  @Test
  void pentagonsHaveFiveNeighbours() {
    long pentagon = H3Cells.core().getPentagons(4).iterator().next();
    assertThat(H3Cells.isPentagon(pentagon)).isTrue();
    assertThat(H3Cells.disk(pentagon, 1)).hasSize(6); // itself + 5 neighbours
    GeoPoint o = H3Cells.centroid(pentagon);
    double ring1 = 0;
    for (long c : H3Cells.disk(pentagon, 1)) {
      ring1 = Math.max(ring1, Geodesy.distanceKm(o, H3Cells.centroid(c)));
    }
    ChoiceSet near = new ChoiceSets(ring1).of(pentagon);
    assertThat(cells(near)).containsAll(H3Cells.disk(pentagon, 1));
    assertThat(cells(near)).isEqualTo(bruteForce(pentagon, ring1, 6));
    ChoiceSet wide = new ChoiceSets(250).of(pentagon);
    assertThat(cells(wide)).isEqualTo(bruteForce(pentagon, 250, 12));
  }

  @Test
  void choiceSetsSpanTheAntimeridian() {
    long origin = H3Cells.cellOf(52.0, 179.9, 4);
    ChoiceSet set = new ChoiceSets(100).of(origin);
    assertThat(cells(set)).isEqualTo(bruteForce(origin, 100, 8));
    boolean east = false;
    boolean west = false;
    for (long c : set.cells()) {
      double lon = H3Cells.centroid(c).lon();
      east |= lon < 0;
      west |= lon > 0;
    }
    assertThat(east && west).as("cells on both sides of 180").isTrue();
    assertThat(java.util.Arrays.stream(set.distanceKm()).max().getAsDouble())
        .isLessThanOrEqualTo(100);
  }

  @Test
  void restrictKeepsTheOriginAndAlignedGeometry() {
    ChoiceSet set = new ChoiceSets(100).of(GULF_OF_ALASKA);
    ChoiceSet none = ChoiceSets.restrict(set, c -> false);
    assertThat(none.cells()).containsExactly(GULF_OF_ALASKA);
    ChoiceSet far = ChoiceSets.restrict(set, c -> set.distanceKm()[set.indexOf(c)] > 50);
    for (int i = 0; i < far.size(); i++) {
      int j = set.indexOf(far.cells()[i]);
      assertThat(far.distanceKm()[i]).isEqualTo(set.distanceKm()[j]);
      assertThat(far.bearingDeg()[i]).isEqualTo(set.bearingDeg()[j]);
    }
  }

  @Test
  void rejectsANegativeRadius() {
    assertThatThrownBy(() -> new ChoiceSets(-1)).hasMessageContaining("radius");
  }

  @Test
  void parseNamesTheBadAddress() {
    assertThat(H3Cells.parse(H3Cells.address(GULF_OF_ALASKA))).isEqualTo(GULF_OF_ALASKA);
    assertThatThrownBy(() -> H3Cells.parse("not-a-cell")).hasMessageContaining("'not-a-cell'");
  }
}
