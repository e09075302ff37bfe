package org.shoal.pipeline.tracks;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.shoal.pipeline.schema.Cols;

/**
 * Parses and checks every raw fix. Valid rows get a null {@code reason}; invalid ones keep their
 * raw text and a reason naming the first problem, so they can be written to the rejected output
 * instead of disappearing.
 */
public final class FixValidation {
  /** Why a fix is rejected; {@link #text()} is what the rejected table's reason column says. */
  public enum Problem {
    MISSING_INDIVIDUAL("missing individual"),
    MISSING_TIMESTAMP("missing timestamp"),
    BAD_TIMESTAMP("unparseable timestamp"),
    MISSING_LATITUDE("missing latitude"),
    BAD_LATITUDE("unparseable latitude"),
    LATITUDE_RANGE("latitude outside [-90, 90]"),
    MISSING_LONGITUDE("missing longitude"),
    BAD_LONGITUDE("unparseable longitude"),
    LONGITUDE_RANGE("longitude outside [-180, 360]"),
    DUPLICATE_FIX("duplicate fix (same individual, time and position)");

    private final String text;

    Problem(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  private FixValidation() {}

  /**
   * Output columns: source_file, the raw texts, individual, timestamp, latitude, longitude, the
   * attributes ({@code numericAttributes} as doubles, the rest as text) and reason.
   */
  public static Dataset<Row> apply(
      Dataset<Row> raw, TrackSource source, List<String> numericAttributes) {
    List<String> attributes = source.attributes();
    List<StructField> fields = new ArrayList<>();
    for (StructField f : raw.schema().fields()) {
      if (!attributes.contains(f.name())) {
        fields.add(f);
      }
    }
    fields.add(DataTypes.createStructField(Cols.INDIVIDUAL, DataTypes.StringType, true));
    fields.add(DataTypes.createStructField(Cols.TIMESTAMP, DataTypes.TimestampType, true));
    fields.add(DataTypes.createStructField(Cols.LATITUDE, DataTypes.DoubleType, true));
    fields.add(DataTypes.createStructField(Cols.LONGITUDE, DataTypes.DoubleType, true));
    for (String a : attributes) {
      fields.add(
          DataTypes.createStructField(
              a,
              numericAttributes.contains(a) ? DataTypes.DoubleType : DataTypes.StringType,
              true));
    }
    fields.add(DataTypes.createStructField(Cols.REASON, DataTypes.StringType, true));
    StructType schema = DataTypes.createStructType(fields);
    return raw.map(new Check(source, numericAttributes, raw.schema()), Encoders.row(schema));
  }

  /** The first problem of one fix, or null. Plain Java so it is unit-tested without Spark. */
  public static Problem problem(
      String individual,
      String timestamp,
      String latitude,
      String longitude,
      Timestamps timestamps) {
    return problem(individual, timestamp, time(timestamp, timestamps), latitude, longitude);
  }

  /** The instant of a timestamp's text, or null when missing or unparseable. */
  private static Instant time(String timestamp, Timestamps timestamps) {
    return missing(timestamp) ? null : timestamps.parse(timestamp);
  }

  /** As above, with the timestamp already parsed into {@code time} (null when it could not be). */
  private static Problem problem(
      String individual, String timestamp, Instant time, String latitude, String longitude) {
    if (missing(individual)) {
      return Problem.MISSING_INDIVIDUAL;
    }
    if (missing(timestamp)) {
      return Problem.MISSING_TIMESTAMP;
    }
    if (time == null) {
      return Problem.BAD_TIMESTAMP;
    }
    Problem lat =
        coordinateProblem(
            latitude,
            -90,
            90,
            Problem.MISSING_LATITUDE,
            Problem.BAD_LATITUDE,
            Problem.LATITUDE_RANGE);
    // longitudes east of 180 are the 0-360 convention of many ocean datasets
    return lat != null
        ? lat
        : coordinateProblem(
            longitude,
            -180,
            360,
            Problem.MISSING_LONGITUDE,
            Problem.BAD_LONGITUDE,
            Problem.LONGITUDE_RANGE);
  }

  private static Problem coordinateProblem(
      String text, double min, double max, Problem missing, Problem bad, Problem range) {
    if (missing(text)) {
      return missing;
    }
    Double v = number(text);
    if (v == null) {
      return bad;
    }
    return v < min || v > max ? range : null;
  }

  /** A valid longitude in [-180, 180]: one of the 0-360 convention east of 180 less 360. */
  static double longitude(String text) {
    double v = number(text);
    return v > 180 ? v - 360 : v;
  }

  static boolean missing(String text) {
    if (text == null) {
      return true;
    }
    String t = text.trim();
    return t.isEmpty() || t.equalsIgnoreCase("NA") || t.equalsIgnoreCase("null");
  }

  static Double number(String text) {
    try {
      double v = Double.parseDouble(text.trim());
      return Double.isFinite(v) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static final class Check implements MapFunction<Row, Row> {
    private final TrackSource source;
    private final List<String> numeric;
    private final StructType rawSchema;
    private transient Timestamps timestamps;

    Check(TrackSource source, List<String> numeric, StructType rawSchema) {
      this.source = source;
      this.numeric = numeric;
      this.rawSchema = rawSchema;
    }

    @Override
    public Row call(Row r) {
      if (timestamps == null) {
        timestamps = source.timestamps();
      }
      String individual = r.getAs(Cols.INDIVIDUAL_TEXT);
      String ts = r.getAs(Cols.TIMESTAMP_TEXT);
      String lat = r.getAs(Cols.LATITUDE_TEXT);
      String lon = r.getAs(Cols.LONGITUDE_TEXT);
      Instant time = time(ts, timestamps);
      Problem problem = problem(individual, ts, time, lat, lon);
      String reason = problem == null ? null : problem.text();
      List<String> attributes = source.attributes();
      Object[] attributeValues = new Object[attributes.size()];
      for (int i = 0; i < attributes.size(); i++) {
        String text = r.getAs(attributes.get(i));
        if (numeric.contains(attributes.get(i))) {
          Double v = missing(text) ? null : number(text);
          if (v == null && reason == null) {
            reason = (missing(text) ? "missing " : "unparseable ") + attributes.get(i);
          }
          attributeValues[i] = v;
        } else {
          attributeValues[i] = missing(text) ? null : text;
        }
      }
      List<Object> out = new ArrayList<>();
      for (StructField f : rawSchema.fields()) {
        if (!attributes.contains(f.name())) {
          out.add(r.getAs(f.name()));
        }
      }
      boolean ok = reason == null;
      out.add(ok ? individual.trim() : null);
      out.add(ok ? Timestamp.from(time) : null);
      out.add(ok ? number(lat) : null);
      out.add(ok ? longitude(lon) : null);
      for (Object v : attributeValues) {
        out.add(v);
      }
      out.add(reason);
      return RowFactory.create(out.toArray());
    }
  }
}
