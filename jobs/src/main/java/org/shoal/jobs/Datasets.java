package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.shoal.pipeline.expand.Splits;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.schema.Cols;

/**
 * A choice dataset on disk: a folder with {@code choices/} (Parquet, partitioned by split and bucket) and
 * {@code features.json}. expand writes one; augment and contrasts read one and write another.
 */
final class Datasets {
  static final String CHOICES = "/choices";
  static final String MANIFEST = "/features.json";
  static final String BUCKET = "bucket";

  private Datasets() {}

  static Dataset<Row> choices(SparkSession spark, String folder) {
    Inputs.requireExists(spark, folder + CHOICES, "choice table");
    return spark.read().parquet(folder + CHOICES);
  }

  static FeatureManifest manifest(SparkSession spark, String folder) throws IOException {
    return readManifest(spark, folder + MANIFEST);
  }

  static FeatureManifest readManifest(SparkSession spark, String path) throws IOException {
    return FeatureManifest.fromJson(Inputs.text(spark, path, "feature manifest"), path);
  }

  /** Writes choices partitioned by split (and bucket when present), rows sorted by id within each file. */
  static void writeChoices(Dataset<Row> rows, String folder) {
    boolean bucketed = java.util.Arrays.asList(rows.columns()).contains(BUCKET);
    Dataset<Row> parts = bucketed ? rows.repartition(col(Splits.SPLIT), col(BUCKET)) : rows.repartition(col(Splits.SPLIT));
    var writer =
        parts.sortWithinPartitions(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE).write().mode(SaveMode.Overwrite);
    writer = bucketed ? writer.partitionBy(Splits.SPLIT, BUCKET) : writer.partitionBy(Splits.SPLIT);
    writer.parquet(folder + CHOICES);
  }
}
