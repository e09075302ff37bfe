package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.testing.SharedSpark;

class TestInputs {
  private final SparkSession spark = SharedSpark.session();

  /** Non-nullable columns, an array, and two partition columns, as expand's choice tables. */
  private Dataset<Row> table() {
    StructType schema =
        new StructType(
            new StructField[] {
              DataTypes.createStructField("individual", DataTypes.StringType, false),
              DataTypes.createStructField("decision", DataTypes.IntegerType, false),
              DataTypes.createStructField(
                  "x", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
              DataTypes.createStructField("split", DataTypes.StringType, false),
              DataTypes.createStructField("bucket", DataTypes.IntegerType, false)
            });
    List<Row> rows =
        List.of(
            RowFactory.create("a", 1, List.of(1.0, 2.0), "train", 0),
            RowFactory.create("a", 2, List.of(3.0), "train", 0),
            RowFactory.create("b", 1, List.of(), "validation", 3),
            RowFactory.create("c", 7, List.of(0.5), "train", 2));
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void aSparkFolderReadFromItsFootersEqualsSparksOwnRead(@TempDir Path dir) {
    String path = dir.resolve("choices").toString();
    table().write().partitionBy("split", "bucket").parquet(path);

    Inputs.ParquetTable read = Inputs.sparkParquet(spark, path);
    Dataset<Row> spark = this.spark.read().parquet(path);

    assertThat(read.footerCount()).isEqualTo(4);
    assertThat(read.rows().schema()).isEqualTo(spark.schema());
    assertThat(read.rows().schema().fieldNames())
        .containsExactly("individual", "decision", "x", "split", "bucket");
    assertThat(read.rows().orderBy("individual", "decision").collectAsList())
        .isEqualTo(spark.orderBy("individual", "decision").collectAsList());
  }

  /** Only the part of a file's path below the folder decides whether it is data. */
  @Test
  void aFolderBelowAHiddenFolderIsStillReadFromItsFooters(@TempDir Path dir) {
    String path = dir.resolve(".shoal/work/choices").toString();
    table().write().partitionBy("split", "bucket").parquet(path);
    Inputs.ParquetTable read = Inputs.sparkParquet(spark, path);
    assertThat(read.footerCount()).isEqualTo(4);
    assertThat(read.rows().count()).isEqualTo(4);
  }

  @Test
  void anEmptyTableCountsZero(@TempDir Path dir) {
    String path = dir.resolve("empty").toString();
    table().limit(0).write().parquet(path);
    Inputs.ParquetTable read = Inputs.sparkParquet(spark, path);
    assertThat(read.count()).isZero();
    assertThat(read.rows().schema()).isEqualTo(spark.read().parquet(path).schema());
  }

  @Test
  void aFolderWithoutDataFilesFailsAsSparkDoes(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectories(dir.resolve("nothing"));
    Files.writeString(empty.resolve("_SUCCESS"), "");
    assertThatThrownBy(() -> Inputs.sparkParquet(spark, empty.toString()))
        .hasMessageContaining("Unable to infer schema for Parquet");
  }
}
