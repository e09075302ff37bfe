import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reference for `bin/benchmark compare`: evaluate's outputs computed by DuckDB (SQL, one process, 2
 * threads) from the same infer output, with the model's probabilities and the uniform model, every choice,
 * the grouping sets [split], [split, moved], [split, distance_bin], [split, release_region], [split, month]
 * and the whole table: metrics (decisions, individuals, D-NLP, mean ll, GMP, uniform D-NLP), calibration (10
 * bins over every choice) and per-individual mean differences to uniform. Then it compares its metrics with
 * shoal's metrics/ Parquet and fails if any differs by more than 1e-12.
 *
 * <p>java -cp duckdb_jdbc.jar bin/EvaluateReference.java PREDICTIONS SHOAL_METRICS MODEL_NAME
 *
 * <p>Prints one line: "duckdb SECONDS METRIC_ROWS MAX_DIFFERENCE" (the time excludes JVM start and the
 * comparison).
 */
public class EvaluateReference {
  static final String[][] SETS = {
    {}, {"split"}, {"split", "moved"}, {"split", "distance_bin"}, {"split", "release_region"}, {"split", "month"}
  };

  public static void main(String[] args) throws Exception {
    String predictions = args[0] + "/decisions/choices/**/*.parquet";
    String shoalMetrics = args[1] + "/*.parquet";
    String model = args[2];
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET threads = 2");
      long start = System.nanoTime();
      // One row per decision: the selected choice's log-probability, the uniform model's, and the
      // grouping columns of the selected choice (as evaluate takes them).
      s.execute(
          "CREATE TEMP TABLE d AS SELECT individual, decision,"
              + " ln(sum(probability) FILTER (WHERE selected)) AS ll,"
              + " -ln(count(*)) AS ull,"
              + " any_value(split) FILTER (WHERE selected) AS split,"
              + " any_value(cell <> origin_cell) FILTER (WHERE selected) AS moved,"
              + " any_value(CASE WHEN distance_km = 0 THEN 'stay' WHEN distance_km <= 50 THEN '0-50 km'"
              + "   WHEN distance_km <= 100 THEN '50-100 km' ELSE '> 100 km' END) FILTER (WHERE selected)"
              + "   AS distance_bin,"
              + " any_value(release_region) FILTER (WHERE selected) AS release_region,"
              + " any_value(month) FILTER (WHERE selected) AS month"
              + " FROM read_parquet('" + predictions + "', hive_partitioning = true)"
              + " GROUP BY individual, decision");
      List<String> perSet = new ArrayList<>();
      for (String[] set : SETS) {
        String grouping = set.length == 0 ? "'all'" : "'" + String.join(",", set) + "'";
        String group = "'all'";
        if (set.length > 0) {
          List<String> parts = new ArrayList<>();
          for (String g : set) {
            parts.add("'" + g + "=' || coalesce(lower(CAST(" + g + " AS VARCHAR)), 'null')");
          }
          group = String.join(" || ', ' || ", parts);
        }
        perSet.add(
            "SELECT " + grouping + " AS grouping, " + group + " AS grp, individual, count(*) AS n,"
                + " sum(ll) AS s, sum(ull) AS us FROM d GROUP BY ALL");
      }
      s.execute(
          "CREATE TEMP TABLE metrics AS SELECT '" + model + "' AS model, grouping, grp AS \"group\","
              + " sum(n) AS decisions, count(*) AS individuals, avg(s / n) AS d_nlp,"
              + " sum(s) / sum(n) AS mean_ll, exp(avg(s / n)) AS gmp, avg(us / n) AS uniform_d_nlp"
              + " FROM (" + String.join(" UNION ALL ", perSet) + ") GROUP BY grouping, grp");
      s.execute(
          "CREATE TEMP TABLE calibration AS SELECT least(floor(probability * 10), 9)::INT AS bin,"
              + " avg(probability) AS mean_predicted, avg(selected::DOUBLE) AS observed, count(*) AS choices"
              + " FROM read_parquet('" + predictions + "', hive_partitioning = true) GROUP BY bin ORDER BY bin");
      s.execute(
          "CREATE TEMP TABLE individuals AS SELECT individual, avg(ll - ull) AS mean_ll_diff,"
              + " count(*) AS decisions, first(split) AS colour FROM d GROUP BY individual"
              + " ORDER BY mean_ll_diff DESC, individual");
      long rows = single(s, "SELECT count(*) FROM metrics");
      double seconds = (System.nanoTime() - start) / 1e9;

      // Every shoal metric row of this model on the decisions has its DuckDB twin, and no value differs.
      String joined =
          " FROM metrics r JOIN read_parquet('" + shoalMetrics + "') m"
              + " ON m.model = r.model AND m.grouping = r.grouping AND m.\"group\" = r.\"group\""
              + " WHERE m.dataset = 'decisions' AND m.subset = 'all'";
      long matched = single(s, "SELECT count(*)" + joined);
      long shoalRows =
          single(
              s,
              "SELECT count(*) FROM read_parquet('" + shoalMetrics + "') WHERE model = '" + model
                  + "' AND dataset = 'decisions' AND subset = 'all'");
      if (matched != rows || shoalRows != rows) {
        throw new IllegalStateException(
            "metric rows differ: DuckDB " + rows + ", shoal " + shoalRows + ", matched " + matched);
      }
      double worst;
      try (ResultSet r =
          s.executeQuery(
              "SELECT max(greatest(abs(m.d_nlp - r.d_nlp), abs(m.mean_ll - r.mean_ll), abs(m.gmp - r.gmp),"
                  + " abs(m.uniform_d_nlp - r.uniform_d_nlp), abs(m.decisions - r.decisions),"
                  + " abs(m.individuals - r.individuals)))" + joined)) {
        r.next();
        worst = r.getDouble(1);
      }
      if (!(worst <= 1e-12)) {
        throw new IllegalStateException("metrics differ from shoal's by up to " + worst);
      }
      System.out.printf(Locale.ROOT, "duckdb %.3f %d %.3g%n", seconds, rows, worst);
    }
  }

  static long single(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
