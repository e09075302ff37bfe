package org.shoal.jobs.config;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.shoal.pipeline.covariates.DepthBins;
import org.shoal.pipeline.covariates.GriddedCovariates;
import org.shoal.pipeline.geo.LatLonBox;
import org.shoal.pipeline.h3.H3Cells;

/** The validated configuration of {@code shoal covariates} (keys under shoal.covariates). */
public record CovariatesConfig(
    List<String> inputs,
    Map<String, String> columns,
    GriddedCovariates.Params params,
    String output)
    implements StageConfig {
  private static final String K = "shoal.covariates.";

  /** How an input is read, from its path. */
  public enum Kind {
    NETCDF,
    CSV,
    PARQUET;

    public static Kind of(String path) {
      String p = path.toLowerCase(Locale.ROOT);
      if (p.matches(".*\\.(nc|nc4|h5|hdf5|netcdf)$")) {
        return NETCDF;
      }
      return p.matches(".*\\.csv(\\.gz)?$") ? CSV : PARQUET;
    }
  }

  /** Whether `run` has a covariates stage (and expand reads its output). */
  public static boolean enabled(Settings s) {
    return !s.strings(K + "inputs").isEmpty();
  }

  public static CovariatesConfig from(Settings s) {
    List<String> inputs = s.strings(K + "inputs");
    if (inputs.isEmpty()) {
      throw s.invalid(
          K + "inputs",
          "name the gridded data to read (NetCDF-4 files, or CSV/Parquet long tables)");
    }
    // sorted by source name: HOCON objects have no order, output columns must
    Map<String, String> variables = new java.util.TreeMap<>(s.flatStrings(K + "variables"));
    if (variables.isEmpty()) {
      throw s.invalid(K + "variables", "name at least one variable (file name -> covariate name)");
    }
    List<Double> edges = s.config().getDoubleList(K + "depth-bins");
    DepthBins bins;
    try {
      bins =
          DepthBins.of(edges, s.integer(K + "feature-bin", 1, Math.max(1, edges.size() - 1)) - 1);
    } catch (IllegalArgumentException e) {
      throw s.invalid(K + "depth-bins", e.getMessage());
    }
    LatLonBox box;
    try {
      box =
          new LatLonBox(
              s.number(K + "region.min-lat"), s.number(K + "region.max-lat"),
              s.number(K + "region.min-lon"), s.number(K + "region.max-lon"));
    } catch (IllegalArgumentException e) {
      throw s.invalid(K + "region", e.getMessage());
    }
    LocalDate start = s.string(K + "start-date").isBlank() ? null : s.date(K + "start-date");
    LocalDate end = s.string(K + "end-date").isBlank() ? null : s.date(K + "end-date");
    if (start != null && end != null && end.isBefore(start)) {
      throw s.invalid(K + "end-date", "is before start-date " + start);
    }
    boolean cosLatitude =
        s.choice(
            K + "weighting",
            w ->
                switch (w) {
                  case "equal" -> false;
                  case "cos-latitude" -> true;
                  default -> throw new IllegalArgumentException("use equal or cos-latitude");
                });
    Map<String, String> columns = new java.util.LinkedHashMap<>();
    for (String c : List.of("latitude", "longitude", "time", "depth")) {
      columns.put(c, s.string(K + "columns." + c).trim());
    }
    return new CovariatesConfig(
        inputs,
        columns,
        new GriddedCovariates.Params(
            variables,
            bins,
            box,
            start,
            end,
            s.integer(K + "resolution", H3Cells.MIN_RESOLUTION, H3Cells.MAX_RESOLUTION),
            cosLatitude,
            s.bool(K + "nearest-point")),
        s.string(K + "output"));
  }
}
