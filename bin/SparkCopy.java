import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The reference for `bin/benchmark compare`: a plain Spark copy of a choice table, laid out as shoal writes
 * one (hash-partitioned by split and bucket, sorted by individual, decision and choice within each file,
 * partitioned by split and bucket on disk), with shoal's session settings (local[*], 8 shuffle partitions,
 * UTC). This is the floor of a stage that reads a choice table and writes one of the same rows.
 *
 * <p>java -cp shoal.jar bin/SparkCopy.java INPUT_CHOICES OUTPUT_CHOICES
 *
 * <p>Prints one line: "copy SECONDS ROWS" (the time excludes JVM and session start).
 */
public class SparkCopy {
  public static void main(String[] args) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[*]")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", false)
            .config("spark.ui.showConsoleProgress", false)
            .config("spark.sql.shuffle.partitions", 8)
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    long start = System.nanoTime();
    Dataset<Row> rows = spark.read().parquet(args[0]);
    String[] parts =
        Arrays.asList(rows.columns()).contains("bucket")
            ? new String[] {"split", "bucket"}
            : new String[] {"split"};
    rows.repartition(Arrays.stream(parts).map(functions::col).toArray(Column[]::new))
        .sortWithinPartitions("individual", "decision", "choice")
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(parts)
        .parquet(args[1]);
    double seconds = (System.nanoTime() - start) / 1e9;
    long written = spark.read().parquet(args[1]).count();
    System.out.printf(Locale.ROOT, "copy %.3f %d%n", seconds, written);
    spark.stop();
  }
}
