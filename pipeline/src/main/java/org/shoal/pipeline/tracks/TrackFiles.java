package org.shoal.pipeline.tracks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.Type;
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
import org.shoal.pipeline.schema.Cols;

/**
 * The files behind a track path (a file, a folder or a glob), grouped by their columns: the header
 * line of a text file, the schema of a Parquet file. Each group is read with its own header, so
 * columns are always matched by name.
 */
public final class TrackFiles {
  private TrackFiles() {}

  /**
   * A column a table must have: what it is (for messages), its name, and the setting that names it.
   */
  public record Required(String what, String column, String setting) {}

  /**
   * Any table (CSV with a header, or Parquet) read with every file's own header: files whose
   * columns come in other orders line up by name; a file lacking a {@code required} column (looked
   * up case-insensitively) fails naming the file and the setting to change. Columns are named as in
   * the first file that has them.
   */
  public static Dataset<Row> table(
      SparkSession spark, String path, boolean parquet, List<Required> required) {
    TrackFormat format = parquet ? TrackFormat.PARQUET : TrackFormat.CSV;
    Dataset<Row> out = null;
    List<String> names = new ArrayList<>();
    for (Group g : groups(spark, path, format)) {
      if (g.byPosition()) {
        throw new IllegalArgumentException(
            "the header of "
                + g.files().get(0)
                + " has blank or repeated column names: "
                + g.columns());
      }
      for (Required r : required) {
        if (org.shoal.pipeline.util.Names.find(r.column(), g.columns()).isEmpty()) {
          throw missingColumn(
              g,
              "the " + r.what() + " column '" + r.column() + "'",
              format.name().toLowerCase(java.util.Locale.ROOT),
              r.setting(),
              List.of(r.column()));
        }
      }
      Dataset<Row> t = read(spark, g, format);
      if (g.delimiter() != ',') {
        Map<String, Column> numbers = new LinkedHashMap<>();
        for (String c : g.columns()) {
          numbers.put(c, decimalPoint(t.col(g.sparkName(c))));
        }
        t = t.withColumns(numbers);
      }
      // one spelling per column across files (headers may differ in case)
      for (String c : g.columns()) {
        var known = org.shoal.pipeline.util.Names.find(c, names);
        if (known.isEmpty()) {
          names.add(c);
        } else if (!known.get().equals(c)) {
          t = t.withColumnRenamed(c, known.get());
        }
      }
      out = out == null ? t : out.unionByName(t, true);
    }
    return out;
  }

  /**
   * A value of a semicolon- or tab-separated file written with a decimal comma (digits, one comma,
   * digits: how spreadsheets write numbers where the comma is the decimal separator) with a decimal
   * point instead, so it reads as the number it is; any other text as it was.
   */
  static Column decimalPoint(Column text) {
    return regexp_replace(text, "^(\\s*[+-]?[0-9]*),([0-9]+\\s*)$", "$1.$2");
  }

  /** Which files are not comma-separated, and their separator in words (for reports). */
  static Map<String, String> separators(List<Group> groups) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Group g : groups) {
      if (g.delimiter() != ',') {
        g.files().forEach(f -> out.put(f, CsvLine.name(g.delimiter())));
      }
    }
    return out;
  }

  /** "X is not in FILE (what); setting; closest columns: ...; its columns are [...]". */
  static IllegalArgumentException missingColumn(
      Group group, String what, String format, String setting, List<String> tried) {
    List<String> close = new ArrayList<>();
    for (String t : tried) {
      for (String c : org.shoal.pipeline.util.Names.closest(t, group.columns(), 3)) {
        if (!close.contains(c)) {
          close.add(c);
        }
      }
    }
    return new IllegalArgumentException(
        what
            + " is not in "
            + group.files().get(0)
            + " ("
            + format
            + "); "
            + setting
            + (close.isEmpty() ? "" : "; closest columns: " + String.join(", ", close))
            + "; its columns are "
            + group.columns());
  }

  /**
   * Files that share one header.
   *
   * @param columns the column names, as written in the header
   * @param headerLine the raw header line (text formats), to skip it in GPE3 files
   * @param basePath the folder of a partitioned Parquet dataset, or null
   * @param delimiter the field separator of a text file (found from its header line)
   */
  record Group(
      List<String> files,
      List<String> columns,
      String headerLine,
      String basePath,
      char delimiter) {
    /** The Spark column of a header column. */
    String sparkName(String column) {
      return byPosition() ? positional(columns.indexOf(column)) : "`" + column + "`";
    }

    /**
     * Text columns are named as in the header, so Spark's own header check agrees; by position when
     * the header has blank or repeated names, which Spark could not address.
     */
    boolean byPosition() {
      if (basePath != null || headerLine == null) {
        return false;
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (String c : columns) {
        if (c.isBlank() || !seen.add(c.toLowerCase(java.util.Locale.ROOT))) {
          return true;
        }
      }
      return false;
    }
  }

  static String positional(int i) {
    return "_column_" + i;
  }

  static List<Group> groups(SparkSession spark, String path, TrackFormat format) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<Path> files = list(conf, path, "track files");
    // files share a group when they share their columns and their separator
    Map<List<Object>, Group> groups = new LinkedHashMap<>();
    for (Path f : files) {
      Group g =
          format == TrackFormat.PARQUET
              ? parquetColumns(conf, f, path)
              : textHeader(conf, f, format);
      List<Object> key = List.of(g.columns(), g.delimiter());
      Group existing = groups.get(key);
      if (existing == null) {
        groups.put(key, g);
      } else {
        existing.files().addAll(g.files());
      }
    }
    return List.copyOf(groups.values());
  }

  static Dataset<Row> read(SparkSession spark, Group g, TrackFormat format) {
    String[] files = g.files().toArray(String[]::new);
    if (format == TrackFormat.GPE3) {
      return readGpe3(spark, g);
    }
    if (format == TrackFormat.PARQUET) {
      var reader = spark.read();
      if (g.basePath() != null) {
        reader = reader.option("basePath", g.basePath());
      }
      return reader.parquet(files).withColumn(Cols.SOURCE_FILE, input_file_name());
    }
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < g.columns().size(); i++) {
      String name = g.byPosition() ? positional(i) : g.columns().get(i);
      fields.add(DataTypes.createStructField(name, DataTypes.StringType, true));
    }
    StructType schema = DataTypes.createStructType(fields);
    // header = true skips each file's first line; the schema is this group's own header.
    return spark
        .read()
        .option("header", true)
        .option("sep", String.valueOf(g.delimiter()))
        .option("enforceSchema", true)
        .schema(schema)
        .csv(files)
        .withColumn(Cols.SOURCE_FILE, input_file_name());
  }

  /** GPE3 files open with comment lines ({@code "; ...}) and a blank line before the CSV header. */
  private static Dataset<Row> readGpe3(SparkSession spark, Group g) {
    Dataset<Row> lines =
        spark
            .read()
            .text(g.files().toArray(String[]::new))
            .withColumn(Cols.SOURCE_FILE, input_file_name())
            .filter(
                trim(col("value")).notEqual("").and(col("value").startsWith("\";").unary_$bang()));
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < g.columns().size(); i++) {
      String name = g.byPosition() ? positional(i) : g.columns().get(i);
      fields.add(DataTypes.createStructField(name, DataTypes.StringType, true));
    }
    fields.add(DataTypes.createStructField(Cols.SOURCE_FILE, DataTypes.StringType, true));
    StructType schema = DataTypes.createStructType(fields);
    int width = g.columns().size();
    return lines
        .filter(col("value").notEqual(g.headerLine()))
        .map((MapFunction<Row, Row>) r -> splitRow(r, width), Encoders.row(schema));
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

  /**
   * The data files at a path (a file, a folder, searched recursively, or a glob), sorted within
   * each folder.
   */
  public static List<Path> list(Configuration conf, String path, String what) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      List<Path> out = new ArrayList<>();
      if (matches != null) {
        for (FileStatus m : matches) {
          if (m.isFile()) {
            out.add(m.getPath());
            continue;
          }
          RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
          List<Path> inside = new ArrayList<>();
          while (it.hasNext()) {
            Path f = it.next().getPath();
            if (!hidden(f, m.getPath())) {
              inside.add(f);
            }
          }
          inside.sort(null);
          out.addAll(inside);
        }
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("no " + what + " found at " + path);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the " + what + " at " + path, e);
    }
  }

  /** Spark's and Hadoop's own files (_SUCCESS, .crc, _temporary/) are not data. */
  private static boolean hidden(Path file, Path root) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      if (p.getName().startsWith("_") || p.getName().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static Group textHeader(Configuration conf, Path file, TrackFormat format) {
    try (InputStream in = open(conf, file);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (format == TrackFormat.GPE3 && (line.isBlank() || line.startsWith("\";"))) {
          continue;
        }
        // GPE3 is the tag maker's own comma-separated export
        char delimiter = format == TrackFormat.GPE3 ? ',' : CsvLine.delimiter(line);
        List<String> names = CsvLine.split(line, delimiter).stream().map(String::trim).toList();
        return new Group(new ArrayList<>(List.of(display(file))), names, line, null, delimiter);
      }
      throw new IllegalArgumentException(
          "track file " + display(file) + " is empty: no header line");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the track file " + file, e);
    }
  }

  private static InputStream open(Configuration conf, Path file) throws IOException {
    InputStream in = file.getFileSystem(conf).open(file);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
    return codec == null ? in : codec.createInputStream(in);
  }

  private static Group parquetColumns(Configuration conf, Path file, String root) {
    List<String> names = new ArrayList<>();
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      for (Type t : reader.getFooter().getFileMetaData().getSchema().getFields()) {
        names.add(t.getName());
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "track file "
              + display(file)
              + " is not a Parquet file ("
              + firstLine(e.getMessage())
              + ")",
          e);
    }
    // Partition folders (key=value) add columns too.
    String base = null;
    try {
      Path rootPath = new Path(root);
      FileSystem fs = rootPath.getFileSystem(conf);
      if (fs.exists(rootPath) && fs.getFileStatus(rootPath).isDirectory()) {
        base = rootPath.toString();
        for (Path p = file.getParent();
            p != null && !fs.makeQualified(p).equals(fs.makeQualified(rootPath));
            p = p.getParent()) {
          int eq = p.getName().indexOf('=');
          if (eq > 0) {
            names.add(p.getName().substring(0, eq));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the track folder " + root, e);
    }
    return new Group(new ArrayList<>(List.of(display(file))), List.copyOf(names), null, base, ',');
  }

  /** A local file as a plain path (as the user wrote it), anything else as its URI. */
  private static String display(Path file) {
    return display(file.toUri(), file.toString());
  }

  /** The same for a file named as Spark's {@code input_file_name()} names it, by its URI. */
  public static String display(String uri) {
    return display(java.net.URI.create(uri), uri);
  }

  private static String display(java.net.URI uri, String otherwise) {
    return "file".equals(uri.getScheme()) ? uri.getPath() : otherwise;
  }

  private static String firstLine(String message) {
    return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
  }
}
