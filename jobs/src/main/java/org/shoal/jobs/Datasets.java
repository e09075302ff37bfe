package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Split;

/**
 * A choice dataset on disk: a folder with {@code choices/} (Parquet, partitioned by split and
 * bucket) and {@code features.json}. expand writes one; augment and contrasts read one and write
 * another.
 */
final class Datasets {
  static final String CHOICES = "/choices";
  static final String MANIFEST = "/features.json";
  static final String BUCKET = "bucket";

  private static final String MAX_PARTITION_BYTES = "spark.sql.files.maxPartitionBytes";
  private static final String OPEN_COST_IN_BYTES = "spark.sql.files.openCostInBytes";
  private static final String WHOLE_FILE_BYTES = String.valueOf(1L << 50);

  private Datasets() {}

  static Dataset<Row> choices(SparkSession spark, String folder) {
    return choiceTable(spark, folder).rows();
  }

  /** {@link #choices}, with its row count from the files' footers. */
  static Inputs.ParquetTable choiceTable(SparkSession spark, String folder) {
    Inputs.requireExists(spark, folder + CHOICES, "choice table");
    Inputs.ParquetTable choices = Inputs.sparkParquet(spark, folder + CHOICES);
    if (choices.count() == 0) {
      throw new IllegalArgumentException(
          "the choice table "
              + folder
              + CHOICES
              + " has no rows (0 decisions); see "
              + folder
              + "/report.json");
    }
    return choices;
  }

  static FeatureManifest manifest(SparkSession spark, String folder) throws IOException {
    return readManifest(spark, folder + MANIFEST);
  }

  static FeatureManifest readManifest(SparkSession spark, String path) throws IOException {
    return FeatureManifest.fromJson(Inputs.text(spark, path, "feature manifest"), path);
  }

  /**
   * The identity of a choice dataset's content: a SHA-256 of its features.json (resolution, radius,
   * step, features, statistics) and of the names and sizes of its choice files. Models trained on
   * different data never share a run id, and the same files give the same id wherever they are.
   */
  static String fingerprint(SparkSession spark, String folder) throws IOException {
    StringBuilder b =
        new StringBuilder(Inputs.text(spark, folder + MANIFEST, "feature manifest")).append('\n');
    for (var f : Stages.listing(spark, folder + CHOICES).entrySet()) {
      b.append(f.getKey()).append(' ').append(f.getValue().size()).append('\n');
    }
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String DICTIONARY_PAGE_BYTES = "parquet.dictionary.page.size";

  /**
   * Parquet builds each column's dictionary until it exceeds this size, then gives up and writes
   * the column plain; at the default 1 MB a column with a new double on most rows (noisy copies,
   * contrast rows) went through the dictionary's hash map for 131 k distinct values first. At 128
   * KB columns of few values (ids, cells, stay-put, day-of-year terms) keep their dictionary and
   * the others give up sooner: on the demo augment's write 12.0-14.8 s -> 10.9-11.5 s and
   * contrasts' 19.4-20.1 s -> 17.0-18.1 s (three interleaved pairs), for files 15 % and 4 % larger.
   */
  private static final String DICTIONARY_PAGE_SIZE = String.valueOf(128 * 1024);

  /**
   * Writes choices partitioned by split (and bucket when present), rows sorted by id within each
   * file.
   */
  static void writeChoices(Dataset<Row> rows, String folder) {
    writePartitioned(partitioned(rows), folder);
  }

  /**
   * Writes choices already {@link #partitioned} and sorted within partitions as {@link
   * #writePartitioned} sorts them (as {@code ExpandDecisions.numbered} leaves them), with {@code
   * continuous} columns (a new value on nearly every row) written without Parquet's dictionary,
   * which they would fill only to give up.
   */
  static void writeLaidOut(Dataset<Row> parts, String folder, Set<String> continuous) {
    List<String> partitionBy = partitionColumns(parts);
    // One file per folder whatever the session says: every decision stays whole in one file, as
    // writeManifest declares.
    var writer =
        parts
            .write()
            .mode(SaveMode.Overwrite)
            .option("maxRecordsPerFile", 0)
            .option(DICTIONARY_PAGE_BYTES, DICTIONARY_PAGE_SIZE);
    // A model's outputs mostly take a new value on every row: Parquet's dictionary for them grows
    // until it gives up, about a tenth of infer's write time (measured on the demo's contrasts).
    for (String c : parts.columns()) {
      if (c.equals(Cols.LOG_ODDS) || c.startsWith(Cols.PROBABILITY) || continuous.contains(c)) {
        writer = writer.option("parquet.enable.dictionary#" + c, "false");
      }
    }
    writer.partitionBy(partitionBy.toArray(String[]::new)).parquet(folder + CHOICES);
  }

  /**
   * Writes the features.json of choices written by {@link #writeLaidOut} (or the writes built on
   * it), declaring their layout: each decision's rows in one file, sorted by individual, decision
   * and choice.
   */
  static void writeManifest(SparkSession spark, FeatureManifest manifest, String folder)
      throws IOException {
    Outputs.text(
        spark,
        manifest.withLayout(FeatureManifest.DECISIONS_IN_SORTED_FILES).toJson(),
        folder + MANIFEST);
  }

  /**
   * The work of {@code attempt} on a table whose features.json declares its layout ({@link
   * #writeManifest}), run with every file read whole by one task ({@link #withWholeFiles}) so that
   * it streams through the table without a shuffle. {@code attempt} checks what it assumed and
   * returns null when the rows proved otherwise; this then says so, naming {@code table} and what
   * the caller does instead ({@code remedy}), and returns null too.
   */
  static <T> T streamedAsDeclared(
      SparkSession spark,
      Progress progress,
      String table,
      String remedy,
      java.util.function.Supplier<T> attempt) {
    T result = withWholeFiles(spark, attempt);
    if (result == null) {
      progress.info(
          "the rows of "
              + table
              + " are not whole decisions in sorted files, as its features.json says (rewritten"
              + " by another tool?): "
              + remedy);
    }
    return result;
  }

  /** Open {@link #withWholeFiles} scopes and the settings the first one replaced. */
  private static int wholeFileScopes;

  private static final java.util.Map<String, String> BEFORE_WHOLE_FILES = new java.util.HashMap<>();

  /**
   * Runs {@code action} with every Parquet file it reads read whole by one task: Spark otherwise
   * splits large files and packs small ones together. A file of rows sorted by decision then
   * streams through one task in order. Session settings, restored when the last of the scopes open
   * at once (evaluate streams two tables side by side) closes; other work running meanwhile reads
   * whole files too, which changes only how it is split into tasks.
   */
  private static <T> T withWholeFiles(SparkSession spark, java.util.function.Supplier<T> action) {
    var conf = spark.conf();
    List<String> keys = List.of(MAX_PARTITION_BYTES, OPEN_COST_IN_BYTES);
    synchronized (BEFORE_WHOLE_FILES) {
      if (wholeFileScopes++ == 0) {
        keys.forEach(k -> BEFORE_WHOLE_FILES.put(k, conf.contains(k) ? conf.get(k) : null));
        // Each file's cost then exceeds any partition's capacity: one file per partition, unsplit.
        keys.forEach(k -> conf.set(k, WHOLE_FILE_BYTES));
      }
    }
    try {
      return action.get();
    } finally {
      synchronized (BEFORE_WHOLE_FILES) {
        if (--wholeFileScopes == 0) {
          BEFORE_WHOLE_FILES.forEach(
              (k, v) -> {
                if (v == null) {
                  conf.unset(k);
                } else {
                  conf.set(k, v);
                }
              });
          BEFORE_WHOLE_FILES.clear();
        }
      }
    }
  }

  /**
   * Whether the choice table in {@code folder} declares, in its features.json, the layout {@link
   * #writeManifest} writes (false without a features.json).
   */
  static boolean declaresSortedFiles(SparkSession spark, String folder) throws IOException {
    Path path = new Path(folder + MANIFEST);
    return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)
        && manifest(spark, folder).decisionsInSortedFiles();
  }

  /** The columns choice tables are partitioned by on disk (split, and bucket when there is one). */
  static List<String> partitionColumns(Dataset<Row> rows) {
    return Arrays.asList(rows.columns()).contains(BUCKET)
        ? List.of(Cols.SPLIT, BUCKET)
        : List.of(Cols.SPLIT);
  }

  /** Whether the rows have cells (origin and choice): imported tables have none. */
  static boolean hasCells(Dataset<Row> rows) {
    return Arrays.asList(rows.columns()).containsAll(List.of(Cols.ORIGIN_CELL, Cols.CELL));
  }

  /** {@link #partitionColumns} as columns. */
  static Column[] layout(Dataset<Row> rows) {
    return partitionColumns(rows).stream().map(c -> col(c)).toArray(Column[]::new);
  }

  /**
   * The rows hash-partitioned by {@link #partitionColumns}, as {@link #writePartitioned} needs
   * them.
   */
  static Dataset<Row> partitioned(Dataset<Row> rows) {
    // The session's (adaptive) number of partitions.
    return rows.repartition(layout(rows));
  }

  /**
   * The rows hash-partitioned by split and bucket, as {@link #partitioned}, into the fewest
   * partitions (at least one per folder) in which no two folders share one. Spark's hash sends some
   * of so few keys to one partition (8 folders into 8 partitions fill 5 on average), and folders
   * sharing a partition share a task while other cores wait; an empty partition costs a few
   * milliseconds.
   */
  static Dataset<Row> oneFolderPerPartition(Dataset<Row> rows, int buckets) {
    return rows.repartition(partitionsApart(rows.sparkSession(), buckets), layout(rows));
  }

  /**
   * The fewest partitions, at least one per (split, bucket) folder, among which Spark's hash
   * partitioning by split and bucket puts every folder alone (the folder count itself when none up
   * to 64 times as many does).
   */
  static int partitionsApart(SparkSession spark, int buckets) {
    List<Row> folders = new java.util.ArrayList<>();
    for (Split split : Split.values()) {
      for (int b = 0; b < buckets; b++) {
        folders.add(RowFactory.create(split.label(), b));
      }
    }
    StructType schema =
        new StructType().add(Cols.SPLIT, DataTypes.StringType).add(BUCKET, DataTypes.IntegerType);
    // functions.hash is the expression hash partitioning takes modulo the partition count; over a
    // local relation it is computed on the driver, without a job.
    int[] hashes =
        spark
            .createDataFrame(folders, schema)
            .select(hash(col(Cols.SPLIT), col(BUCKET)))
            .collectAsList()
            .stream()
            .mapToInt(r -> r.getInt(0))
            .toArray();
    for (int n = hashes.length; n <= 64 * hashes.length; n++) {
      int partitions = n;
      if (Arrays.stream(hashes).map(h -> Math.floorMod(h, partitions)).distinct().count()
          == hashes.length) {
        return n;
      }
    }
    return hashes.length;
  }

  /**
   * Writes rows already {@link #partitioned}: sorted by individual, decision and choice within each
   * file. The sort leads with the partition columns, the order Spark's partitioned write needs:
   * sorted by the ids alone, the write would sort again by the partition columns, and a sort that
   * spills to disk does not keep the ids' order within them.
   */
  static void writePartitioned(Dataset<Row> parts, String folder) {
    List<String> order = new java.util.ArrayList<>(partitionColumns(parts));
    order.addAll(List.of(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE));
    writeLaidOut(
        parts.sortWithinPartitions(order.stream().map(c -> col(c)).toArray(Column[]::new)),
        folder,
        Set.of());
  }
}
