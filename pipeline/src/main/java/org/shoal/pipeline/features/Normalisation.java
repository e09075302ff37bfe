package org.shoal.pipeline.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_pop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-column transforms with statistics fitted on training rows only and then reused unchanged for
 * validation, inference and later rebuilds (saved in the feature manifest). Feature columns are
 * named {@code f_<column>}.
 */
public record Normalisation(Map<String, Transform> transforms, Map<String, ColumnStats> stats) {
  public static final String FEATURE_PREFIX = "f_";

  public Normalisation {
    transforms = new LinkedHashMap<>(transforms);
    stats = new LinkedHashMap<>(stats);
  }

  public static String featureName(String column) {
    return FEATURE_PREFIX + column;
  }

  /** Fits statistics of every transformed column on {@code trainingRows}. */
  public static Normalisation fit(Dataset<Row> trainingRows, Map<String, Transform> transforms) {
    if (transforms.isEmpty()) {
      return new Normalisation(transforms, Map.of());
    }
    List<Column> aggs = new ArrayList<>();
    for (Map.Entry<String, Transform> e : transforms.entrySet()) {
      Column u = prepared(col("`" + e.getKey() + "`"), e.getValue());
      aggs.add(count(u));
      aggs.add(mean(u));
      aggs.add(stddev_pop(u));
      aggs.add(min(u));
      aggs.add(max(u));
    }
    Row r =
        trainingRows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    Map<String, ColumnStats> stats = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, Transform> e : transforms.entrySet()) {
      long n = r.getLong(i);
      if (n == 0) {
        throw new IllegalArgumentException(
            "cannot normalise '" + e.getKey() + "': it has no value in the training rows");
      }
      ColumnStats s =
          new ColumnStats(
              n, r.getDouble(i + 1), r.getDouble(i + 2), r.getDouble(i + 3), r.getDouble(i + 4));
      Transform t = e.getValue();
      boolean needsSpread =
          t == Transform.ZSCORE || t == Transform.LOG_ZSCORE
              ? s.sd() == 0
              : (t == Transform.MINMAX || t == Transform.LOG_MINMAX) && s.max() == s.min();
      if (needsSpread) {
        throw new IllegalArgumentException(
            "cannot "
                + t.configName()
                + " '"
                + e.getKey()
                + "': it is constant in the training rows");
      }
      stats.put(e.getKey(), s);
      i += 5;
    }
    return new Normalisation(transforms, stats);
  }

  /** Adds {@code f_<column>} for every transformed column. */
  public Dataset<Row> apply(Dataset<Row> rows) {
    Dataset<Row> out = rows;
    for (Map.Entry<String, Transform> e : transforms.entrySet()) {
      out = out.withColumn(featureName(e.getKey()), column(e.getKey()));
    }
    return out;
  }

  /** The Spark twin of {@link Transform#apply(double, ColumnStats)}. */
  public Column column(String name) {
    Transform t = transforms.get(name);
    ColumnStats s = stats.get(name);
    Column u = prepared(col("`" + name + "`"), t);
    return switch (t) {
      case IDENTITY, LOG -> u;
      case ZSCORE, LOG_ZSCORE -> u.minus(lit(s.mean())).divide(lit(s.sd()));
      case MINMAX, LOG_MINMAX -> u.minus(lit(s.min())).divide(lit(s.max() - s.min()));
    };
  }

  private static Column prepared(Column raw, Transform t) {
    return t.logged() ? log(raw.plus(lit(Transform.LOG_EPSILON))) : raw.cast("double");
  }
}
