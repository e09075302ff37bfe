import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The references of `bin/benchmark compare`, each timed without JVM start (and Spark session start).
 *
 * <p>java -cp shoal.jar bin/CompareReferences.java copy INPUT_CHOICES OUTPUT_CHOICES
 *
 * <p>A plain Spark copy of a choice table, laid out as shoal writes one (hash-partitioned by split and bucket,
 * sorted by individual, decision and choice within each file, partitioned by split and bucket on disk), with
 * shoal's session settings (local[*], 8 shuffle partitions, UTC): the floor of a stage that reads a choice table
 * and writes one of the same rows. Prints "copy SECONDS ROWS".
 *
 * <p>java -cp shoal.jar:duckdb_jdbc.jar bin/CompareReferences.java duckdb|spark PREDICTIONS SHOAL_METRICS MODEL
 *
 * <p>Evaluate's outputs from the same infer output, by one SQL text run by DuckDB (one process, 2 threads) or by
 * Spark (a fresh JVM, the session above): with the model's probabilities and the uniform model, every choice, the
 * grouping sets [split], [split, moved], [split, distance_bin], [split, release_region], [split, month] and the
 * whole table: metrics (decisions, individuals, D-NLP, mean ll, GMP, uniform D-NLP), calibration (10 bins over
 * every choice) and per-individual mean differences to uniform, each materialised. Then the metrics are compared
 * with shoal's metrics/ Parquet, and it fails if any differs by more than 1e-12 (DuckDB) or 1e-9 (Spark, whose
 * sums run in another order). Prints "ENGINE SECONDS METRIC_ROWS MAX_DIFFERENCE".
 *
 * <p>java -cp shoal.jar bin/CompareReferences.java repeat N SHOAL_ARGUMENTS...
 *
 * <p>Not a reference: runs one shoal command N times in one JVM and Spark session (as `shoal run` runs its
 * stages), which tells a stage's own work from a fresh JVM's compiling and loading. Prints "repeat SECONDS..."
 * with each run's time.
 */
public class CompareReferences {
  static final String[][] SETS = {
    {}, {"split"}, {"split", "moved"}, {"split", "distance_bin"}, {"split", "release_region"}, {"split", "month"}
  };

  /** Runs SQL on one engine; the few dialect differences are here. */
  interface Engine {
    /** A view named {@code name} over a folder of Parquet files (partitioned in folders or not). */
    void parquet(String name, String folder) throws SQLException;

    /** Computes a query into a table named {@code name}, whole. */
    void materialise(String name, String sql) throws SQLException;

    /** The first row of a query, as numbers. */
    double[] first(String sql) throws SQLException;

    /** A quoted identifier. */
    String quote(String name);

    /** The columns of a table or view. */
    List<String> columns(String name) throws SQLException;
  }

  /** What the SQL reads: the synthetic world's predictions, with its grouping columns. */
  static final List<String> COLUMNS =
      List.of("individual", "decision", "selected", "probability", "split", "cell", "origin_cell", "distance_km",
          "release_region", "month");

  public static void main(String[] args) throws Exception {
    boolean copy = args.length == 3 && args[0].equals("copy");
    boolean repeat = args.length >= 3 && args[0].equals("repeat");
    if (!copy && !repeat && !(args.length == 4 && (args[0].equals("duckdb") || args[0].equals("spark")))) {
      throw new IllegalArgumentException(
          "usage: copy IN OUT | duckdb|spark PREDICTIONS SHOAL_METRICS MODEL | repeat N SHOAL_ARGUMENTS...");
    }
    if (args[0].equals("duckdb")) {
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = c.createStatement()) {
        s.execute("SET threads = 2");
        evaluate("duckdb", duckdb(s), args[1], args[2], args[3], 1e-12);
      }
      return;
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[*]")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", false)
            .config("spark.ui.showConsoleProgress", false)
            .config("spark.sql.shuffle.partitions", 8)
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    if (copy) {
      copy(spark, args[1], args[2]);
    } else if (repeat) {
      repeat(Integer.parseInt(args[1]), Arrays.copyOfRange(args, 2, args.length));
    } else {
      evaluate("spark", spark(spark), args[1], args[2], args[3], 1e-9);
    }
    spark.stop();
  }

  static void copy(SparkSession spark, String input, String output) {
    long start = System.nanoTime();
    Dataset<Row> rows = spark.read().parquet(input);
    String[] parts =
        Arrays.asList(rows.columns()).contains("bucket")
            ? new String[] {"split", "bucket"}
            : new String[] {"split"};
    rows.repartition(Arrays.stream(parts).map(functions::col).toArray(Column[]::new))
        .sortWithinPartitions("individual", "decision", "choice")
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(parts)
        .parquet(output);
    double seconds = (System.nanoTime() - start) / 1e9;
    long written = spark.read().parquet(output).count();
    System.out.printf(Locale.ROOT, "copy %.3f %d%n", seconds, written);
  }

  static void repeat(int times, String[] command) {
    StringBuilder line = new StringBuilder("repeat");
    for (int i = 0; i < times; i++) {
      long start = System.nanoTime();
      int code = org.shoal.jobs.Shoal.execute(command);
      if (code != 0) {
        throw new IllegalStateException("run " + (i + 1) + " exited with " + code);
      }
      line.append(String.format(Locale.ROOT, " %.3f", (System.nanoTime() - start) / 1e9));
    }
    System.out.println(line);
  }

  static void evaluate(
      String name, Engine engine, String predictions, String shoalMetrics, String model, double tolerance)
      throws SQLException {
    long start = System.nanoTime();
    engine.parquet("choices", predictions + "/decisions/choices");
    List<String> missing = new ArrayList<>(COLUMNS);
    missing.removeAll(engine.columns("choices"));
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          predictions + " lacks the columns " + missing + " that the reference's grouping sets read: it compares"
              + " evaluate on the benchmark's synthetic world (bin/benchmark compare)");
    }
    // One row per decision: the selected choice's log-probability, the uniform model's, and the grouping
    // columns of the selected choice (as evaluate takes them).
    engine.materialise(
        "d",
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
            + " FROM choices GROUP BY individual, decision");
    List<String> perSet = new ArrayList<>();
    for (String[] set : SETS) {
      String grouping = set.length == 0 ? "'all'" : "'" + String.join(",", set) + "'";
      String group = "'all'";
      if (set.length > 0) {
        List<String> parts = new ArrayList<>();
        for (String g : set) {
          parts.add("'" + g + "=' || coalesce(lower(CAST(" + g + " AS STRING)), 'null')");
        }
        group = String.join(" || ', ' || ", parts);
      }
      perSet.add(
          "SELECT " + grouping + " AS grouping, " + group + " AS grp, individual, count(*) AS n,"
              + " sum(ll) AS s, sum(ull) AS us FROM d GROUP BY ALL");
    }
    engine.materialise(
        "metrics",
        "SELECT '" + model + "' AS model, grouping, grp AS " + engine.quote("group") + ","
            + " sum(n) AS decisions, count(*) AS individuals, avg(s / n) AS d_nlp,"
            + " sum(s) / sum(n) AS mean_ll, exp(avg(s / n)) AS gmp, avg(us / n) AS uniform_d_nlp"
            + " FROM (" + String.join(" UNION ALL ", perSet) + ") GROUP BY grouping, grp");
    engine.materialise(
        "calibration",
        "SELECT CAST(least(floor(probability * 10), 9) AS INT) AS bin, avg(probability) AS mean_predicted,"
            + " avg(CAST(selected AS DOUBLE)) AS observed, count(*) AS choices FROM choices GROUP BY 1 ORDER BY 1");
    engine.materialise(
        "individuals",
        "SELECT individual, avg(ll - ull) AS mean_ll_diff, count(*) AS decisions, first(split) AS colour"
            + " FROM d GROUP BY individual ORDER BY mean_ll_diff DESC, individual");
    long rows = (long) engine.first("SELECT count(*) FROM metrics")[0];
    double seconds = (System.nanoTime() - start) / 1e9;

    // Every shoal metric row of this model on the decisions has its twin here, and no value differs.
    engine.parquet("shoal", shoalMetrics);
    String group = engine.quote("group");
    String mine = "(SELECT * FROM shoal WHERE model = '" + model + "' AND dataset = 'decisions' AND subset = 'all')";
    double[] matched =
        engine.first(
            "SELECT count(*), max(greatest(abs(m.d_nlp - r.d_nlp), abs(m.mean_ll - r.mean_ll), abs(m.gmp - r.gmp),"
                + " abs(m.uniform_d_nlp - r.uniform_d_nlp), abs(m.decisions - r.decisions),"
                + " abs(m.individuals - r.individuals))) FROM metrics r JOIN " + mine + " m"
                + " ON m.model = r.model AND m.grouping = r.grouping AND m." + group + " = r." + group);
    long shoalRows = (long) engine.first("SELECT count(*) FROM " + mine)[0];
    if (matched[0] != rows || shoalRows != rows) {
      throw new IllegalStateException(
          "metric rows differ: " + name + " " + rows + ", shoal " + shoalRows + ", matched " + (long) matched[0]);
    }
    if (!(matched[1] <= tolerance)) {
      throw new IllegalStateException("metrics differ from shoal's by up to " + matched[1]);
    }
    System.out.printf(Locale.ROOT, "%s %.3f %d %.3g%n", name, seconds, rows, matched[1]);
  }

  static Engine duckdb(Statement s) {
    return new Engine() {
      @Override
      public void parquet(String name, String folder) throws SQLException {
        s.execute(
            "CREATE VIEW " + name + " AS SELECT * FROM read_parquet('" + folder + "/**/*.parquet',"
                + " hive_partitioning = true)");
      }

      @Override
      public void materialise(String name, String sql) throws SQLException {
        s.execute("CREATE TEMP TABLE " + name + " AS " + sql);
      }

      @Override
      public double[] first(String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
          r.next();
          double[] values = new double[r.getMetaData().getColumnCount()];
          for (int i = 0; i < values.length; i++) {
            values[i] = r.getDouble(i + 1);
          }
          return values;
        }
      }

      @Override
      public String quote(String name) {
        return "\"" + name + "\"";
      }

      @Override
      public List<String> columns(String name) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet r = s.executeQuery("DESCRIBE " + name)) {
          while (r.next()) {
            columns.add(r.getString(1));
          }
        }
        return columns;
      }
    };
  }

  static Engine spark(SparkSession spark) {
    return new Engine() {
      @Override
      public void parquet(String name, String folder) {
        spark.read().parquet(folder).createOrReplaceTempView(name);
      }

      @Override
      public void materialise(String name, String sql) {
        Dataset<Row> table = spark.sql(sql).cache();
        table.count();
        table.createOrReplaceTempView(name);
      }

      @Override
      public double[] first(String sql) {
        Row r = spark.sql(sql).first();
        double[] values = new double[r.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
        }
        return values;
      }

      @Override
      public String quote(String name) {
        return "`" + name + "`";
      }

      @Override
      public List<String> columns(String name) {
        return Arrays.asList(spark.table(name).columns());
      }
    };
  }
}
