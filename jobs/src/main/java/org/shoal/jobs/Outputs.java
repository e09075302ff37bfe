package org.shoal.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Writes job outputs through Hadoop's FileSystem, so the same code writes local paths, HDFS and S3.
 */
final class Outputs {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Outputs() {}

  static void parquet(Dataset<Row> rows, String path) {
    rows.write().mode(SaveMode.Overwrite).parquet(path);
  }

  /** One CSV file with a header at {@code path}, rows in the given order. */
  static void singleCsv(SparkSession spark, Dataset<Row> rows, String path, String... orderBy)
      throws IOException {
    write(
        spark,
        rows.repartition(1)
            .sortWithinPartitions(
                orderBy[0], java.util.Arrays.copyOfRange(orderBy, 1, orderBy.length)),
        path);
  }

  /**
   * One CSV file with a header at {@code path}: rows already on the driver, in their order, written
   * by Spark's CSV writer (the same text as {@link #singleCsv}) in one task without a shuffle.
   */
  static void singleCsv(SparkSession spark, List<Row> rows, StructType schema, String path)
      throws IOException {
    write(spark, spark.createDataFrame(rows, schema).coalesce(1), path);
  }

  private static void write(SparkSession spark, Dataset<Row> onePartition, String path)
      throws IOException {
    String staging = path + ".staging";
    onePartition
        .write()
        .mode(SaveMode.Overwrite)
        .option("header", true)
        .option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ssXXX")
        .csv(staging);
    Path dir = new Path(staging);
    FileSystem fs = dir.getFileSystem(hadoopConf(spark));
    FileStatus[] parts = fs.globStatus(new Path(dir, "part-*"));
    if (parts == null || parts.length != 1) {
      throw new IOException("expected one CSV part in " + staging);
    }
    Path target = new Path(path);
    fs.delete(target, true);
    if (!fs.rename(parts[0].getPath(), target)) {
      throw new IOException("could not move " + parts[0].getPath() + " to " + target);
    }
    fs.delete(dir, true);
  }

  static void json(SparkSession spark, Object content, String path) throws IOException {
    text(spark, JSON.writeValueAsString(content), path);
  }

  static void bytes(SparkSession spark, byte[] content, String path) throws IOException {
    Path target = new Path(path);
    FileSystem fs = target.getFileSystem(hadoopConf(spark));
    try (OutputStream out = fs.create(target, true)) {
      out.write(content);
    }
  }

  static void text(SparkSession spark, String content, String path) throws IOException {
    Path target = new Path(path);
    FileSystem fs = target.getFileSystem(hadoopConf(spark));
    try (OutputStream out = fs.create(target, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
  }

  private static Configuration hadoopConf(SparkSession spark) {
    return spark.sparkContext().hadoopConfiguration();
  }
}
