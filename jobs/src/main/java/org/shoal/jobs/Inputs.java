package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.shoal.pipeline.schema.Cols;

/** Reads the tables users point jobs at: Parquet, or CSV with a header when the path ends in .csv. */
final class Inputs {
  private Inputs() {}

  static Dataset<Row> table(SparkSession spark, String path, String what) {
    requireExists(spark, path, what);
    if (path.toLowerCase(Locale.ROOT).endsWith(".csv")) {
      return spark.read().option("header", true).csv(path);
    }
    return spark.read().parquet(path);
  }

  /** The whole text of one file (local, HDFS, S3...); fails naming {@code what} and the path when it is missing. */
  static String text(SparkSession spark, String path, String what) throws java.io.IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(p)) {
      throw new IllegalArgumentException(what + " not found: " + path);
    }
    try (org.apache.hadoop.fs.FSDataInputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Fails with a message naming the input when nothing matches {@code path} (a file, folder or glob). */
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

  /** Covariates: cell as text, date as a date, every other column as a double. */
  static Dataset<Row> covariates(SparkSession spark, String path) {
    Dataset<Row> t = table(spark, path, "covariates");
    java.util.List<String> names = java.util.Arrays.asList(t.columns());
    for (String required : new String[] {Cols.CELL, Cols.DATE}) {
      if (!names.contains(required)) {
        throw new IllegalArgumentException(
            "the covariates at " + path + " have no '" + required + "' column; columns: " + names);
      }
    }
    Column[] cols =
        names.stream()
            .map(
                n ->
                    n.equals(Cols.CELL)
                        ? col(n).cast("string").as(n)
                        : n.equals(Cols.DATE) ? to_date(col(n)).as(n) : col("`" + n + "`").cast("double").as(n))
            .toArray(Column[]::new);
    return t.select(cols);
  }
}
