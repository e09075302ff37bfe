package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.tracks.TrackFiles;

/**
 * Reads the tables users point jobs at: Parquet, or CSV with a header when the path ends in .csv.
 */
final class Inputs {
  private Inputs() {}

  static Dataset<Row> table(SparkSession spark, String path, String what) {
    requireExists(spark, path, what);
    if (path.toLowerCase(Locale.ROOT).endsWith(".csv")) {
      // comma-, semicolon- or tab-separated, as its header shows
      return TrackFiles.table(spark, path, false, List.of()).drop(Cols.SOURCE_FILE);
    }
    return spark.read().parquet(path);
  }

  /**
   * A Parquet folder read by {@link #sparkParquet}, and its number of rows from the footers (null
   * when they are not Spark's: then counted by Spark, if asked).
   */
  record ParquetTable(Dataset<Row> rows, Long footerCount) {
    long count() {
      return footerCount != null ? footerCount : rows.count();
    }
  }

  private static final String SPARK_SCHEMA = "org.apache.spark.sql.parquet.row.metadata";

  /**
   * A Parquet folder that Spark wrote (partitioned or not), read with the schema in its files'
   * footers, and its row count from the same footers: Spark would infer the schema, and count, with
   * a job each, a fixed cost of about half a second in a stage on a small file. Folders without
   * Spark's schema in a footer (written by other tools) are read and counted by Spark.
   */
  static ParquetTable sparkParquet(SparkSession spark, String path) {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    StructType schema = null;
    long count = 0;
    try {
      org.apache.hadoop.fs.FileSystem fs = new org.apache.hadoop.fs.Path(path).getFileSystem(conf);
      // qualified as the listing's paths are, so that only the part below the folder is judged
      org.apache.hadoop.fs.Path folder = fs.makeQualified(new org.apache.hadoop.fs.Path(path));
      var files = fs.listFiles(folder, true);
      while (files.hasNext()) {
        org.apache.hadoop.fs.Path file = files.next().getPath();
        if (!isDataFile(folder, file)) {
          continue;
        }
        try (org.apache.parquet.hadoop.ParquetFileReader reader =
            org.apache.parquet.hadoop.ParquetFileReader.open(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(file, conf))) {
          String json = reader.getFileMetaData().getKeyValueMetaData().get(SPARK_SCHEMA);
          if (json == null) {
            schema = null;
            break;
          }
          if (schema == null) {
            schema = (StructType) DataType.fromJson(json);
          }
          count += reader.getRecordCount();
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the Parquet footers at " + path, e);
    }
    if (schema == null) {
      return new ParquetTable(spark.read().parquet(path), null);
    }
    // As Spark's own read: every column nullable, the partition columns from the folder names.
    return new ParquetTable(spark.read().schema(nullable(schema)).parquet(path), count);
  }

  /** A data file of the folder: not hidden, not metadata (_SUCCESS), in no hidden sub-folder. */
  private static boolean isDataFile(
      org.apache.hadoop.fs.Path folder, org.apache.hadoop.fs.Path file) {
    String relative = folder.toUri().relativize(file.toUri()).getPath();
    return Arrays.stream(relative.split("/"))
            .noneMatch(part -> part.startsWith("_") || part.startsWith("."))
        && relative.endsWith(".parquet");
  }

  private static StructType nullable(StructType schema) {
    StructField[] fields = schema.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      fields[i] =
          new StructField(
              fields[i].name(), nullable(fields[i].dataType()), true, fields[i].metadata());
    }
    return new StructType(fields);
  }

  private static DataType nullable(DataType type) {
    if (type instanceof StructType struct) {
      return nullable(struct);
    }
    if (type instanceof ArrayType array) {
      return new ArrayType(nullable(array.elementType()), true);
    }
    if (type instanceof MapType map) {
      return new MapType(map.keyType(), nullable(map.valueType()), true);
    }
    return type;
  }

  /**
   * The whole text of one file (local, HDFS, S3...); fails naming {@code what} and the path when it
   * is missing.
   */
  static String text(SparkSession spark, String path, String what) throws java.io.IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    org.apache.hadoop.fs.FileSystem fs =
        p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(p)) {
      throw new IllegalArgumentException(what + " not found: " + path);
    }
    try (org.apache.hadoop.fs.FSDataInputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * Fails with a message naming the input when nothing matches {@code path} (a file, folder or
   * glob).
   */
  static void requireExists(SparkSession spark, String path, String what) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      org.apache.hadoop.fs.FileStatus[] found =
          p.getFileSystem(spark.sparkContext().hadoopConfiguration()).globStatus(p);
      if (found == null || found.length == 0) {
        throw new IllegalArgumentException("no " + what + " found at " + path);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot look up the " + what + " at " + path, e);
    }
  }

  /**
   * Covariates: a table of cell, date and variables (or cell and variables: a static layer), or a
   * {@code shoal covariates} output folder (daily/ and static/, joined by cell). Cell as text, date
   * as a date, every variable as a double; the {@code _points} counts are left out. Fails, naming
   * both, when the cells are not at {@code resolution} (null: any).
   */
  static Dataset<Row> covariates(SparkSession spark, String path, Integer resolution) {
    Dataset<Row> t;
    boolean daily = exists(spark, path + CovariatesJob.DAILY);
    boolean statics = exists(spark, path + CovariatesJob.STATIC);
    if (daily || statics) {
      Dataset<Row> d =
          daily
              ? typed(spark.read().parquet(path + CovariatesJob.DAILY), path + CovariatesJob.DAILY)
              : null;
      Dataset<Row> s =
          statics
              ? typed(
                  spark.read().parquet(path + CovariatesJob.STATIC), path + CovariatesJob.STATIC)
              : null;
      t = d == null ? s : s == null ? d : d.join(s, Cols.CELL);
    } else {
      t = typed(table(spark, path, "covariates"), path);
      requireOneRowPerKey(t, path);
    }
    List<Row> first = t.select(Cols.CELL).limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new IllegalArgumentException("the covariates at " + path + " have no rows");
    }
    int found = H3Cells.resolution(H3Cells.parse(first.get(0).getString(0)));
    if (resolution != null && found != resolution) {
      throw new IllegalArgumentException(
          "the covariates at "
              + path
              + " are on H3 cells of resolution "
              + found
              + ", expand uses resolution "
              + resolution
              + "; rebuild them with shoal.covariates.resolution = "
              + resolution);
    }
    return t;
  }

  /**
   * A table of one's own must hold one row per cell (and day): a second row would give that cell's
   * choices twice. ({@code shoal covariates} writes one per cell and day by construction.)
   */
  private static void requireOneRowPerKey(Dataset<Row> t, String path) {
    boolean daily = Arrays.asList(t.columns()).contains(Cols.DATE);
    List<String> key = daily ? List.of(Cols.CELL, Cols.DATE) : List.of(Cols.CELL);
    List<Row> repeated =
        t.groupBy(key.stream().map(c -> col(c)).toArray(Column[]::new))
            .count()
            .filter(col("count").gt(1))
            .limit(1)
            .collectAsList();
    if (!repeated.isEmpty()) {
      Row r = repeated.get(0);
      throw new IllegalArgumentException(
          "the covariates at "
              + path
              + " have "
              + r.getLong(key.size())
              + " rows for cell "
              + r.get(0)
              + (daily ? " on " + r.get(1) : "")
              + ": one row per cell"
              + (daily ? " and day" : "")
              + " is needed, or that cell's choices would appear more than once;"
              + " average them first, or build the table with shoal covariates");
    }
  }

  private static Dataset<Row> typed(Dataset<Row> t, String path) {
    List<String> names = Arrays.asList(t.columns());
    if (!names.contains(Cols.CELL)) {
      throw new IllegalArgumentException(
          "the covariates at " + path + " have no '" + Cols.CELL + "' column; columns: " + names);
    }
    Column[] cols =
        names.stream()
            .filter(n -> !n.endsWith(Cols.POINTS_SUFFIX))
            .map(
                n ->
                    n.equals(Cols.CELL)
                        ? col(n).cast("string").as(n)
                        : n.equals(Cols.DATE)
                            ? to_date(col(n)).as(n)
                            : col("`" + n + "`").cast("double").as(n))
            .toArray(Column[]::new);
    return t.select(cols);
  }

  private static boolean exists(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot look up " + path, e);
    }
  }
}
