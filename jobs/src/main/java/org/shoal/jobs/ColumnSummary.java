package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.stddev_pop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Mean and standard deviation of columns, for reports that show what a stage changed. */
final class ColumnSummary {
  private ColumnSummary() {}

  static Map<String, Map<String, Double>> of(Dataset<Row> rows, List<String> columns) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    if (columns.isEmpty()) {
      return out;
    }
    List<Column> aggs = new ArrayList<>();
    for (String c : columns) {
      aggs.add(mean(col("`" + c + "`")));
      aggs.add(stddev_pop(col("`" + c + "`")));
    }
    Row r = rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    for (int i = 0; i < columns.size(); i++) {
      Map<String, Double> s = new LinkedHashMap<>();
      s.put("mean", r.isNullAt(2 * i) ? null : r.getDouble(2 * i));
      s.put("std", r.isNullAt(2 * i + 1) ? null : r.getDouble(2 * i + 1));
      out.put(columns.get(i), s);
    }
    return out;
  }
}
