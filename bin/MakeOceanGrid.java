import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a synthetic daily ocean-model output for the covariates benchmark: one HDF5/NetCDF-4-style file per day on
 * a 1/12 degree grid over the North Pacific (30-65 N, 140 E-120 W: 421 x 1201 points, about 80 % ocean), with the
 * research's four Copernicus variables: thetao, so, nppv at two depth levels (0.494 m, 10 m) and mlotst at the
 * surface, in CF order (time, depth, latitude, longitude), NaN on land.
 *
 *   java -cp shoal.jar bin/MakeOceanGrid.java OUTPUT_DIR DAYS
 */
public class MakeOceanGrid {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int days = Integer.parseInt(args[1]);
    Files.createDirectories(dir);
    int ny = 421;
    int nx = 1201;
    double[] lats = new double[ny];
    double[] lons = new double[nx];
    for (int y = 0; y < ny; y++) {
      lats[y] = 30 + y / 12.0;
    }
    for (int x = 0; x < nx; x++) {
      lons[x] = 140 + x / 12.0; // 0..360 convention, so the axis stays increasing across the antimeridian
    }
    long ocean = 0;
    for (int day = 0; day < days; day++) {
      float[][][][] thetao = new float[1][2][ny][nx];
      float[][][][] so = new float[1][2][ny][nx];
      float[][][][] nppv = new float[1][2][ny][nx];
      float[][][] mlotst = new float[1][ny][nx];
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          double lat = lats[y];
          double lon = lons[x];
          // land: North America east of a slanted coast, and a strip of Asia in the far west
          boolean land = lon > 232 - 0.6 * (lat - 30) || (lon < 143 && lat > 42);
          for (int z = 0; z < 2; z++) {
            float nan = Float.NaN;
            thetao[0][z][y][x] = land ? nan : (float) (20 - 0.5 * (lat - 30) + 0.05 * day - z * 0.3 + Math.sin(lon / 7.0));
            so[0][z][y][x] = land ? nan : (float) (32.5 + 0.01 * (lon - 180) + 0.02 * z);
            nppv[0][z][y][x] = land ? nan : (float) (5 + 3 * Math.cos(lat / 5.0) * Math.sin(lon / 11.0 + day / 30.0) + 4 - z);
          }
          mlotst[0][y][x] = land ? Float.NaN : (float) (20 + 10 * Math.cos(lat / 9.0 + day / 40.0));
          if (day == 0 && !land) {
            ocean++;
          }
        }
      }
      Path file = dir.resolve(String.format(java.util.Locale.ROOT, "pacific-%02d.nc", day));
      try (WritableHdfFile f = HdfFile.write(file)) {
        WritableDataset t = f.putDataset("time", new double[] {613608.0 + 24 * day});
        t.putAttribute("units", "hours since 1950-01-01");
        f.putDataset("depth", new float[] {0.494f, 10.0f});
        f.putDataset("latitude", lats);
        f.putDataset("longitude", lons);
        f.putDataset("thetao", thetao);
        f.putDataset("so", so);
        f.putDataset("nppv", nppv);
        f.putDataset("mlotst", mlotst);
      }
    }
    System.out.printf(java.util.Locale.ROOT, "%d files of %d x %d points (%d ocean) in %s%n", days, ny, nx, ocean, dir);
  }
}
