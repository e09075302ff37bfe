package org.shoal.pipeline.tracks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.util.Names;

/**
 * Reads track files of any {@link TrackFormat} into the canonical raw-fix table: {@code
 * source_file}, {@code individual_text}, {@code timestamp_text}, {@code latitude_text}, {@code
 * longitude_text} and the attribute columns, all as text so that validation can say exactly what
 * was wrong with a row.
 *
 * <p>Columns are matched by header name in every file (case-insensitively), never by position: the
 * files of a folder are grouped by their header (or Parquet schema) and each group is read with its
 * own. A file lacking a required column fails, naming the file, the setting to change and the
 * closest column names.
 */
public final class TrackReader {
  /**
   * Roles of the required columns, as named in the configuration ({@code
   * shoal.expand.tracks.columns.*}).
   */
  public static final String INDIVIDUAL = "individual";

  public static final String TIMESTAMP = "timestamp";
  public static final String LATITUDE = "latitude";
  public static final String LONGITUDE = "longitude";
  private static final String ALTERNATIVE_INDIVIDUAL = "_alternative_individual";

  private TrackReader() {}

  /**
   * What was read.
   *
   * @param raw the canonical raw-fix table
   * @param source the source with the column names found (as spelled in the first file) and the
   *     attributes present
   * @param files the files read, in order
   * @param individualsFrom which column identified individuals, and why when it was not the first
   *     choice
   * @param attributesLeftOut optional attributes that no file has
   * @param separators the files that are not comma-separated, and their separator
   */
  public record Tracks(
      Dataset<Row> raw,
      TrackSource source,
      List<String> files,
      String individualsFrom,
      List<String> attributesLeftOut,
      Map<String, String> separators) {
    /**
     * For reports: the path, format, files, the column found for each role, attributes carried and
     * left out.
     */
    public Map<String, Object> summary() {
      Map<String, String> columns = new LinkedHashMap<>();
      columns.put(INDIVIDUAL, source.individualColumn());
      columns.put(TIMESTAMP, source.timestampColumn());
      columns.put(LATITUDE, source.latitudeColumn());
      columns.put(LONGITUDE, source.longitudeColumn());
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("path", source.path());
      out.put("format", org.shoal.pipeline.util.Enums.word(source.format()));
      out.put("files", files);
      out.put("individualsFrom", individualsFrom);
      out.put("columns", columns);
      out.put("attributes", source.attributes());
      out.put("attributesLeftOut", attributesLeftOut);
      out.put("separators", separators);
      return out;
    }
  }

  public static Tracks read(SparkSession spark, TrackSource source) {
    List<TrackFiles.Group> groups = TrackFiles.groups(spark, source.path(), source.format());
    List<String> files = groups.stream().flatMap(g -> g.files().stream()).toList();

    List<String> attributes = new ArrayList<>(source.attributes());
    List<String> leftOut = new ArrayList<>();
    for (String a : source.optionalAttributes()) {
      if (attributes.contains(a)) {
        continue;
      }
      if (groups.stream().anyMatch(g -> Names.find(a, g.columns()).isPresent())) {
        attributes.add(a);
      } else {
        leftOut.add(a);
      }
    }

    TrackFiles.Group first = groups.get(0);
    Map<String, String> found = new LinkedHashMap<>();
    List<Required> required = Required.of(source);
    for (Required r : required) {
      found.put(r.role(), resolve(first, source, r.role(), r.configured(), r.candidates()));
    }
    String alternative =
        source.individualColumn() == null
                && source.format().individualWhenUniquePerRow != null
                && groups.stream()
                    .allMatch(
                        g ->
                            Names.find(source.format().individualWhenUniquePerRow, g.columns())
                                .isPresent())
            ? source.format().individualWhenUniquePerRow
            : null;

    Dataset<Row> raw = null;
    for (TrackFiles.Group g : groups) {
      Dataset<Row> table = TrackFiles.read(spark, g, source.format());
      List<Column> cols = new ArrayList<>();
      cols.add(col(Cols.SOURCE_FILE));
      for (Required r : required) {
        Column text = text(table, g, source, r.role(), found.get(r.role()), r.textColumn(), true);
        cols.add(r.numeric() ? numbers(g, text, r.textColumn()) : text);
      }
      for (String a : attributes) {
        cols.add(
            numbers(
                g, text(table, g, source, "attribute", a, a, source.attributes().contains(a)), a));
      }
      if (alternative != null) {
        cols.add(text(table, g, source, INDIVIDUAL, alternative, ALTERNATIVE_INDIVIDUAL, true));
      }
      Dataset<Row> canonical = table.select(cols.toArray(Column[]::new));
      raw = raw == null ? canonical : raw.unionByName(canonical);
    }

    String individualsFrom = found.get(INDIVIDUAL);
    if (alternative != null) {
      Row counts = raw.agg(count(lit(1)), countDistinct(col(Cols.INDIVIDUAL_TEXT))).first();
      boolean uniquePerRow = counts.getLong(0) > 1 && counts.getLong(0) == counts.getLong(1);
      if (uniquePerRow) {
        individualsFrom =
            Names.find(alternative, first.columns()).orElse(alternative)
                + " ("
                + found.get(INDIVIDUAL)
                + " is unique per row: a detection id, not an animal)";
        found.put(INDIVIDUAL, Names.find(alternative, first.columns()).orElse(alternative));
        raw = raw.withColumn(Cols.INDIVIDUAL_TEXT, col(ALTERNATIVE_INDIVIDUAL));
      }
      raw = raw.drop(ALTERNATIVE_INDIVIDUAL);
    }
    TrackSource resolved =
        new TrackSource(
            source.format(),
            source.path(),
            found.get(INDIVIDUAL),
            found.get(TIMESTAMP),
            found.get(LATITUDE),
            found.get(LONGITUDE),
            attributes,
            List.of(),
            source.timestampFormat());
    return new Tracks(
        raw, resolved, files, individualsFrom, leftOut, TrackFiles.separators(groups));
  }

  /**
   * A required column: its role, the raw-fix column it becomes, the configured name (null: look for
   * the format's candidates) and the format's candidates.
   */
  private record Required(
      String role, String textColumn, String configured, List<String> candidates) {
    boolean numeric() {
      return role.equals(LATITUDE) || role.equals(LONGITUDE);
    }

    static List<Required> of(TrackSource s) {
      TrackFormat f = s.format();
      return List.of(
          new Required(INDIVIDUAL, Cols.INDIVIDUAL_TEXT, s.individualColumn(), f.individual),
          new Required(TIMESTAMP, Cols.TIMESTAMP_TEXT, s.timestampColumn(), f.timestamp),
          new Required(LATITUDE, Cols.LATITUDE_TEXT, s.latitudeColumn(), f.latitude),
          new Required(LONGITUDE, Cols.LONGITUDE_TEXT, s.longitudeColumn(), f.longitude));
    }
  }

  /**
   * The column of {@code role} in the group's header: the configured name, else the format's first
   * match.
   */
  private static String resolve(
      TrackFiles.Group group,
      TrackSource source,
      String role,
      String configured,
      List<String> candidates) {
    List<String> wanted =
        configured == null || configured.isBlank() ? candidates : List.of(configured);
    for (String w : wanted) {
      var hit = Names.find(w, group.columns());
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    throw missing(group, source, role, wanted.get(0), wanted);
  }

  /** Coordinates and attributes of a semicolon- or tab-separated file: decimal commas read. */
  private static Column numbers(TrackFiles.Group group, Column text, String as) {
    return group.delimiter() == ',' ? text : TrackFiles.decimalPoint(text).as(as);
  }

  private static Column text(
      Dataset<Row> table,
      TrackFiles.Group group,
      TrackSource source,
      String role,
      String name,
      String as,
      boolean required) {
    var hit = Names.find(name, group.columns());
    if (hit.isEmpty()) {
      if (!required) {
        return lit(null).cast(DataTypes.StringType).as(as);
      }
      throw missing(group, source, role, name, List.of(name));
    }
    return trim(table.col(group.sparkName(hit.get())).cast(DataTypes.StringType)).as(as);
  }

  private static IllegalArgumentException missing(
      TrackFiles.Group group, TrackSource source, String role, String name, List<String> tried) {
    String setting =
        role.equals("attribute")
            ? "remove it from shoal.expand.tracks.attributes"
            : "set shoal.expand.tracks.columns." + role + " = <column>";
    return TrackFiles.missingColumn(
        group,
        (role.equals("attribute") ? "track attribute column '" : "the " + role + " column '")
            + (tried.size() > 1 ? String.join("' or '", tried) : name)
            + "'",
        source.format().name().toLowerCase(Locale.ROOT) + " format",
        setting,
        tried);
  }
}
