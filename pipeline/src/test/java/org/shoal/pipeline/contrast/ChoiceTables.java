package org.shoal.pipeline.contrast;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.shoal.pipeline.schema.Cols;

/** Hand-made decision/choice tables: choice 1 is staying put (cell == origin_cell). */
final class ChoiceTables {
  static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField(Cols.INDIVIDUAL, DataTypes.StringType, false),
              DataTypes.createStructField(Cols.DECISION, DataTypes.IntegerType, false),
              DataTypes.createStructField(Cols.CHOICE, DataTypes.IntegerType, false),
              DataTypes.createStructField(Cols.ORIGIN_CELL, DataTypes.StringType, false),
              DataTypes.createStructField(Cols.CELL, DataTypes.StringType, false),
              DataTypes.createStructField(Cols.SELECTED, DataTypes.BooleanType, false),
              DataTypes.createStructField("split", DataTypes.StringType, false),
              DataTypes.createStructField("f_x", DataTypes.DoubleType, false)));

  private ChoiceTables() {}

  /**
   * {@code decisions[i]} decisions for individual i, each with {@code choices} choices; the
   * selected one is the stay-put choice with probability {@code stayRate}, else a uniformly chosen
   * other one.
   */
  static Dataset<Row> make(
      SparkSession spark, int[] decisions, int choices, double stayRate, long seed) {
    Random rng = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < decisions.length; i++) {
      String id = "fish-" + i;
      String split = i % 3 == 0 ? "validation" : "train";
      for (int d = 1; d <= decisions[i]; d++) {
        int selected =
            choices == 1 || rng.nextDouble() < stayRate ? 1 : 2 + rng.nextInt(choices - 1);
        for (int c = 1; c <= choices; c++) {
          rows.add(
              RowFactory.create(
                  id,
                  d,
                  c,
                  "o" + d,
                  c == 1 ? "o" + d : "c" + d + "-" + c,
                  c == selected,
                  split,
                  d * 100.0 + c));
        }
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
