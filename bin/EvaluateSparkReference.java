import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The second reference for evaluate in `bin/benchmark compare`: the queries of EvaluateReference.java (DuckDB)
 * as plain Spark SQL, in a fresh JVM with shoal's session settings (local[*], 8 shuffle partitions, UTC), on the
 * same infer output: one row per decision (the selected choice's log-probability, the uniform model's and the
 * grouping columns), the metrics of the same six grouping sets, the calibration over every choice and the
 * per-individual means, each collected to the driver as shoal's evaluate writes them. This is what any Spark
 * program pays for that work, JIT and planning included. Its metrics are then compared with shoal's (to 1e-9:
 * the sums run in another order) and it fails if any differs.
 *
 * <p>java -cp shoal.jar bin/EvaluateSparkReference.java PREDICTIONS SHOAL_METRICS MODEL_NAME
 *
 * <p>Prints one line: "spark SECONDS METRIC_ROWS MAX_DIFFERENCE" (the time excludes JVM and session start and
 * the comparison).
 */
public class EvaluateSparkReference {
  static final String[][] SETS = {
    {}, {"split"}, {"split", "moved"}, {"split", "distance_bin"}, {"split", "release_region"}, {"split", "month"}
  };

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
    String model = args[2];
    long start = System.nanoTime();
    spark.read().parquet(args[0] + "/decisions/choices").createOrReplaceTempView("choices");
    spark
        .sql(
            "SELECT individual, decision,"
                + " ln(sum(probability) FILTER (WHERE selected)) AS ll,"
                + " -ln(count(*)) AS ull,"
                + " any_value(split) FILTER (WHERE selected) AS split,"
                + " any_value(cell <> origin_cell) FILTER (WHERE selected) AS moved,"
                + " any_value(CASE WHEN distance_km = 0 THEN 'stay' WHEN distance_km <= 50 THEN '0-50 km'"
                + "   WHEN distance_km <= 100 THEN '50-100 km' ELSE '> 100 km' END) FILTER (WHERE selected)"
                + "   AS distance_bin,"
                + " any_value(release_region) FILTER (WHERE selected) AS release_region,"
                + " any_value(month) FILTER (WHERE selected) AS month"
                + " FROM choices GROUP BY individual, decision")
        .cache()
        .createOrReplaceTempView("d");
    List<String> perSet = new ArrayList<>();
    for (String[] set : SETS) {
      String grouping = set.length == 0 ? "'all'" : "'" + String.join(",", set) + "'";
      String group = "'all'";
      String keys = "individual";
      if (set.length > 0) {
        List<String> parts = new ArrayList<>();
        for (String g : set) {
          parts.add("'" + g + "=' || coalesce(lower(CAST(" + g + " AS STRING)), 'null')");
        }
        group = String.join(" || ', ' || ", parts);
        keys = String.join(", ", set) + ", individual";
      }
      perSet.add(
          "SELECT " + grouping + " AS grouping, " + group + " AS grp, individual, count(*) AS n,"
              + " sum(ll) AS s, sum(ull) AS us FROM d GROUP BY " + keys);
    }
    List<Row> metrics =
        spark
            .sql(
                "SELECT '" + model + "' AS model, grouping, grp AS `group`, sum(n) AS decisions,"
                    + " count(*) AS individuals, avg(s / n) AS d_nlp, sum(s) / sum(n) AS mean_ll,"
                    + " exp(avg(s / n)) AS gmp, avg(us / n) AS uniform_d_nlp"
                    + " FROM (" + String.join(" UNION ALL ", perSet) + ") GROUP BY grouping, grp")
            .collectAsList();
    spark
        .sql(
            "SELECT least(floor(probability * 10), 9) AS bin, avg(probability) AS mean_predicted,"
                + " avg(CAST(selected AS DOUBLE)) AS observed, count(*) AS choices"
                + " FROM choices GROUP BY 1 ORDER BY 1")
        .collectAsList();
    spark
        .sql(
            "SELECT individual, avg(ll - ull) AS mean_ll_diff, count(*) AS decisions, first(split) AS colour"
                + " FROM d GROUP BY individual ORDER BY mean_ll_diff DESC, individual")
        .collectAsList();
    double seconds = (System.nanoTime() - start) / 1e9;

    // Every shoal metric row of this model on the decisions has its twin here, and no value differs.
    spark.createDataFrame(metrics, metrics.get(0).schema()).createOrReplaceTempView("reference");
    spark.read().parquet(args[1]).createOrReplaceTempView("shoal");
    Dataset<Row> shoal =
        spark.sql(
            "SELECT * FROM shoal WHERE model = '" + model + "' AND dataset = 'decisions' AND subset = 'all'");
    shoal.createOrReplaceTempView("shoal_rows");
    Row worst =
        spark
            .sql(
                "SELECT count(*), max(greatest(abs(m.d_nlp - r.d_nlp), abs(m.mean_ll - r.mean_ll),"
                    + " abs(m.gmp - r.gmp), abs(m.uniform_d_nlp - r.uniform_d_nlp),"
                    + " abs(m.decisions - r.decisions), abs(m.individuals - r.individuals)))"
                    + " FROM reference r JOIN shoal_rows m"
                    + " ON m.model = r.model AND m.grouping = r.grouping AND m.`group` = r.`group`")
            .first();
    long shoalRows = shoal.count();
    if (worst.getLong(0) != metrics.size() || shoalRows != metrics.size()) {
      throw new IllegalStateException(
          "metric rows differ: Spark " + metrics.size() + ", shoal " + shoalRows + ", matched " + worst.get(0));
    }
    double difference = worst.getDouble(1);
    if (!(difference <= 1e-9)) {
      throw new IllegalStateException("metrics differ from shoal's by up to " + difference);
    }
    System.out.printf(Locale.ROOT, "spark %.3f %d %.3g%n", seconds, metrics.size(), difference);
    spark.stop();
  }
}
