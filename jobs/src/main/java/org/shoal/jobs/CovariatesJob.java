package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.shoal.jobs.config.CovariatesConfig;
import org.shoal.pipeline.covariates.GriddedCovariates;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.tracks.TrackFiles;
import picocli.CommandLine.Command;

/**
 * {@code shoal covariates}: gridded environmental data to covariates per (H3 cell, day). Writes,
 * under shoal.covariates.output, {@code daily/} (cell, date, variables, their {@code _points};
 * partitioned by date), {@code static/} for time-less layers, and {@code report.json}.
 */
@Command(
    name = "covariates",
    mixinStandardHelpOptions = true,
    description =
        "Gridded ocean data (NetCDF-4, CSV or Parquet) to covariates per H3 cell and day (Parquet).")
final class CovariatesJob extends JobCommand<CovariatesConfig> {
  CovariatesJob() {
    super(CovariatesConfig::from);
  }

  static final String DAILY = "/daily";
  static final String STATIC = "/static";
  private static final Map<String, List<String>> TABLE_COLUMNS =
      Map.of(
          "latitude", List.of("latitude", "lat"),
          "longitude", List.of("longitude", "lon", "long"),
          "time", List.of("time", "date", "datetime"),
          "depth", List.of("depth", "depth_m"));

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    long start = System.nanoTime();
    GriddedCovariates.Params p = config.params();
    List<GriddedCovariates.Source> sources = new ArrayList<>();
    for (String input : config.inputs()) {
      progress.stage("reading " + input);
      GriddedCovariates.Source s = source(spark, input);
      sources.add(s);
      progress.finished(
          String.format(
              Locale.ROOT,
              "%s, %d file(s), %d grid points in the region, variables %s%s",
              s.kind(),
              s.files().size(),
              s.gridPoints(),
              s.columns(),
              s.daily() ? "" : " (static: no time axis)"));
    }

    progress.stage(
        "grid points to cells at resolution " + p.resolution() + ", means per cell and day");
    List<Dataset<Row>> cells = new ArrayList<>();
    List<Map<String, Object>> inputs = new ArrayList<>();
    long pointDays = 0;
    for (GriddedCovariates.Source s : sources) {
      Dataset<Row> c = GriddedCovariates.cells(s).persist(StorageLevel.MEMORY_AND_DISK());
      cells.add(c);
      GriddedCovariates.Counts counts = GriddedCovariates.counts(s, c);
      pointDays += counts.pointDays();
      inputs.add(inputReport(s, counts));
      if (s.note() != null) {
        progress.info(s.path() + ": " + s.note());
      }
      if (s.filledCells() > 0) {
        progress.info(
            String.format(
                Locale.ROOT,
                "%s: %d cells hold no grid point (finer than the grid) and take their nearest point's values",
                s.path(),
                s.filledCells()));
      }
      progress.info(
          String.format(
              Locale.ROOT,
              "%s: %d cell rows, %d left out without a valid value for every variable;"
                  + " point-days without a value (land, NaN): %s",
              s.path(),
              counts.rows(),
              counts.incomplete(),
              counts.invalidPointDays()));
    }
    List<String> missing = new ArrayList<>(p.variables().values());
    sources.forEach(
        s ->
            missing.removeIf(
                v -> s.columns().stream().anyMatch(c -> c.equals(v) || c.startsWith(v + "_"))));
    if (!missing.isEmpty()) {
      progress.info("variables in no input (left out): " + missing);
    }
    Dataset<Row> daily = GriddedCovariates.join(sources, cells, true);
    Dataset<Row> statics = GriddedCovariates.join(sources, cells, false);
    progress.finished("joined " + sources.size() + " input(s)");

    String out = config.output();
    progress.stage("writing " + out);
    Map<String, Object> written = new LinkedHashMap<>();
    if (daily != null) {
      daily
          .repartition(col(Cols.DATE))
          .write()
          .mode(SaveMode.Overwrite)
          .partitionBy(Cols.DATE)
          .parquet(out + DAILY);
      written.put("daily", summary(spark.read().parquet(out + DAILY), true));
    }
    if (statics != null) {
      Outputs.parquet(statics.coalesce(1), out + STATIC);
      written.put("static", summary(spark.read().parquet(out + STATIC), false));
    }
    cells.forEach(Dataset::unpersist);
    double seconds = (System.nanoTime() - start) / 1e9;
    progress.finished(written.keySet() + " written");

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("resolution", p.resolution());
    report.put("depthBins", p.bins().edges());
    report.put("featureBin", p.bins().featureBin() + 1);
    report.put("region", p.box().toString());
    report.put("startDate", p.start() == null ? null : p.start().toString());
    report.put("endDate", p.end() == null ? null : p.end().toString());
    report.put("weighting", p.cosLatitude() ? "cos-latitude" : "equal");
    report.put("inputs", inputs);
    report.put("variablesNotFound", missing);
    report.putAll(written);
    report.put("seconds", seconds);
    report.put("gridPointDaysPerSecond", pointDays / seconds);
    Outputs.json(spark, report, out + "/report.json");
    for (Map.Entry<String, Object> w : written.entrySet()) {
      progress.info(w.getKey() + ": " + w.getValue());
    }
    progress.info(
        String.format(
            Locale.ROOT,
            "%d grid point-days in %.1f s (%.0f per second)",
            pointDays,
            seconds,
            pointDays / seconds));
    progress.info("wrote " + out + "/report.json");
  }

  private GriddedCovariates.Source source(SparkSession spark, String input) {
    GriddedCovariates.Params p = config.params();
    CovariatesConfig.Kind kind = CovariatesConfig.Kind.of(input);
    if (kind == CovariatesConfig.Kind.NETCDF || isFolderOfNetcdf(spark, input)) {
      List<String> files =
          TrackFiles.list(spark.sparkContext().hadoopConfiguration(), input, "NetCDF files")
              .stream()
              .map(Object::toString)
              .filter(f -> CovariatesConfig.Kind.of(f) == CovariatesConfig.Kind.NETCDF)
              .toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no NetCDF files (*.nc, *.nc4, *.h5) found at " + input);
      }
      return GriddedCovariates.netcdf(spark, input, files, p);
    }
    boolean parquet = kind == CovariatesConfig.Kind.PARQUET;
    Dataset<Row> table = TrackFiles.table(spark, input, parquet, List.of());
    List<String> names = List.of(table.columns());
    Map<String, String> found = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : config.columns().entrySet()) {
      String role = c.getKey();
      String key = "shoal.covariates.columns." + role;
      if (!c.getValue().isEmpty()) {
        found.put(
            role,
            org.shoal.pipeline.util.Names.find(c.getValue(), names)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "the "
                                + role
                                + " column '"
                                + c.getValue()
                                + "' ("
                                + key
                                + ") is not in "
                                + input
                                + "; its columns are "
                                + names)));
        continue;
      }
      String match = null;
      for (String candidate : TABLE_COLUMNS.get(role)) {
        match = org.shoal.pipeline.util.Names.find(candidate, names).orElse(null);
        if (match != null) {
          break;
        }
      }
      if (match == null && (role.equals("latitude") || role.equals("longitude"))) {
        throw new IllegalArgumentException(
            input
                + " has no "
                + role
                + " column (looked for "
                + TABLE_COLUMNS.get(role)
                + "); set "
                + key
                + "; its columns are "
                + names);
      }
      found.put(role, match);
    }
    return GriddedCovariates.table(
        spark,
        input,
        table,
        new GriddedCovariates.TableColumns(
            found.get("latitude"), found.get("longitude"), found.get("time"), found.get("depth")),
        p);
  }

  /** A folder (or glob) of NetCDF files, such as a month of daily Copernicus downloads. */
  private static boolean isFolderOfNetcdf(SparkSession spark, String input) {
    try {
      return TrackFiles.list(spark.sparkContext().hadoopConfiguration(), input, "files").stream()
          .anyMatch(f -> CovariatesConfig.Kind.of(f.toString()) == CovariatesConfig.Kind.NETCDF);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("no covariate input found at " + input, e);
    }
  }

  private static Map<String, Object> inputReport(
      GriddedCovariates.Source s, GriddedCovariates.Counts counts) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", s.path());
    m.put("kind", s.kind());
    m.put("static", !s.daily());
    m.put("files", s.files().size());
    m.put("firstFiles", s.files().subList(0, Math.min(5, s.files().size())));
    m.put("gridPoints", s.gridPoints());
    m.put("columns", s.columns());
    m.put("cellsFilledFromNearestPoint", s.filledCells());
    m.put("note", s.note());
    m.put("cellRows", counts.rows());
    m.put("cellRowsWithoutEveryVariable", counts.incomplete());
    m.put("gridPointDays", counts.pointDays());
    m.put("gridPointDaysWithoutValue", counts.invalidPointDays());
    return m;
  }

  /** Rows, cells, days, cells per day and every variable's range, from what was written. */
  private static Map<String, Object> summary(Dataset<Row> t, boolean daily) {
    List<String> variables = new ArrayList<>();
    for (String c : t.columns()) {
      if (!c.equals(Cols.CELL) && !c.equals(Cols.DATE) && !c.endsWith(Cols.POINTS_SUFFIX)) {
        variables.add(c);
      }
    }
    List<Column> aggs = new ArrayList<>(List.of(countDistinct(Cols.CELL)));
    for (String v : variables) {
      aggs.add(min(v));
      aggs.add(expr("avg(`" + v + "`)"));
      aggs.add(max(v));
    }
    Row r =
        t.agg(count(org.apache.spark.sql.functions.lit(1)), aggs.toArray(Column[]::new)).first();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", r.getLong(0));
    m.put("cells", r.getLong(1));
    if (daily) {
      Row d =
          t.groupBy(Cols.DATE)
              .count()
              .agg(
                  count(org.apache.spark.sql.functions.lit(1)),
                  min("count"),
                  expr("percentile_approx(`count`, 0.5)"),
                  max("count"))
              .first();
      m.put("days", d.getLong(0));
      m.put(
          "cellsPerDay",
          d.isNullAt(1) ? List.of() : List.of(d.getLong(1), d.getLong(2), d.getLong(3)));
    }
    Map<String, Object> ranges = new LinkedHashMap<>();
    for (int i = 0; i < variables.size(); i++) {
      ranges.put(
          variables.get(i),
          r.isNullAt(2 + 3 * i)
              ? null
              : List.of(r.getDouble(2 + 3 * i), r.getDouble(3 + 3 * i), r.getDouble(4 + 3 * i)));
    }
    m.put("minMeanMax", ranges);
    return m;
  }
}
