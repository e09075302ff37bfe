import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.shoal.pipeline.covariates.DepthBins;
import org.shoal.pipeline.covariates.GridCells;
import org.shoal.pipeline.covariates.NetcdfGrid;
import org.shoal.pipeline.geo.LatLonBox;

/**
 * The covariates benchmark's reference: the same NetCDF files read and averaged per (cell, day) by a plain loop in
 * one thread, without Spark. Prints its time and the mean over complete cell-days of each variable, which must equal
 * the job's report.
 *
 *   java -cp shoal.jar bin/CovariatesReference.java DIR RESOLUTION VARIABLE...
 */
public class CovariatesReference {
  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    int resolution = Integer.parseInt(args[1]);
    List<String> variables = List.of(args).subList(2, args.length);
    DepthBins bins = new DepthBins(new double[] {0, 25}, 0);
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(args[0]))) {
      files = s.filter(p -> p.toString().endsWith(".nc")).sorted().toList();
    }
    GridCells cells = null;
    double[] total = new double[variables.size()];
    long complete = 0;
    long pointDays = 0;
    for (Path f : files) {
      try (NetcdfGrid nc = NetcdfGrid.open(f, f.toString())) {
        NetcdfGrid.Selection sel = nc.select(LatLonBox.WORLD);
        if (cells == null) {
          cells = GridCells.of(sel.grid(), resolution, true);
        }
        double[][] values = new double[variables.size()][];
        for (int v = 0; v < variables.size(); v++) {
          values[v] = nc.read(variables.get(v), 0, sel, bins)[0];
        }
        Map<Long, double[]> sums = new HashMap<>();
        for (int p = 0; p < sel.grid().size(); p++) {
          double[] acc = sums.computeIfAbsent(cells.cells()[p], k -> new double[2 * variables.size()]);
          for (int v = 0; v < variables.size(); v++) {
            if (!Double.isNaN(values[v][p])) {
              acc[2 * v] += values[v][p];
              acc[2 * v + 1]++;
            }
          }
          pointDays++;
        }
        for (double[] acc : sums.values()) {
          boolean ok = true;
          for (int v = 0; v < variables.size(); v++) {
            ok &= acc[2 * v + 1] > 0;
          }
          if (ok) {
            complete++;
            for (int v = 0; v < variables.size(); v++) {
              total[v] += acc[2 * v] / acc[2 * v + 1];
            }
          }
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    StringBuilder means = new StringBuilder();
    for (int v = 0; v < variables.size(); v++) {
      means.append(' ').append(variables.get(v)).append('=').append(total[v] / complete);
    }
    System.out.printf(java.util.Locale.ROOT, "reference %.3f s %d point-days %d cell-days%s%n", seconds, pointDays, complete, means);
  }
}
