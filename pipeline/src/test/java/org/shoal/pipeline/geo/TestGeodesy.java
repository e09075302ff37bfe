package org.shoal.pipeline.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TestGeodesy {
  private static final GeoPoint EQUATOR_0 = new GeoPoint(0, 0);

  @Test
  void oneDegreeAlongTheEquatorIsTheWgs84Value() {
    // a * pi / 180 with a = 6378.137 km
    assertThat(Geodesy.distanceKm(EQUATOR_0, new GeoPoint(0, 1)))
        .isCloseTo(111.319491, within(1e-6));
  }

  @Test
  void oneDegreeOfLatitudeFromTheEquatorIsShorter() {
    assertThat(Geodesy.distanceKm(EQUATOR_0, new GeoPoint(1, 0)))
        .isCloseTo(110.574389, within(1e-5));
  }

  @Test
  void bearingsAreClockwiseFromNorth() {
    assertThat(Geodesy.bearingDeg(EQUATOR_0, new GeoPoint(1, 0))).isCloseTo(0.0, within(1e-9));
    assertThat(Geodesy.bearingDeg(EQUATOR_0, new GeoPoint(0, 1))).isCloseTo(90.0, within(1e-9));
    assertThat(Geodesy.bearingDeg(EQUATOR_0, new GeoPoint(-1, 0))).isCloseTo(180.0, within(1e-9));
    assertThat(Geodesy.bearingDeg(EQUATOR_0, new GeoPoint(0, -1))).isCloseTo(270.0, within(1e-9));
  }

  @Test
  void greatCircleBearingDiffersFromThePlanarAngleAtHighLatitude() {
    // Due "east" along 60N is not a constant bearing: the great circle leaves at ~85.7 deg, not 90.
    double b = Geodesy.bearingDeg(new GeoPoint(60, -150), new GeoPoint(60, -140));
    assertThat(b).isCloseTo(85.67, within(0.05));
  }

  @Test
  void theAntimeridianIsAShortStep() {
    GeoPoint west = new GeoPoint(55, 179.5);
    GeoPoint east = new GeoPoint(55, -179.5);
    assertThat(Geodesy.distanceKm(west, east)).isCloseTo(64.0, within(0.5));
    assertThat(Geodesy.bearingDeg(west, east)).isBetween(89.0, 91.0);
    assertThat(Geodesy.bearingDeg(east, west)).isBetween(269.0, 271.0);
  }

  @Test
  void stayingPutHasZeroDistanceAndBearing() {
    GeoPoint p = new GeoPoint(52.5, -140.25);
    assertThat(Geodesy.distanceKm(p, p)).isZero();
    assertThat(Geodesy.bearingDeg(p, p)).isZero();
  }
}
