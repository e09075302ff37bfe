package org.shoal.pipeline.util;

import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Passes over Spark's internal rows, for the streamed stages (infer's softmax, contrasts' sampler,
 * evaluate's per-decision sums): converting every row of a wide table to a {@link Row} and back
 * cost them more than their own work. A scan reuses its row, so what outlives the next row is
 * copied.
 */
public final class InternalRows {
  private InternalRows() {}

  /** The rows of {@code rows}, read as Spark holds them. */
  public static JavaRDD<InternalRow> of(Dataset<Row> rows) {
    return rows.queryExecution().toRdd().toJavaRDD();
  }

  /** Internal rows of {@code schema} as a DataFrame of {@code like}'s session. */
  public static Dataset<Row> frame(
      Dataset<Row> like, JavaRDD<InternalRow> rows, StructType schema) {
    // Scala's private[sql], public to Java: the one way from internal rows to a DataFrame
    return like.sparkSession().internalCreateDataFrame(rows.rdd(), schema, false);
  }

  /** Each column's type, in order. */
  public static DataType[] types(StructType schema) {
    return Arrays.stream(schema.fields()).map(StructField::dataType).toArray(DataType[]::new);
  }

  /** A column's value as Spark holds it, null when null; valid until the row is reused. */
  public static Object value(InternalRow row, int column, DataType type) {
    return row.isNullAt(column) ? null : row.get(column, type);
  }

  /** Whether a column holds {@code value} (null: is null), without copying it. */
  public static boolean holds(InternalRow row, int column, DataType type, Object value) {
    return row.isNullAt(column) ? value == null : row.get(column, type).equals(value);
  }
}
