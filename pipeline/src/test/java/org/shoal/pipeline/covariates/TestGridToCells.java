package org.shoal.pipeline.covariates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.uber.h3core.H3Core;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.geo.LatLonBox;

/**
 * Grid points to H3 cells, CF time axes, depth bins and boxes: plain Java, against independent
 * loops.
 */
class TestGridToCells {
  private static Grid regular(double lat0, double lon0, double step, int ny, int nx) {
    double[] lats = new double[ny];
    double[] lons = new double[nx];
    for (int y = 0; y < ny; y++) {
      lats[y] = lat0 + y * step;
    }
    for (int x = 0; x < nx; x++) {
      lons[x] = LatLonBox.wrap(lon0 + x * step);
    }
    return new Grid(lats, lons);
  }

  @Test
  void everyGridPointsCellEqualsH3sOwnLoop() throws Exception {
    H3Core h3 = H3Core.newInstance();
    // 1/12 degree across the antimeridian, at two resolutions
    Grid grid = regular(50, 179, 1.0 / 12, 24, 30);
    for (int res : new int[] {4, 6}) {
      long[] cells = GridCells.cells(grid, res);
      int p = 0;
      for (double lat : grid.lats()) {
        for (double lon : grid.lons()) {
          assertThat(cells[p++]).isEqualTo(h3.latLngToCell(lat, lon, res));
        }
      }
    }
  }

  @Test
  void cellsLargerThanTheGridSpacingNeedNoFill() {
    GridCells cells = GridCells.of(regular(50, -150, 1.0 / 12, 24, 24), 4, true);
    assertThat(cells.filled()).isZero();
    assertThat(cells.note()).isNull();
  }

  @Test
  void cellsSmallerThanTheGridSpacingTakeTheirNearestPoint() throws Exception {
    H3Core h3 = H3Core.newInstance();
    // a quarter-degree grid (like Copernicus biogeochemistry) at resolution 6 (~36 km2 cells)
    Grid grid = regular(50, -150, 0.25, 9, 9);
    GridCells cells = GridCells.of(grid, 6, true);
    assertThat(cells.filled()).isGreaterThan(100);
    Set<Long> own = new HashSet<>();
    for (long c : cells.cells()) {
      own.add(c);
    }
    Set<Long> covered = new HashSet<>(own);
    for (int i = 0; i < cells.filled(); i++) {
      long cell = cells.fillCells()[i];
      assertThat(own).doesNotContain(cell);
      covered.add(cell);
      // the brute-force nearest grid point (in degrees on this rectilinear grid)
      var c = h3.cellToLatLng(cell);
      int best = -1;
      double bestD = Double.MAX_VALUE;
      for (int p = 0; p < grid.size(); p++) {
        double d = Math.pow(grid.lat(p) - c.lat, 2) + Math.pow(grid.lon(p) - c.lng, 2);
        if (d < bestD - 1e-12) {
          bestD = d;
          best = p;
        }
      }
      assertThat(
              Math.pow(grid.lat(cells.fillPoints()[i]) - c.lat, 2)
                  + Math.pow(grid.lon(cells.fillPoints()[i]) - c.lng, 2))
          .isLessThanOrEqualTo(bestD + 1e-12);
      assertThat(best).isNotNegative();
    }
    // every spot well inside the grid lies in a cell that has a value
    Random random = new Random(1);
    for (int i = 0; i < 2000; i++) {
      double lat = 50.1 + random.nextDouble() * 1.8;
      double lon = -149.9 + random.nextDouble() * 1.8;
      assertThat(covered).contains(h3.latLngToCell(lat, lon, 6));
    }
  }

  @Test
  void nearestLongitudeIsFoundAroundTheCircle() {
    double[] lons = {-179.95, -179.8, 179.8, 179.9};
    assertThat(GridCells.nearest(lons, 179.99, true)).isEqualTo(0);
    assertThat(GridCells.nearest(lons, -179.99, true)).isEqualTo(0);
    assertThat(GridCells.nearest(lons, 179.86, true)).isEqualTo(3);
    assertThat(GridCells.lonRange(new double[] {170, 175, 179, -179, -175}))
        .containsExactly(170, -175);
  }

  @Test
  void cfTimeAxes() {
    assertThat(CfTime.parse("hours since 1950-01-01", "gregorian", "f").date(613608))
        .isEqualTo(LocalDate.of(2020, 1, 1));
    assertThat(CfTime.parse("hours since 1950-01-01", null, "f").date(613655.5))
        .isEqualTo(LocalDate.of(2020, 1, 2));
    assertThat(CfTime.parse("seconds since 1970-01-01 00:00:00", "standard", "f").date(1577880000))
        .isEqualTo(LocalDate.of(2020, 1, 1));
    assertThat(
            CfTime.parse("days since 2000-01-01T12:00:00Z", "proleptic_gregorian", "f").date(0.5))
        .isEqualTo(LocalDate.of(2000, 1, 2));
    assertThat(CfTime.parse("days since 2000-1-1 0:00:00 -6:00", null, "f").date(0))
        .isEqualTo(LocalDate.of(2000, 1, 1));
    assertThatThrownBy(() -> CfTime.parse("days since 2000-01-01", "noleap", "a.nc variable time"))
        .hasMessageContaining("a.nc variable time")
        .hasMessageContaining("noleap");
    assertThatThrownBy(
            () -> CfTime.parse("fortnights since 2000-01-01", null, "a.nc variable time"))
        .hasMessageContaining("fortnights");
    assertThatThrownBy(() -> CfTime.parse(null, null, "a.nc variable time"))
        .hasMessageContaining("a.nc variable time");
  }

  @Test
  void depthBinsAreRightClosedWithTheSurfaceInTheFirst() {
    DepthBins bins = new DepthBins(new double[] {0, 25, 50, 500}, 0);
    assertThat(bins.binOf(0)).isEqualTo(0);
    assertThat(bins.binOf(0.494)).isEqualTo(0);
    assertThat(bins.binOf(25)).isEqualTo(0);
    assertThat(bins.binOf(25.5)).isEqualTo(1);
    assertThat(bins.binOf(-30)).isEqualTo(1);
    assertThat(bins.binOf(600)).isEqualTo(-1);
    assertThat(bins.column("temperature", 0)).isEqualTo("temperature");
    assertThat(bins.column("temperature", 2)).isEqualTo("temperature_50_500m");
    assertThatThrownBy(() -> new DepthBins(new double[] {0, 25}, 1)).hasMessageContaining("1..1");
    assertThatThrownBy(() -> new DepthBins(new double[] {25, 0}, 0))
        .hasMessageContaining("increase");
  }

  @Test
  void boxesMayCrossTheAntimeridian() {
    LatLonBox pacific = new LatLonBox(30, 75, 130, -100);
    assertThat(pacific.contains(50, 179.9)).isTrue();
    assertThat(pacific.contains(50, -179.9)).isTrue();
    assertThat(pacific.contains(50, 180.1)).isTrue();
    assertThat(pacific.contains(50, -90)).isFalse();
    assertThat(pacific.contains(50, 0)).isFalse();
    assertThat(LatLonBox.wrap(210)).isEqualTo(-150);
    assertThat(LatLonBox.wrap(-180)).isEqualTo(-180);
  }
}
