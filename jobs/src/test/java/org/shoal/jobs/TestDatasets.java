package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.schema.Split;
import org.shoal.pipeline.testing.SharedSpark;

class TestDatasets {
  private final SparkSession spark = SharedSpark.session();

  /** Three rows in every (split, bucket) folder. */
  private Dataset<Row> folders(int buckets) {
    List<Row> rows = new ArrayList<>();
    for (Split split : Split.values()) {
      for (int b = 0; b < buckets; b++) {
        for (int i = 0; i < 3; i++) {
          rows.add(RowFactory.create(split.label() + "-" + b + "-" + i, split.label(), b));
        }
      }
    }
    StructType schema =
        new StructType()
            .add("individual", DataTypes.StringType)
            .add("split", DataTypes.StringType)
            .add("bucket", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  /** Each folder's partitions: folder → the set of partitions its rows are in. */
  private static Map<String, java.util.Set<Integer>> partitionsOf(Dataset<Row> parts) {
    Map<String, java.util.Set<Integer>> of = new HashMap<>();
    for (Row r : parts.select(col("split"), col("bucket"), spark_partition_id()).collectAsList()) {
      of.computeIfAbsent(r.getString(0) + "/" + r.getInt(1), k -> new java.util.HashSet<>())
          .add(r.getInt(2));
    }
    return of;
  }

  @Test
  void everyFolderGetsAPartitionOfItsOwn() {
    for (int buckets = 1; buckets <= 16; buckets++) {
      Dataset<Row> parts = Datasets.oneFolderPerPartition(folders(buckets), buckets);
      Map<String, java.util.Set<Integer>> of = partitionsOf(parts);
      int folders = Split.values().length * buckets;
      assertThat(of).as("%d buckets", buckets).hasSize(folders);
      assertThat(of.values()).allSatisfy(p -> assertThat(p).hasSize(1));
      assertThat(of.values().stream().map(p -> p.iterator().next()).distinct().count())
          .as("%d buckets: one partition per folder", buckets)
          .isEqualTo(folders);
      assertThat(parts.rdd().getNumPartitions())
          .isEqualTo(Datasets.partitionsApart(spark, buckets))
          .isBetween(folders, 64 * folders);
    }
  }

  @Test
  void sparksHashAloneSendsSomeOfTheDefaultFoldersToOnePartition() {
    // Why oneFolderPerPartition searches: the default 2 splits x 4 buckets into 8 partitions.
    Map<String, java.util.Set<Integer>> of =
        partitionsOf(folders(4).repartition(8, col("split"), col("bucket")));
    assertThat(of.values().stream().map(p -> p.iterator().next()).distinct().count()).isLessThan(8);
    assertThat(Datasets.partitionsApart(spark, 4)).isGreaterThan(8);
  }
}
