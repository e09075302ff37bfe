package org.shoal.pipeline.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.dayofyear;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.radians;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.shoal.pipeline.h3.ChoiceTable;
import org.shoal.pipeline.schema.Cols;

/**
 * Geometry and time features of every choice. The heading is the great-circle bearing (not the
 * research's planar atan2 of degree differences), so it is right at high latitude and across the
 * antimeridian; it is 0 for staying put, which {@code f_stay_put} marks. Day of year uses the
 * year's real length (the research divided months by 11, making December equal January).
 */
public final class ChoiceFeatures {
  public static final String STAY_PUT = "stay_put";
  public static final String DAY_OF_YEAR = "day_of_year";
  public static final String MONTH = "month";

  /** The feature groups a user can switch on. */
  public enum Base {
    DISTANCE(List.of("f_distance")),
    HEADING(List.of("f_sin_bearing", "f_cos_bearing")),
    STAY_PUT(List.of("f_stay_put")),
    DAY_OF_YEAR(List.of("f_sin_doy", "f_cos_doy"));

    public final List<String> columns;

    Base(List<String> columns) {
      this.columns = columns;
    }
  }

  private ChoiceFeatures() {}

  /**
   * Adds stay_put, day_of_year, month and every base feature column (all of them; the manifest
   * picks).
   */
  public static Dataset<Row> add(Dataset<Row> choices, double radiusKm) {
    Column moved = col(Cols.CELL).notEqual(col(Cols.ORIGIN_CELL));
    Column bearing = radians(col(ChoiceTable.BEARING_DEG));
    Column daysInYear =
        when(
                year(col(Cols.DATE))
                    .mod(4)
                    .equalTo(0)
                    .and(
                        year(col(Cols.DATE))
                            .mod(100)
                            .notEqual(0)
                            .or(year(col(Cols.DATE)).mod(400).equalTo(0))),
                lit(366.0))
            .otherwise(lit(365.0));
    Column yearAngle = col(DAY_OF_YEAR).minus(1).multiply(2 * Math.PI).divide(daysInYear);
    return choices
        .withColumn(STAY_PUT, when(moved, 0.0).otherwise(1.0))
        .withColumn(DAY_OF_YEAR, dayofyear(col(Cols.DATE)))
        .withColumn(MONTH, month(col(Cols.DATE)))
        .withColumn(
            "f_distance", radiusKm > 0 ? col(ChoiceTable.DISTANCE_KM).divide(radiusKm) : lit(0.0))
        .withColumn("f_sin_bearing", when(moved, sin(bearing)).otherwise(0.0))
        .withColumn("f_cos_bearing", when(moved, cos(bearing)).otherwise(0.0))
        .withColumn("f_stay_put", col(STAY_PUT))
        .withColumn("f_sin_doy", sin(yearAngle))
        .withColumn("f_cos_doy", cos(yearAngle));
  }

  public static List<String> columns(List<Base> bases) {
    List<String> out = new ArrayList<>();
    for (Base b : bases) {
      out.addAll(b.columns);
    }
    return out;
  }
}
