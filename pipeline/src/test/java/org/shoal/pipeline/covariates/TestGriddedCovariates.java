package org.shoal.pipeline.covariates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.uber.h3core.H3Core;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.geo.LatLonBox;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;
import org.shoal.pipeline.testing.TrackFixtures;

/**
 * The NetCDF fixtures of src/test/resources/covariates (written by make_fixtures.py there): cell
 * means worked out by hand, against a plain loop over the same values, and the long-table path
 * against the NetCDF path.
 */
class TestGriddedCovariates {
  private static final SparkSession SPARK = SharedSpark.session();
  // The fixture's axes as the file stores them (float32).
  private static final double[] LATS = {50.0, (float) 50.05, 50.5};
  private static final double[] LONS = {-150.0, (float) -149.95, -149.0};
  private static final String A = "841ca47ffffffff"; // points (0,0) (0,1) (1,0) (1,1)
  private static final String B = "841ca51ffffffff"; // points (0,2) (1,2)
  private static final String D = "841d8b7ffffffff"; // point (2,2): land for thetao

  private static GriddedCovariates.Params params(int resolution, boolean cosLatitude) {
    return params(resolution, cosLatitude, true);
  }

  private static GriddedCovariates.Params params(
      int resolution, boolean cosLatitude, boolean nearestFill) {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("thetao", "temperature");
    variables.put("mlotst", "mixed_layer_thickness");
    return new GriddedCovariates.Params(
        variables,
        new DepthBins(new double[] {0, 25}, 0),
        LatLonBox.WORLD,
        null,
        null,
        resolution,
        cosLatitude,
        nearestFill);
  }

  private static String fixture(String name) {
    return TrackFixtures.resource("covariates", name);
  }

  private static Map<String, Row> byCellAndDate(Dataset<Row> cells) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : cells.collectAsList()) {
      out.put(r.getString(0) + " " + r.get(1), r);
    }
    return out;
  }

  private static Dataset<Row> netcdfCells(String file, GriddedCovariates.Params p) {
    GriddedCovariates.Source s = GriddedCovariates.netcdf(SPARK, file, List.of(fixture(file)), p);
    return GriddedCovariates.cells(s);
  }

  /** The fixture's values (make_fixtures.py): NaN where the file holds a fill value. */
  private static double thetao(int t, int z, int y, int x) {
    if ((y == 2 && x == 2) || (t == 1 && z == 0 && y == 0 && x == 0)) {
      return Double.NaN;
    }
    return 10 + 0.001 * (1000 * t + 100 * z + 10 * y + x);
  }

  private static double mlotst(int t, int y, int x) {
    return t == 2 && y == 1 && x == 1 ? Double.NaN : 9 * t + 3 * y + x;
  }

  @Test
  void cellMeansWorkedOutByHand() {
    Map<String, Row> got = byCellAndDate(netcdfCells("grid.nc", params(4, false)));
    // cell A, 2020-01-01: thetao of the 0.494 m level (30 m lies outside the 0-25 m bin) at 4
    // points
    Row a1 = got.get(A + " 2020-01-01");
    assertThat(a1.getLong(2)).isEqualTo(4);
    assertThat(a1.getDouble(3)).isCloseTo((10.000 + 10.001 + 10.010 + 10.011) / 4, within(1e-12));
    assertThat(a1.getDouble(4)).isCloseTo((0 + 1 + 3 + 4) / 4.0, within(1e-12));
    assertThat(a1.getLong(5)).isEqualTo(4);
    // 2020-01-02: point (0,0) is a fill value at the surface, so three points count
    Row a2 = got.get(A + " 2020-01-02");
    assertThat(a2.getDouble(3)).isCloseTo((11.001 + 11.010 + 11.011) / 3, within(1e-12));
    assertThat(a2.getLong(5)).isEqualTo(3);
    assertThat(a2.getDouble(4)).isCloseTo((9 + 10 + 12 + 13) / 4.0, within(1e-12));
    // 2020-01-03: the mixed layer of point (1,1) is missing
    Row a3 = got.get(A + " 2020-01-03");
    assertThat(a3.getDouble(4)).isCloseTo((18 + 19 + 21) / 3.0, within(1e-12));
    assertThat(a3.getLong(6)).isEqualTo(3);
    assertThat(got.get(B + " 2020-01-01").getDouble(3))
        .isCloseTo((10.002 + 10.012) / 2, within(1e-12));
    // cell D holds only the land point: no temperature, a mixed layer
    Row d1 = got.get(D + " 2020-01-01");
    assertThat(d1.isNullAt(3)).isTrue();
    assertThat(d1.getLong(5)).isZero();
    assertThat(d1.getDouble(4)).isEqualTo(8.0);
  }

  @Test
  void cellMeansEqualAPlainLoopOverThePoints() throws Exception {
    H3Core h3 = H3Core.newInstance();
    for (boolean cosLatitude : new boolean[] {false, true}) {
      // without the nearest-point fill (this coarse fixture's spacing exceeds resolution-4 cells)
      Map<String, Row> got = byCellAndDate(netcdfCells("grid.nc", params(4, cosLatitude, false)));
      Map<String, double[]> expected = new HashMap<>(); // points, sumT, wT, nT, sumM, wM, nM
      for (int t = 0; t < 3; t++) {
        for (int y = 0; y < 3; y++) {
          for (int x = 0; x < 3; x++) {
            String key =
                h3.latLngToCellAddress(LATS[y], LONS[x], 4) + " " + LocalDate.of(2020, 1, 1 + t);
            double[] e = expected.computeIfAbsent(key, k -> new double[7]);
            double w = cosLatitude ? Math.cos(Math.toRadians(LATS[y])) : 1;
            e[0]++;
            double temp = thetao(t, 0, y, x);
            if (!Double.isNaN(temp)) {
              e[1] += w * temp;
              e[2] += w;
              e[3]++;
            }
            double m = mlotst(t, y, x);
            if (!Double.isNaN(m)) {
              e[4] += w * m;
              e[5] += w;
              e[6]++;
            }
          }
        }
      }
      assertThat(got.keySet()).isEqualTo(expected.keySet());
      for (Map.Entry<String, double[]> e : expected.entrySet()) {
        Row r = got.get(e.getKey());
        double[] v = e.getValue();
        assertThat(r.getLong(2)).isEqualTo((long) v[0]);
        if (v[3] == 0) {
          assertThat(r.isNullAt(3)).isTrue();
        } else {
          assertThat(r.getDouble(3)).as(e.getKey()).isCloseTo(v[1] / v[2], within(1e-12));
        }
        assertThat(r.getDouble(4)).isCloseTo(v[4] / v[5], within(1e-12));
        assertThat(r.getLong(5)).isEqualTo((long) v[3]);
        assertThat(r.getLong(6)).isEqualTo((long) v[6]);
      }
    }
  }

  @Test
  void descendingLatitudesLongitudesIn0To360AndUnpackedFloatsGiveTheSameCells() {
    Map<String, Row> a = byCellAndDate(netcdfCells("grid.nc", params(4, false)));
    Map<String, Row> b = byCellAndDate(netcdfCells("grid-360.nc", params(4, false)));
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String k : a.keySet()) {
      for (int i = 2; i < 7; i++) {
        if (a.get(k).isNullAt(i)) {
          assertThat(b.get(k).isNullAt(i)).isTrue();
        } else {
          assertThat(((Number) b.get(k).get(i)).doubleValue())
              .isCloseTo(((Number) a.get(k).get(i)).doubleValue(), within(1e-5));
        }
      }
    }
  }

  @Test
  void cellsSmallerThanTheGridTakeTheNearestPoint() {
    Map<String, Row> got = byCellAndDate(netcdfCells("grid.nc", params(6, false)));
    // (50.2, -149.7) lies between grid points; its nearest is (1,1) = (50.05, -149.95)
    String cell =
        org.shoal.pipeline.h3.H3Cells.address(
            org.shoal.pipeline.h3.H3Cells.cellOf(50.2, -149.7, 6));
    Row r = got.get(cell + " 2020-01-01");
    assertThat(r).isNotNull();
    assertThat(r.getDouble(3)).isCloseTo(10.011, within(1e-12));
    assertThat(r.getDouble(4)).isEqualTo(4.0);
    // no grid point lies inside it: its counts say so
    assertThat(r.getLong(2)).isZero();
    assertThat(r.getLong(5)).isZero();
  }

  @Test
  void aLongTableGivesWhatTheNetcdfFileGives() {
    GriddedCovariates.Params p = params(4, true);
    StructType thetaoSchema =
        StructType.fromDDL(
            "`Latitude` DOUBLE, lon DOUBLE, time STRING, depth DOUBLE, thetao DOUBLE");
    StructType mlotstSchema =
        StructType.fromDDL("`Latitude` DOUBLE, lon DOUBLE, time STRING, mlotst DOUBLE");
    List<Row> thetaoRows = new ArrayList<>();
    List<Row> mlotstRows = new ArrayList<>();
    double[] depths = {0.494, 30.0};
    for (int t = 0; t < 3; t++) {
      String time = LocalDate.of(2020, 1, 1 + t) + "T00:00:00";
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 3; x++) {
          for (int z = 0; z < 2; z++) {
            thetaoRows.add(
                RowFactory.create(LATS[y], LONS[x] + 360, time, depths[z], thetao(t, z, y, x)));
          }
          mlotstRows.add(RowFactory.create(LATS[y], LONS[x], time, mlotst(t, y, x)));
        }
      }
    }
    GriddedCovariates.TableColumns withDepth =
        new GriddedCovariates.TableColumns("Latitude", "lon", "time", "depth");
    GriddedCovariates.TableColumns surface =
        new GriddedCovariates.TableColumns("Latitude", "lon", "time", null);
    List<GriddedCovariates.Source> tables =
        List.of(
            GriddedCovariates.table(
                SPARK, "thetao", SPARK.createDataFrame(thetaoRows, thetaoSchema), withDepth, p),
            GriddedCovariates.table(
                SPARK, "mlotst", SPARK.createDataFrame(mlotstRows, mlotstSchema), surface, p));
    Dataset<Row> fromTables =
        GriddedCovariates.join(
            tables, tables.stream().map(GriddedCovariates::cells).toList(), true);
    GriddedCovariates.Source nc =
        GriddedCovariates.netcdf(SPARK, "grid.nc", List.of(fixture("grid.nc")), p);
    Dataset<Row> fromNetcdf =
        GriddedCovariates.join(List.of(nc), List.of(GriddedCovariates.cells(nc)), true);

    assertThat(fromTables.columns()).containsExactly(fromNetcdf.columns());
    Map<String, Row> a = byCellAndDate(fromNetcdf);
    Map<String, Row> b = byCellAndDate(fromTables);
    // cells A, B, C on three days, and cells filled from a nearest point; D (land) has no
    // temperature
    assertThat(a)
        .containsKeys(A + " 2020-01-01", B + " 2020-01-03")
        .doesNotContainKey(D + " 2020-01-01");
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String k : a.keySet()) {
      assertThat(b.get(k).getDouble(2)).isCloseTo(a.get(k).getDouble(2), within(1e-12));
      assertThat(b.get(k).getDouble(3)).isCloseTo(a.get(k).getDouble(3), within(1e-12));
      assertThat(b.get(k).getLong(4)).isEqualTo(a.get(k).getLong(4));
      assertThat(b.get(k).getLong(5)).isEqualTo(a.get(k).getLong(5));
    }
  }

  @Test
  void aStaticLayerHasNoDate() {
    Map<String, String> v = Map.of("elevation", "elevation");
    GriddedCovariates.Params p =
        new GriddedCovariates.Params(
            v, new DepthBins(new double[] {0, 25}, 0), LatLonBox.WORLD, null, null, 4, false, true);
    GriddedCovariates.Source s =
        GriddedCovariates.netcdf(SPARK, "bathymetry.nc", List.of(fixture("bathymetry.nc")), p);
    assertThat(s.daily()).isFalse();
    Dataset<Row> cells =
        GriddedCovariates.join(List.of(s), List.of(GriddedCovariates.cells(s)), false);
    assertThat(cells.columns()).containsExactly(Cols.CELL, "elevation", "elevation_points");
    Map<String, Double> got = new HashMap<>();
    cells.collectAsList().forEach(r -> got.put(r.getString(0), r.getDouble(1)));
    assertThat(got)
        .containsEntry(A, (-100 - 101 - 200 - 201) / 4.0)
        .containsEntry(B, -152.0)
        .containsEntry(D, -302.0);
  }

  @Test
  void theBoxAndDatesAreReadAlone() {
    GriddedCovariates.Params all = params(4, false);
    GriddedCovariates.Params p =
        new GriddedCovariates.Params(
            all.variables(),
            all.bins(),
            new LatLonBox(49, 51, -150.5, -149.5),
            null,
            LocalDate.of(2020, 1, 2),
            4,
            false,
            true);
    GriddedCovariates.Source s =
        GriddedCovariates.netcdf(SPARK, "grid.nc", List.of(fixture("grid.nc")), p);
    assertThat(s.gridPoints()).isEqualTo(6);
    Map<String, Row> got = byCellAndDate(GriddedCovariates.cells(s));
    assertThat(got.keySet()).allMatch(k -> !k.startsWith(B) && !k.endsWith("2020-01-03"));
    assertThat(got).containsKey(A + " 2020-01-02");
    assertThat(got.get(A + " " + Date.valueOf("2020-01-01")).getLong(2)).isEqualTo(4);
  }

  @Test
  void mistakesNameTheFileAndSetting() {
    Map<String, String> v = Map.of("chl", "chlorophyll");
    GriddedCovariates.Params p =
        new GriddedCovariates.Params(
            v, new DepthBins(new double[] {0, 25}, 0), LatLonBox.WORLD, null, null, 4, false, true);
    assertThatThrownBy(
            () -> GriddedCovariates.netcdf(SPARK, "grid.nc", List.of(fixture("grid.nc")), p))
        .hasMessageContaining("grid.nc")
        .hasMessageContaining("[chl]")
        .hasMessageContaining("covariates.variables");
    GriddedCovariates.Params outside =
        new GriddedCovariates.Params(
            params(4, false).variables(),
            p.bins(),
            new LatLonBox(0, 10, 0, 10),
            null,
            null,
            4,
            false,
            true);
    assertThatThrownBy(
            () -> GriddedCovariates.netcdf(SPARK, "grid.nc", List.of(fixture("grid.nc")), outside))
        .hasMessageContaining("no grid point")
        .hasMessageContaining("covariates.region");
    assertThatThrownBy(
            () -> GriddedCovariates.netcdf(SPARK, "x", List.of(fixture("make_fixtures.py")), p))
        .hasMessageContaining("make_fixtures.py")
        .hasMessageContaining("not a NetCDF-4");
  }
}
