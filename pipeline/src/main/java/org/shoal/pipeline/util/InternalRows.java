package org.shoal.pipeline.util;

import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
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

  /** An internal row of {@code schema} as a {@link Row}, strings as Java strings. */
  public static Row row(InternalRow row, StructType schema) {
    DataType[] types = types(schema);
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Object v = value(row, i, types[i]);
      values[i] = v instanceof org.apache.spark.unsafe.types.UTF8String u ? u.toString() : v;
    }
    return org.apache.spark.sql.RowFactory.create(values);
  }

  /** A column's value as Spark holds it, null when null; valid until the row is reused. */
  public static Object value(InternalRow row, int column, DataType type) {
    return row.isNullAt(column) ? null : row.get(column, type);
  }

  /**
   * One column of a scan's reused rows: its value copied out to outlive the row, and compared in
   * place, without boxing or copying (a pass checks every row's keys).
   */
  public static final class Key {
    private final int column;
    private final DataType type;

    public Key(int column, DataType type) {
      this.column = column;
      this.type = type;
    }

    /** The row's value, null when null, copied to outlive the row. */
    public Object copy(InternalRow row) {
      return row.isNullAt(column) ? null : InternalRow.copyValue(row.get(column, type));
    }

    /** Whether the row holds {@code value} (null: is null). */
    public boolean holds(InternalRow row, Object value) {
      if (row.isNullAt(column) || value == null) {
        return row.isNullAt(column) && value == null;
      }
      if (type instanceof IntegerType) {
        return row.getInt(column) == (Integer) value;
      }
      if (type instanceof LongType) {
        return row.getLong(column) == (Long) value;
      }
      if (type instanceof StringType) {
        return row.getUTF8String(column).equals(value);
      }
      return row.get(column, type).equals(value);
    }
  }
}
