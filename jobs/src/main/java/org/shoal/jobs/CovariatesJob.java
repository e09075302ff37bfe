package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
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
@Command(name = "covariates", description = "Gridded ocean data to covariates per cell and day.")
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
      sources.add(source(spark, input));
      progress.finished(sources.get(sources.size() - 1).description());
    }

    progress.stage(
        "grid points to cells at resolution " + p.resolution() + ", means per cell and day");
    List<Dataset<Row>> cells = new ArrayList<>();
    List<InputReport> inputs = new ArrayList<>();
    for (GriddedCovariates.Source s : sources) {
      Dataset<Row> c = GriddedCovariates.cells(s).persist(StorageLevel.MEMORY_AND_DISK());
      cells.add(c);
      inputs.add(InputReport.of(s, GriddedCovariates.counts(s, c)));
      inputs.get(inputs.size() - 1).notes().forEach(progress::info);
    }
    List<String> missing = variablesNotFound(sources, p);
    if (!missing.isEmpty()) {
      progress.info("variables in no input (left out): " + missing);
    }
    Dataset<Row> daily = GriddedCovariates.join(sources, cells, true);
    Dataset<Row> statics = GriddedCovariates.join(sources, cells, false);
    progress.finished("joined " + sources.size() + " input(s)");

    String out = config.output();
    progress.stage("writing " + out);
    TableSummary dailySummary = daily == null ? null : writeDaily(spark, daily, out + DAILY);
    TableSummary staticSummary = statics == null ? null : writeStatic(spark, statics, out + STATIC);
    cells.forEach(Dataset::unpersist);
    double seconds = (System.nanoTime() - start) / 1e9;
    progress.finished("written");

    Report report = Report.of(p, inputs, missing, dailySummary, staticSummary, seconds);
    Outputs.json(spark, report, out + "/report.json");
    report.lines().forEach(progress::info);
    progress.info("wrote " + out + "/report.json");
  }

  /** Covariate variables that no input has (neither as a column nor as depth-binned columns). */
  private static List<String> variablesNotFound(
      List<GriddedCovariates.Source> sources, GriddedCovariates.Params p) {
    List<String> missing = new ArrayList<>(p.variables().values());
    sources.forEach(
        s ->
            missing.removeIf(
                v -> s.columns().stream().anyMatch(c -> c.equals(v) || c.startsWith(v + "_"))));
    return missing;
  }

  private static TableSummary writeDaily(SparkSession spark, Dataset<Row> daily, String path) {
    daily
        .repartition(col(Cols.DATE))
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(Cols.DATE)
        .parquet(path);
    return TableSummary.of(spark.read().parquet(path), true);
  }

  private static TableSummary writeStatic(SparkSession spark, Dataset<Row> statics, String path) {
    Outputs.parquet(statics.coalesce(1), path);
    return TableSummary.of(spark.read().parquet(path), false);
  }

  /**
   * report.json: the gridding settings, what each input held and gave, the variables not found, the
   * written tables' summaries and the throughput.
   */
  @JsonPropertyOrder({
    "resolution",
    "depthBins",
    "featureBin",
    "region",
    "startDate",
    "endDate",
    "weighting",
    "inputs",
    "variablesNotFound",
    "daily",
    "static",
    "seconds",
    "gridPointDaysPerSecond"
  })
  record Report(
      int resolution,
      double[] depthBins,
      int featureBin,
      String region,
      String startDate,
      String endDate,
      String weighting,
      List<InputReport> inputs,
      List<String> variablesNotFound,
      @JsonInclude(JsonInclude.Include.NON_NULL) TableSummary daily,
      @JsonProperty("static") @JsonInclude(JsonInclude.Include.NON_NULL) TableSummary statics,
      double seconds,
      double gridPointDaysPerSecond) {
    static Report of(
        GriddedCovariates.Params p,
        List<InputReport> inputs,
        List<String> missing,
        TableSummary daily,
        TableSummary statics,
        double seconds) {
      long pointDays = inputs.stream().mapToLong(InputReport::gridPointDays).sum();
      return new Report(
          p.resolution(),
          p.bins().edges(),
          p.bins().featureBin() + 1,
          p.box().toString(),
          p.start() == null ? null : p.start().toString(),
          p.end() == null ? null : p.end().toString(),
          p.cosLatitude() ? "cos-latitude" : "equal",
          inputs,
          missing,
          daily,
          statics,
          seconds,
          pointDays / seconds);
    }

    List<String> lines() {
      List<String> lines = new ArrayList<>();
      if (daily != null) {
        lines.add("daily: " + daily);
      }
      if (statics != null) {
        lines.add("static: " + statics);
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "%.0f grid point-days in %.1f s (%.0f per second)",
              gridPointDaysPerSecond * seconds,
              seconds,
              gridPointDaysPerSecond));
      return lines;
    }
  }

  /** One input: what it held and what gridding it to cells gave. */
  @JsonPropertyOrder({
    "path",
    "kind",
    "static",
    "files",
    "firstFiles",
    "gridPoints",
    "columns",
    "cellsFilledFromNearestPoint",
    "note",
    "cellRows",
    "cellRowsWithoutEveryVariable",
    "gridPointDays",
    "gridPointDaysWithoutValue"
  })
  record InputReport(
      String path,
      String kind,
      @JsonProperty("static") boolean isStatic,
      int files,
      List<String> firstFiles,
      long gridPoints,
      List<String> columns,
      long cellsFilledFromNearestPoint,
      String note,
      long cellRows,
      long cellRowsWithoutEveryVariable,
      long gridPointDays,
      Map<String, Long> gridPointDaysWithoutValue) {
    static InputReport of(GriddedCovariates.Source s, GriddedCovariates.Counts counts) {
      return new InputReport(
          s.path(),
          s.kind(),
          !s.daily(),
          s.files().size(),
          s.files().subList(0, Math.min(5, s.files().size())),
          s.gridPoints(),
          s.columns(),
          s.filledCells(),
          s.note(),
          counts.rows(),
          counts.incomplete(),
          counts.pointDays(),
          counts.invalidPointDays());
    }

    /** What the console says about this input. */
    List<String> notes() {
      List<String> lines = new ArrayList<>();
      if (note != null) {
        lines.add(path + ": " + note);
      }
      if (cellsFilledFromNearestPoint > 0) {
        lines.add(
            String.format(
                Locale.ROOT,
                "%s: %d cells hold no grid point (finer than the grid) and take their nearest point's"
                    + " values",
                path,
                cellsFilledFromNearestPoint));
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "%s: %d cell rows, %d left out without a valid value for every variable;"
                  + " point-days without a value (land, NaN): %s",
              path,
              cellRows,
              cellRowsWithoutEveryVariable,
              gridPointDaysWithoutValue));
      return lines;
    }
  }

  /**
   * A written table: rows, cells, (daily) days and cells per day (min, median, max), every
   * variable's range.
   */
  record TableSummary(
      long rows,
      long cells,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long days,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Long> cellsPerDay,
      Map<String, List<Double>> minMeanMax) {
    static TableSummary of(Dataset<Row> t, boolean daily) {
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
      Row r = t.agg(count(lit(1)), aggs.toArray(Column[]::new)).first();
      Long days = null;
      List<Long> cellsPerDay = null;
      if (daily) {
        Row d =
            t.groupBy(Cols.DATE)
                .count()
                .agg(
                    count(lit(1)),
                    min("count"),
                    expr("percentile_approx(`count`, 0.5)"),
                    max("count"))
                .first();
        days = d.getLong(0);
        cellsPerDay = d.isNullAt(1) ? List.of() : List.of(d.getLong(1), d.getLong(2), d.getLong(3));
      }
      Map<String, List<Double>> ranges = new LinkedHashMap<>();
      for (int i = 0; i < variables.size(); i++) {
        ranges.put(
            variables.get(i),
            r.isNullAt(2 + 3 * i)
                ? null
                : List.of(r.getDouble(2 + 3 * i), r.getDouble(3 + 3 * i), r.getDouble(4 + 3 * i)));
      }
      return new TableSummary(r.getLong(0), r.getLong(1), days, cellsPerDay, ranges);
    }
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
}
