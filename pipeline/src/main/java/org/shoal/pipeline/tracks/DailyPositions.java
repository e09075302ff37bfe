package org.shoal.pipeline.tracks;

import static org.apache.spark.sql.functions.atan2;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.degrees;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.radians;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.schema.Cols;

/**
 * Valid fixes to one position per individual per step (one UTC day by default, or any {@link
 * Step}), mapped to H3 cells and cut into segments wherever a step is missing, so no decision spans
 * a gap.
 */
public final class DailyPositions {

  /** How several fixes within one step become one position. */
  public enum Rule {
    /** The last fix of the step. */
    LAST,
    /** The first fix of the step. */
    FIRST,
    /** The spherical mean (mean of unit vectors, antimeridian-safe). */
    MEAN;
  }

  private DailyPositions() {}

  /**
   * Valid fixes split into the first of each identical fix (individual, timestamp and position) and
   * the copies after it. {@code simultaneous} are the unique fixes that share their individual and
   * timestamp with another at a different position (an acoustic ping heard at two stations): kept,
   * and merged by the step rule. All three are filters of {@code marked}, the valid fixes with two
   * flag columns, which a caller reading them more than once should persist.
   */
  public record Deduplicated(Dataset<Row> marked) {
    private static final String COPY = "_copy";
    private static final String SIMULTANEOUS = "_simultaneous";

    public Dataset<Row> unique() {
      return marked.filter(not(col(COPY))).drop(COPY, SIMULTANEOUS);
    }

    public Dataset<Row> duplicates() {
      return marked.filter(col(COPY)).drop(COPY, SIMULTANEOUS);
    }

    public Dataset<Row> simultaneous() {
      return marked.filter(col(SIMULTANEOUS)).drop(COPY, SIMULTANEOUS);
    }

    public Deduplicated persist(StorageLevel level) {
      return new Deduplicated(marked.persist(level));
    }
  }

  public static Deduplicated deduplicate(Dataset<Row> validFixes) {
    // One window (one sort) for both flags: within an individual's timestamp, fixes in position
    // order, the first of a position's copies from the first source file. A fix at its
    // predecessor's position is a copy; any other fix after the first is at a second position.
    WindowSpec sameTime =
        Window.partitionBy(col(Cols.INDIVIDUAL), col(Cols.TIMESTAMP))
            .orderBy(col(Cols.LATITUDE), col(Cols.LONGITUDE), col(Cols.SOURCE_FILE));
    Column copy =
        coalesce(
            lag(col(Cols.LATITUDE), 1)
                .over(sameTime)
                .equalTo(col(Cols.LATITUDE))
                .and(lag(col(Cols.LONGITUDE), 1).over(sameTime).equalTo(col(Cols.LONGITUDE))),
            lit(false));
    return new Deduplicated(
        validFixes
            .withColumn(Deduplicated.COPY, copy)
            .withColumn(
                Deduplicated.SIMULTANEOUS,
                not(col(Deduplicated.COPY)).and(row_number().over(sameTime).gt(1))));
  }

  /**
   * Columns: individual, step, date (first day of the step), latitude, longitude, cell, fixes, the
   * attributes (taken from the step's last fix), segment, next_cell, next_step.
   */
  public static Dataset<Row> apply(
      Dataset<Row> fixes, Rule rule, Step stepLength, int resolution, List<String> attributes) {
    Column step = floor(unix_seconds(col(Cols.TIMESTAMP)).divide(stepLength.seconds()));
    Dataset<Row> stepped = fixes.withColumn(Cols.STEP, step);

    List<Column> attributeCols = new ArrayList<>();
    for (String a : attributes) {
      attributeCols.add(col(a));
    }
    // Ties (simultaneous fixes at different positions) are broken by position, so the result never
    // depends on
    // the order rows arrive in.
    Column order = struct(col(Cols.TIMESTAMP), col(Cols.LATITUDE), col(Cols.LONGITUDE));
    Column lastAttributes =
        attributes.isEmpty()
            ? lit(null)
            : max_by(struct(attributeCols.toArray(Column[]::new)), order);

    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as(Cols.FIXES));
    aggs.add(lastAttributes.as("_attrs"));
    switch (rule) {
      case LAST, FIRST -> {
        Column position = struct(col(Cols.LATITUDE), col(Cols.LONGITUDE));
        Column chosen = rule == Rule.LAST ? max_by(position, order) : min_by(position, order);
        aggs.add(chosen.as("_pos"));
      }
      case MEAN -> {
        Column lat = radians(col(Cols.LATITUDE));
        Column lon = radians(col(Cols.LONGITUDE));
        aggs.add(avg(cos(lat).multiply(cos(lon))).as("_x"));
        aggs.add(avg(cos(lat).multiply(sin(lon))).as("_y"));
        aggs.add(avg(sin(lat)).as("_z"));
      }
    }
    Dataset<Row> perStep =
        stepped
            .groupBy(col(Cols.INDIVIDUAL), col(Cols.STEP))
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    if (rule == Rule.MEAN) {
      perStep =
          perStep
              .withColumn(
                  Cols.LATITUDE,
                  degrees(
                      atan2(
                          col("_z"),
                          sqrt(col("_x").multiply(col("_x")).plus(col("_y").multiply(col("_y")))))))
              .withColumn(Cols.LONGITUDE, degrees(atan2(col("_y"), col("_x"))))
              .drop("_x", "_y", "_z");
    } else {
      perStep =
          perStep
              .withColumn(Cols.LATITUDE, col("_pos." + Cols.LATITUDE))
              .withColumn(Cols.LONGITUDE, col("_pos." + Cols.LONGITUDE))
              .drop("_pos");
    }
    for (String a : attributes) {
      perStep = perStep.withColumn(a, col("_attrs.`" + a + "`"));
    }
    perStep = perStep.drop("_attrs");

    UserDefinedFunction cellOf = cellUdf(resolution);
    WindowSpec byTime = Window.partitionBy(Cols.INDIVIDUAL).orderBy(Cols.STEP);
    Column newSegment =
        when(lag(col(Cols.STEP), 1).over(byTime).isNull(), 1)
            .when(col(Cols.STEP).minus(lag(col(Cols.STEP), 1).over(byTime)).gt(1), 1)
            .otherwise(0);
    List<Column> ordered = new ArrayList<>();
    for (String c :
        List.of(
            Cols.INDIVIDUAL,
            Cols.STEP,
            Cols.DATE,
            Cols.LATITUDE,
            Cols.LONGITUDE,
            Cols.CELL,
            Cols.FIXES)) {
      ordered.add(col(c));
    }
    for (String a : attributes) {
      ordered.add(col("`" + a + "`"));
    }
    ordered.add(col(Cols.SEGMENT));
    ordered.add(col(Cols.NEXT_CELL));
    ordered.add(col(Cols.NEXT_STEP));
    return perStep
        .withColumn(
            Cols.DATE,
            date_from_unix_date(
                floor(col(Cols.STEP).multiply(stepLength.seconds()).divide(86_400L)).cast("int")))
        .withColumn(Cols.CELL, cellOf.apply(col(Cols.LATITUDE), col(Cols.LONGITUDE)))
        .withColumn("_new", newSegment)
        .withColumn(
            Cols.SEGMENT,
            sum(col("_new")).over(byTime.rowsBetween(Window.unboundedPreceding(), 0)).cast("int"))
        .withColumn(Cols.NEXT_STEP, lead(col(Cols.STEP), 1).over(byTime))
        .withColumn(Cols.NEXT_CELL, lead(col(Cols.CELL), 1).over(byTime))
        .withColumn(
            Cols.NEXT_CELL,
            when(col(Cols.NEXT_STEP).equalTo(col(Cols.STEP).plus(1)), col(Cols.NEXT_CELL)))
        .withColumn(
            Cols.NEXT_STEP,
            when(col(Cols.NEXT_STEP).equalTo(col(Cols.STEP).plus(1)), col(Cols.NEXT_STEP)))
        .select(ordered.toArray(Column[]::new));
  }

  static UserDefinedFunction cellUdf(int resolution) {
    return udf(
        (UDF2<Double, Double, String>)
            (lat, lon) -> H3Cells.address(H3Cells.cellOf(lat, lon, resolution)),
        DataTypes.StringType);
  }
}
