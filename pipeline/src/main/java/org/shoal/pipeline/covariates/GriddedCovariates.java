package org.shoal.pipeline.covariates;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.radians;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.shoal.pipeline.geo.LatLonBox;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.util.JoinKeys;

/**
 * Gridded environmental data to covariates per (H3 cell, day), as the research prepared Copernicus
 * Marine output: only the box, dates and depth bins asked for are read; each grid point is mapped
 * to its cell once per grid; levels in a depth bin are averaged per point; per (cell, day) the mean
 * of the valid points (optionally weighted by cos(latitude)) and their number. Land and NaN points
 * count in the report, never in a mean.
 *
 * <p>Each input is first reduced to <em>partial sums</em> per (cell, date): {@code points} and, per
 * output column {@code c}, {@code c__sum}, {@code c__weight}, {@code c__n}; {@link #cells} turns
 * them into means.
 */
public final class GriddedCovariates {
  private static final String SUM = "__sum";
  private static final String WEIGHT = "__weight";
  private static final String N = "__n";

  /** Whether a lookup row's point lies in its cell (false: a cell's nearest point, lent to it). */
  private static final String INSIDE = "_inside";

  private GriddedCovariates() {}

  /**
   * @param variables source name -> output name, in output order
   * @param start first date kept, or null; {@code end} last date kept, or null
   * @param cosLatitude weight each point by cos(latitude) (area), instead of equally (the research)
   * @param nearestFill cells holding no grid point take their nearest point's value
   */
  public record Params(
      Map<String, String> variables,
      DepthBins bins,
      LatLonBox box,
      LocalDate start,
      LocalDate end,
      int resolution,
      boolean cosLatitude,
      boolean nearestFill)
      implements Serializable {
    public Params {
      variables = new LinkedHashMap<>(variables);
      if (variables.isEmpty()) {
        throw new IllegalArgumentException("name at least one variable to read");
      }
    }

    boolean keeps(LocalDate d) {
      return (start == null || !d.isBefore(start)) && (end == null || !d.isAfter(end));
    }
  }

  /**
   * One input reduced to partial sums.
   *
   * @param daily whether it has a time axis (static layers, such as bathymetry, join by cell only)
   * @param columns output columns, in order
   * @param files the files read
   * @param gridPoints grid points inside the box
   * @param filledCells cells fed by their nearest grid point
   * @param note what the reader wants the user to know (e.g. why no cell was filled), or null
   */
  public record Source(
      String path,
      String kind,
      boolean daily,
      List<String> columns,
      List<String> files,
      long gridPoints,
      int filledCells,
      String note,
      Dataset<Row> partials) {
    /** The source in one line: kind, files, grid points in the region, variables. */
    public String description() {
      return String.format(
          Locale.ROOT,
          "%s, %d file(s), %d grid points in the region, variables %s%s",
          kind,
          files.size(),
          gridPoints,
          columns,
          daily ? "" : " (static: no time axis)");
    }
  }

  // ----------------------------------------------------------------------------------------------
  // NetCDF

  /**
   * A NetCDF-4 input: one Spark task per (file, time step) inside the dates; all files must share
   * one grid.
   */
  public static Source netcdf(SparkSession spark, String path, List<String> files, Params p) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<Task> tasks = new ArrayList<>();
    Grid grid = null;
    Map<String, String> found = null;
    List<String> columns = new ArrayList<>();
    Boolean daily = null;
    String firstFile = null;
    for (int f = 0; f < files.size(); f++) {
      String file = files.get(f);
      try (NetcdfGrid nc = NetcdfGrid.open(local(file, conf), file)) {
        NetcdfGrid.Selection sel = nc.select(p.box());
        Map<String, String> vars = nc.find(List.copyOf(p.variables().keySet()));
        if (grid == null) {
          if (vars.isEmpty()) {
            throw new IllegalArgumentException(
                file
                    + " has none of the variables "
                    + p.variables().keySet()
                    + " (covariates.variables)");
          }
          grid = sel.grid();
          found = vars;
          daily = nc.hasTime();
          firstFile = file;
          for (Map.Entry<String, String> v : vars.entrySet()) {
            String out = p.variables().get(v.getKey());
            if (nc.hasDepth(v.getValue())) {
              for (int b = 0; b < p.bins().count(); b++) {
                columns.add(p.bins().column(out, b));
              }
            } else {
              columns.add(out);
            }
          }
        } else if (!grid.sameAs(sel.grid())
            || !vars.keySet().equals(found.keySet())
            || daily != nc.hasTime()) {
          throw new IllegalArgumentException(
              "the files of one input must share their grid, variables and time axis: "
                  + file
                  + " ("
                  + sel.grid()
                  + ", "
                  + vars.keySet()
                  + ") differs from "
                  + firstFile
                  + " ("
                  + grid
                  + ", "
                  + found.keySet()
                  + "); give them as separate inputs");
        }
        LocalDate[] dates = nc.dates();
        if (!nc.hasTime()) {
          tasks.add(new Task(f, -1, null));
        }
        for (int t = 0; t < dates.length; t++) {
          if (p.keeps(dates[t])) {
            tasks.add(new Task(f, t, dates[t]));
          }
        }
      }
    }
    if (grid.size() == 0) {
      throw new IllegalArgumentException(
          "no grid point of "
              + firstFile
              + " lies inside the box "
              + p.box()
              + " (covariates.region)");
    }
    GridCells cells = GridCells.of(grid, p.resolution(), p.nearestFill());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<GridCells> lookup = jsc.broadcast(cells);
    StructType schema = partialSchema(daily, columns);
    NetcdfTask fn = new NetcdfTask(files, found, p, columns, lookup, daily);
    // One task per time step (a file's steps spread evenly): each reads its slice and sums it per
    // cell.
    Dataset<Row> partials =
        spark.createDataFrame(
            jsc.parallelize(tasks, Math.max(1, tasks.size())).mapPartitions(fn), schema);
    return new Source(
        path, "netcdf", daily, columns, files, grid.size(), cells.filled(), cells.note(), partials);
  }

  /** One time step of one file ({@code time = -1}: a static file). */
  record Task(int file, int time, LocalDate date) implements Serializable {}

  private static final class NetcdfTask implements FlatMapFunction<Iterator<Task>, Row> {
    private final List<String> files;
    private final Map<String, String> variables;
    private final Params params;
    private final List<String> columns;
    private final Broadcast<GridCells> lookup;
    private final boolean daily;

    NetcdfTask(
        List<String> files,
        Map<String, String> variables,
        Params params,
        List<String> columns,
        Broadcast<GridCells> lookup,
        boolean daily) {
      this.files = List.copyOf(files);
      this.variables = new LinkedHashMap<>(variables);
      this.params = params;
      this.columns = List.copyOf(columns);
      this.lookup = lookup;
      this.daily = daily;
    }

    @Override
    public Iterator<Row> call(Iterator<Task> tasks) throws Exception {
      List<Row> out = new ArrayList<>();
      Configuration conf = new Configuration();
      GridCells cells = lookup.value();
      while (tasks.hasNext()) {
        Task task = tasks.next();
        String file = files.get(task.file());
        try (NetcdfGrid nc = NetcdfGrid.open(local(file, conf), file)) {
          NetcdfGrid.Selection sel = nc.select(params.box());
          double[][] values = new double[columns.size()][];
          int c = 0;
          for (String fileName : variables.values()) {
            for (double[] bin : nc.read(fileName, task.time(), sel, params.bins())) {
              values[c++] = bin;
            }
          }
          double[] weights = new double[sel.grid().size()];
          for (int point = 0; point < weights.length; point++) {
            weights[point] =
                params.cosLatitude() ? Math.cos(Math.toRadians(sel.grid().lat(point))) : 1;
          }
          Map<Long, double[]> sums = new HashMap<>();
          for (int point = 0; point < weights.length; point++) {
            add(sums, cells.cells()[point], point, values, weights[point], true);
          }
          for (int i = 0; i < cells.fillCells().length; i++) {
            int point = cells.fillPoints()[i];
            add(sums, cells.fillCells()[i], point, values, weights[point], false);
          }
          java.sql.Date date = task.date() == null ? null : java.sql.Date.valueOf(task.date());
          for (Map.Entry<Long, double[]> e : sums.entrySet()) {
            out.add(partialRow(H3Cells.address(e.getKey()), date, e.getValue(), daily));
          }
        }
      }
      return out.iterator();
    }

    /**
     * acc = [points, then per column: sum, weight, n]. A point lent to a cell it does not lie in
     * (its nearest point) gives the value but is not counted there: points and n count grid points
     * inside the cell.
     */
    private static void add(
        Map<Long, double[]> sums,
        long cell,
        int point,
        double[][] values,
        double w,
        boolean inside) {
      double[] acc = sums.computeIfAbsent(cell, k -> new double[1 + 3 * values.length]);
      acc[0] += inside ? 1 : 0;
      for (int c = 0; c < values.length; c++) {
        double v = values[c][point];
        if (!Double.isNaN(v)) {
          acc[1 + 3 * c] += v * w;
          acc[2 + 3 * c] += w;
          acc[3 + 3 * c] += inside ? 1 : 0;
        }
      }
    }
  }

  private static Row partialRow(String cell, java.sql.Date date, double[] acc, boolean daily) {
    int columns = (acc.length - 1) / 3;
    Object[] v = new Object[(daily ? 3 : 2) + 3 * columns];
    int i = 0;
    v[i++] = cell;
    if (daily) {
      v[i++] = date;
    }
    v[i++] = (long) acc[0];
    for (int c = 0; c < columns; c++) {
      v[i++] = acc[1 + 3 * c];
      v[i++] = acc[2 + 3 * c];
      v[i++] = (long) acc[3 + 3 * c];
    }
    return RowFactory.create(v);
  }

  static StructType partialSchema(boolean daily, List<String> columns) {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField(Cols.CELL, DataTypes.StringType, false));
    if (daily) {
      f.add(DataTypes.createStructField(Cols.DATE, DataTypes.DateType, false));
    }
    f.add(DataTypes.createStructField(Cols.POINTS, DataTypes.LongType, false));
    for (String c : columns) {
      f.add(DataTypes.createStructField(c + SUM, DataTypes.DoubleType, false));
      f.add(DataTypes.createStructField(c + WEIGHT, DataTypes.DoubleType, false));
      f.add(DataTypes.createStructField(c + N, DataTypes.LongType, false));
    }
    return DataTypes.createStructType(f);
  }

  /**
   * The file itself when it is local; otherwise a copy in the local temporary folder (HDF5 needs
   * random access).
   */
  static java.nio.file.Path local(String file, Configuration conf) {
    try {
      Path p = new Path(file);
      FileSystem fs = p.getFileSystem(conf);
      if (fs.getScheme().equals("file")) {
        return java.nio.file.Path.of(fs.makeQualified(p).toUri());
      }
      java.nio.file.Path copy = Files.createTempFile("shoal-", "-" + p.getName());
      copy.toFile().deleteOnExit();
      fs.copyToLocalFile(false, p, new Path(copy.toUri()), true);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // long tables

  /**
   * The columns of a long table: latitude, longitude, and optionally time (absent: a static layer)
   * and depth (absent: every variable is 2-D). Names as they are in the table.
   */
  public record TableColumns(String latitude, String longitude, String time, String depth)
      implements Serializable {}

  /**
   * A long table (one row per grid point, time and level): the same reduction as NetCDF files,
   * through Spark. Points form a grid when their distinct latitudes and longitudes do (then cells
   * smaller than the spacing can be filled); scattered points are mapped one by one.
   */
  public static Source table(
      SparkSession spark, String path, Dataset<Row> table, TableColumns c, Params p) {
    List<String> present = new ArrayList<>();
    List<String> names = java.util.Arrays.asList(table.columns());
    for (String v : p.variables().keySet()) {
      if (org.shoal.pipeline.util.Names.find(v, names).isPresent()) {
        present.add(v);
      }
    }
    if (present.isEmpty()) {
      throw new IllegalArgumentException(
          "the table at "
              + path
              + " has none of the variables "
              + p.variables().keySet()
              + " (covariates.variables); its columns are "
              + names);
    }
    boolean daily = c.time() != null;
    Column lon = pmod(col(q(c.longitude())).cast("double").plus(180), lit(360)).minus(180);
    List<Column> select =
        new ArrayList<>(
            List.of(col(q(c.latitude())).cast("double").as(Cols.LATITUDE), lon.as(Cols.LONGITUDE)));
    if (daily) {
      select.add(to_date(col(q(c.time()))).as(Cols.DATE));
    }
    if (c.depth() != null) {
      select.add(col(q(c.depth())).cast("double").as("_depth"));
    }
    for (String v : present) {
      String name = org.shoal.pipeline.util.Names.find(v, names).orElseThrow();
      Column x = col(q(name)).cast("double");
      select.add(when(isnan(x), lit(null)).otherwise(x).as("_v_" + p.variables().get(v)));
    }
    Dataset<Row> t = table.select(select.toArray(Column[]::new)).filter(boxFilter(p.box()));
    if (daily) {
      if (p.start() != null) {
        t = t.filter(col(Cols.DATE).geq(lit(java.sql.Date.valueOf(p.start()))));
      }
      if (p.end() != null) {
        t = t.filter(col(Cols.DATE).leq(lit(java.sql.Date.valueOf(p.end()))));
      }
    }
    // Per grid point (and day): the mean over the levels of each depth bin.
    List<String> columns = new ArrayList<>();
    List<Column> means = new ArrayList<>();
    if (c.depth() != null) {
      DepthBins bins = p.bins();
      t =
          t.withColumn(
                  "_bin",
                  udf(
                          (UDF1<Double, Integer>) d -> d == null ? -1 : bins.binOf(d),
                          DataTypes.IntegerType)
                      .apply(col("_depth")))
              .filter(col("_bin").geq(0));
      for (String v : present) {
        String out = p.variables().get(v);
        for (int b = 0; b < bins.count(); b++) {
          String name = bins.column(out, b);
          columns.add(name);
          means.add(avg(when(col("_bin").equalTo(b), col("_v_" + out))).as(name));
        }
      }
    } else {
      for (String v : present) {
        String out = p.variables().get(v);
        columns.add(out);
        means.add(avg(col("_v_" + out)).as(out));
      }
    }
    List<Column> pointKey = new ArrayList<>(List.of(col(Cols.LATITUDE), col(Cols.LONGITUDE)));
    if (daily) {
      pointKey.add(col(Cols.DATE));
    }
    Dataset<Row> points =
        t.groupBy(pointKey.toArray(Column[]::new))
            .agg(means.get(0), means.subList(1, means.size()).toArray(Column[]::new));

    // Grid points to cells, once per point (not per day).
    Dataset<Row> distinct = points.select(Cols.LATITUDE, Cols.LONGITUDE).distinct().cache();
    long pointCount = distinct.count();
    double[] lats = axis(distinct, Cols.LATITUDE);
    double[] lons = axis(distinct, Cols.LONGITUDE);
    Dataset<Row> lookup;
    int filled = 0;
    String note = null;
    if (pointCount == 0) {
      throw new IllegalArgumentException(
          "no row of the table at " + path + " lies inside the box " + p.box() + " and dates");
    }
    if ((double) lats.length * lons.length <= 4.0 * pointCount + 100) {
      Grid grid = new Grid(lats, lons);
      GridCells cells = GridCells.of(grid, p.resolution(), p.nearestFill());
      List<Row> rows = new ArrayList<>(grid.size() + cells.filled());
      for (int point = 0; point < grid.size(); point++) {
        rows.add(
            RowFactory.create(
                grid.lat(point), grid.lon(point), H3Cells.address(cells.cells()[point]), true));
      }
      for (int i = 0; i < cells.filled(); i++) {
        int point = cells.fillPoints()[i];
        rows.add(
            RowFactory.create(
                grid.lat(point), grid.lon(point), H3Cells.address(cells.fillCells()[i]), false));
      }
      lookup = spark.createDataFrame(rows, LOOKUP);
      filled = cells.filled();
      note = cells.note();
    } else {
      int res = p.resolution();
      lookup =
          distinct
              .withColumn(
                  Cols.CELL,
                  udf(
                          (org.apache.spark.sql.api.java.UDF2<Double, Double, String>)
                              (la, lo) -> H3Cells.address(H3Cells.cellOf(la, lo, res)),
                          DataTypes.StringType)
                      .apply(col(Cols.LATITUDE), col(Cols.LONGITUDE)))
              .withColumn(INSIDE, lit(true));
      note =
          "the points do not form a regular latitude/longitude grid: each is mapped to its own cell, none filled from a nearest point";
    }
    Column w = p.cosLatitude() ? cos(radians(col(Cols.LATITUDE))) : lit(1.0);
    Dataset<Row> joined =
        points.join(
            org.apache.spark.sql.functions.broadcast(lookup),
            JoinKeys.of(Cols.LATITUDE, Cols.LONGITUDE));
    List<Column> aggs = new ArrayList<>();
    Column inside = col(INSIDE);
    for (String col : columns) {
      Column v = col(col);
      aggs.add(sum(when(v.isNotNull(), v.multiply(w)).otherwise(0.0)).as(col + SUM));
      aggs.add(sum(when(v.isNotNull(), w).otherwise(0.0)).as(col + WEIGHT));
      aggs.add(sum(when(v.isNotNull().and(inside), 1L).otherwise(0L)).as(col + N));
    }
    List<Column> key = new ArrayList<>(List.of(col(Cols.CELL)));
    if (daily) {
      key.add(col(Cols.DATE));
    }
    Dataset<Row> partials =
        joined
            .groupBy(key.toArray(Column[]::new))
            .agg(sum(when(inside, 1L).otherwise(0L)).as(Cols.POINTS), aggs.toArray(Column[]::new));
    distinct.unpersist();
    return new Source(
        path, "table", daily, columns, List.of(path), pointCount, filled, note, partials);
  }

  private static final StructType LOOKUP =
      new StructType()
          .add(Cols.LATITUDE, DataTypes.DoubleType, false)
          .add(Cols.LONGITUDE, DataTypes.DoubleType, false)
          .add(Cols.CELL, DataTypes.StringType, false)
          .add(INSIDE, DataTypes.BooleanType, false);

  private static double[] axis(Dataset<Row> points, String column) {
    return points.select(column).distinct().orderBy(column).collectAsList().stream()
        .mapToDouble(r -> r.getDouble(0))
        .toArray();
  }

  private static Column boxFilter(LatLonBox box) {
    Column lat = col(Cols.LATITUDE).between(box.minLat(), box.maxLat());
    if (box.minLon() == -180 && box.maxLon() == 180) {
      return lat;
    }
    Column lon = col(Cols.LONGITUDE);
    return lat.and(
        box.crossesAntimeridian()
            ? lon.geq(box.minLon()).or(lon.leq(box.maxLon()))
            : lon.between(box.minLon(), box.maxLon()));
  }

  private static String q(String name) {
    return "`" + name + "`";
  }

  // ----------------------------------------------------------------------------------------------
  // cells

  /**
   * Partial sums to one row per cell (and date): {@code cell, [date,] points, c..., c_points...},
   * where {@code c} is the (weighted) mean of the valid points and null when there is none, and the
   * counts are of grid points inside the cell (0 for a cell that took its nearest point's value).
   */
  public static Dataset<Row> cells(Source s) {
    List<Column> key = new ArrayList<>(List.of(col(Cols.CELL)));
    if (s.daily()) {
      key.add(col(Cols.DATE));
    }
    List<Column> aggs = new ArrayList<>();
    for (String c : s.columns()) {
      aggs.add(sum(c + SUM).as(c + SUM));
      aggs.add(sum(c + WEIGHT).as(c + WEIGHT));
      aggs.add(sum(c + N).as(c + N));
    }
    Dataset<Row> merged =
        s.partials()
            .groupBy(key.toArray(Column[]::new))
            .agg(sum(Cols.POINTS).as(Cols.POINTS), aggs.toArray(Column[]::new));
    List<Column> out = new ArrayList<>(key);
    out.add(col(Cols.POINTS));
    for (String c : s.columns()) {
      out.add(when(col(c + WEIGHT).gt(0), col(c + SUM).divide(col(c + WEIGHT))).as(c));
    }
    for (String c : s.columns()) {
      out.add(col(c + N).as(c + Cols.POINTS_SUFFIX));
    }
    return merged.select(out.toArray(Column[]::new));
  }

  /**
   * Rows where every column has a valid mean (a cell and day appear only with all their variables).
   */
  public static Column complete(List<String> columns) {
    Column ok = lit(true);
    for (String c : columns) {
      ok = ok.and(col(c).isNotNull());
    }
    return ok;
  }

  /**
   * What became of one source's cells: rows (cell-days, or cells for a static layer), those left
   * out because some column had no valid point, grid point-days in total and, per column, those
   * without a valid value (land, NaN).
   */
  public record Counts(
      long rows, long incomplete, long pointDays, Map<String, Long> invalidPointDays)
      implements Serializable {}

  /** One pass over a source's cells (cache them first). */
  public static Counts counts(Source s, Dataset<Row> cells) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(sum(when(complete(s.columns()), 0).otherwise(1)).as("incomplete"));
    aggs.add(sum(Cols.POINTS).as(Cols.POINTS));
    for (String c : s.columns()) {
      aggs.add(sum(c + Cols.POINTS_SUFFIX).as(c));
    }
    Row r = cells.agg(count(lit(1)).as("rows"), aggs.toArray(Column[]::new)).first();
    long points = r.isNullAt(2) ? 0 : r.getLong(2);
    Map<String, Long> invalid = new LinkedHashMap<>();
    for (int i = 0; i < s.columns().size(); i++) {
      invalid.put(s.columns().get(i), points - (r.isNullAt(3 + i) ? 0 : r.getLong(3 + i)));
    }
    return new Counts(r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1), points, invalid);
  }

  /**
   * The complete rows of every source, joined: daily sources on (cell, date), static ones on cell.
   * Columns: cell, [date,] the variables in source order, then their {@code _points} counts. Null
   * when no source of that kind.
   */
  public static Dataset<Row> join(List<Source> sources, List<Dataset<Row>> cells, boolean daily) {
    Dataset<Row> out = null;
    List<String> values = new ArrayList<>();
    List<String> counts = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      Source s = sources.get(i);
      if (s.daily() != daily) {
        continue;
      }
      for (String c : s.columns()) {
        if (values.contains(c)) {
          throw new IllegalArgumentException(
              "column " + c + " comes from two inputs (the second: " + s.path() + ")");
        }
        values.add(c);
        counts.add(c + Cols.POINTS_SUFFIX);
      }
      Dataset<Row> t = cells.get(i).filter(complete(s.columns())).drop(Cols.POINTS);
      out =
          out == null
              ? t
              : out.join(
                  t, JoinKeys.of(daily ? List.of(Cols.CELL, Cols.DATE) : List.of(Cols.CELL)));
    }
    if (out == null) {
      return null;
    }
    List<String> order = new ArrayList<>(List.of(Cols.CELL));
    if (daily) {
      order.add(Cols.DATE);
    }
    order.addAll(values);
    order.addAll(counts);
    return out.select(
        order.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }
}
