package org.shoal.pipeline.contrast;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Hand-made decision/choice tables: choice 1 is staying put (cell == origin_cell). */
final class ChoiceTables {
  static final StructType SCHEMA =
      StructType.fromDDL(
          "individual STRING, decision INT, choice INT, origin_cell STRING, cell STRING, selected BOOLEAN, split STRING, f_x DOUBLE");

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
