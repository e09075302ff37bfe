package org.shoal.pipeline.tracks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.trim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads track files of any {@link TrackFormat} into the canonical raw-fix table: {@code source_file},
 * {@code individual_text}, {@code timestamp_text}, {@code latitude_text}, {@code longitude_text} and the
 * attribute columns, all as text so that validation can say exactly what was wrong with a row.
 */
public final class TrackReader {
  private TrackReader() {}

  public static Dataset<Row> read(SparkSession spark, TrackSource source) {
    Dataset<Row> table =
        switch (source.format()) {
          case CSV, OTN -> withFileName(
              spark.read().option("header", true).option("inferSchema", false).csv(source.path()));
          case PARQUET -> withFileName(spark.read().parquet(source.path()));
          case GPE3 -> readGpe3(spark, source.path());
        };
    return canonical(table, source);
  }

  private static Dataset<Row> withFileName(Dataset<Row> table) {
    return table.withColumn(TrackColumns.SOURCE_FILE, input_file_name());
  }

  static Dataset<Row> canonical(Dataset<Row> table, TrackSource source) {
    List<String> available = Arrays.asList(table.columns());
    List<Column> cols = new ArrayList<>();
    cols.add(col(TrackColumns.SOURCE_FILE));
    cols.add(text(table, available, source, source.individualColumn(), TrackColumns.INDIVIDUAL_TEXT));
    cols.add(text(table, available, source, source.timestampColumn(), TrackColumns.TIMESTAMP_TEXT));
    cols.add(text(table, available, source, source.latitudeColumn(), TrackColumns.LATITUDE_TEXT));
    cols.add(text(table, available, source, source.longitudeColumn(), TrackColumns.LONGITUDE_TEXT));
    for (String a : source.attributes()) {
      cols.add(text(table, available, source, a, a));
    }
    return table.select(cols.toArray(Column[]::new));
  }

  private static Column text(
      Dataset<Row> table, List<String> available, TrackSource source, String name, String as) {
    if (!available.contains(name)) {
      throw new IllegalArgumentException(
          "track column '"
              + name
              + "' not found in "
              + source.path()
              + " ("
              + source.format().name().toLowerCase(java.util.Locale.ROOT)
              + "); its columns are "
              + available.stream().filter(c -> !c.equals(TrackColumns.SOURCE_FILE)).toList());
    }
    return trim(table.col("`" + name + "`").cast(DataTypes.StringType)).as(as);
  }

  /** GPE3 files open with comment lines ({@code "; ...}) and a blank line before the CSV header. */
  private static Dataset<Row> readGpe3(SparkSession spark, String path) {
    Dataset<Row> lines =
        spark
            .read()
            .text(path)
            .withColumn(TrackColumns.SOURCE_FILE, input_file_name())
            .filter(trim(col("value")).notEqual("").and(col("value").startsWith("\";").unary_$bang()));
    List<Row> first = lines.limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new IllegalArgumentException("no GPE3 header line found in " + path);
    }
    String header = first.get(0).getString(0);
    List<String> names = CsvLine.split(header).stream().map(String::trim).toList();
    List<StructField> fields = new ArrayList<>();
    for (String n : names) {
      fields.add(DataTypes.createStructField(n, DataTypes.StringType, true));
    }
    fields.add(DataTypes.createStructField(TrackColumns.SOURCE_FILE, DataTypes.StringType, true));
    StructType schema = DataTypes.createStructType(fields);
    return lines
        .filter(col("value").notEqual(header))
        .map((MapFunction<Row, Row>) r -> splitRow(r, names.size()), Encoders.row(schema));
  }

  private static Row splitRow(Row line, int width) {
    List<String> parts = CsvLine.split(line.getString(0));
    Object[] values = new Object[width + 1];
    for (int i = 0; i < width; i++) {
      values[i] = i < parts.size() ? parts.get(i) : null;
    }
    values[width] = line.getString(1);
    return RowFactory.create(values);
  }
}
