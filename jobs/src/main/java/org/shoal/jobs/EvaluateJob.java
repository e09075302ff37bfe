package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.shoal.jobs.config.EvaluateConfig;
import org.shoal.pipeline.evaluate.Baselines;
import org.shoal.pipeline.evaluate.Calibration;
import org.shoal.pipeline.evaluate.DecisionTable;
import org.shoal.pipeline.evaluate.Evaluation;
import org.shoal.pipeline.evaluate.Results;
import org.shoal.pipeline.geo.GeoPoint;
import org.shoal.pipeline.h3.ChoiceTable;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.model.ConditionalLogit;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Schemas;
import org.shoal.pipeline.schema.Split;
import org.shoal.pipeline.util.Concurrently;
import org.shoal.pipeline.util.JoinKeys;
import org.shoal.pipeline.util.SparkOrder;
import picocli.CommandLine.Command;

/**
 * {@code shoal evaluate}: metrics of an infer output, all computed in Spark, for every grouping set
 * and subset, against a reference model and the uniform baseline. Writes under
 * shoal.evaluate.output: metrics.csv (and metrics/ Parquet), individuals.csv (per-individual
 * log-likelihood differences), calibration.csv, summary.json and report.html (self-contained: open
 * it in any browser).
 */
@Command(name = "evaluate", description = "Metrics per group and model (D-NLP, GMP), report.html.")
final class EvaluateJob extends JobCommand<EvaluateConfig> {
  EvaluateJob() {
    super(EvaluateConfig::from);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String TRAINED = "trained model";

  /**
   * The predictions' own model: its feature set's name when it has one (model.json), else "trained
   * model".
   */
  private String model = TRAINED;

  /**
   * What evaluate reads, resolved against the predictions: usable groupings, subsets and models,
   * and whether the choices keep the order of predictions declared as whole decisions in sorted
   * files (streamable).
   */
  private record Prepared(
      Dataset<Row> predictions,
      JsonNode scoredWith,
      List<List<String>> groupBy,
      Map<String, String> subsets,
      Dataset<Row> choices,
      Map<String, String> scored,
      List<DecisionTable.Model> models,
      String baseline,
      boolean streamable) {}

  /** summary.json: the results table, what the models are compared with, and the speed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Summary(
      List<Results.Result> results,
      String comparedWith,
      long decisions,
      int groupingSets,
      String validation,
      double seconds,
      double decisionsPerSecond) {
    static Summary of(
        List<Results.Result> results,
        String comparedWith,
        long decisions,
        int groupingSets,
        double seconds) {
      boolean validated =
          results.stream()
              .anyMatch(r -> r.split().equals(Split.VALIDATION.label()) && r.decisions() > 0);
      return new Summary(
          results,
          comparedWith,
          decisions,
          groupingSets,
          validated ? null : "unavailable: no validation decisions",
          seconds,
          decisions / seconds);
    }
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    String out = config.output();
    long start = System.nanoTime();
    Prepared in = prepare(spark, progress);
    progress.stage("one row per decision with every model's log-likelihood");
    DecisionTable table;
    DecisionTable contrasts;
    Calibration calibration = Calibration.register(spark, config.calibrationBins());
    try (Concurrently actions = new Concurrently()) {
      Concurrently.Result<DecisionTable> contrastTable =
          actions.submit(() -> contrasts(spark, progress, in.scored()));
      table =
          table(
              spark,
              progress,
              config.predictions() + DECISIONS,
              in.streamable(),
              in.choices(),
              in.models(),
              in.subsets(),
              keptColumns(in.groupBy()),
              calibration);
      contrasts = contrastTable.get();
    }
    long decisions = table.decisions();
    progress.finished(decisions + " decisions");
    progress.stage("computing metrics for " + in.groupBy().size() + " grouping sets and the whole");
    List<Row> metricRows = sorted(metrics(table, contrasts, in.groupBy(), in.subsets()));
    List<Results.Metric> metrics = metricRows.stream().map(Results.Metric::of).toList();
    Outputs.parquet(
        spark.createDataFrame(metricRows, Schemas.METRICS).coalesce(1), out + "/metrics");
    Outputs.text(spark, Results.csv(metrics), out + "/metrics.csv");
    progress.finished(metrics.size() + " metric rows");

    List<Results.Result> results = results(metrics, table, progress);
    Summary summary =
        Summary.of(
            results,
            in.baseline(),
            decisions,
            in.groupBy().size(),
            (System.nanoTime() - start) / 1e9);
    Outputs.json(spark, summary, out + "/summary.json");
    print(summary, progress);

    report(spark, progress, in, table, calibration, results, metrics);
    table.unpersist();
    if (contrasts != null) {
      contrasts.unpersist();
    }
    progress.finished("open " + out + "/report.html in a browser");
  }

  /**
   * Reads the predictions and resolves the groupings, subsets, reference and models to evaluate.
   */
  private Prepared prepare(SparkSession spark, Progress progress) throws java.io.IOException {
    progress.stage("reading predictions from " + config.predictions());
    Dataset<Row> predictions = Datasets.choices(spark, config.predictions() + DECISIONS);
    JsonNode scoredWith = scoredWith(spark, config.predictions());
    model = scoredWith == null ? TRAINED : scoredWith.at("/name").asText(TRAINED);
    config.notes().forEach(progress::info);
    List<List<String>> groupBy = usableGroupings(predictions, progress);
    Map<String, String> subsets = usableSubsets(predictions, progress);
    progress.finished(
        groupBy.size() + " grouping sets besides the whole, " + subsets.size() + " subset(s)");
    String referencePath = usableReference(predictions, progress);
    boolean inSortedFiles = Datasets.declaresSortedFiles(spark, config.predictions() + DECISIONS);
    // A broadcast join keeps the predictions' order: a small reference keeps them streamable.
    boolean broadcast =
        inSortedFiles && referencePath != null && broadcastable(spark, referencePath);
    Dataset<Row> choices =
        referencePath == null
            ? predictions
            : withReference(spark, predictions, referencePath, broadcast);
    Map<String, String> scored = scoredColumns(scoredWith);
    List<DecisionTable.Model> models = models(predictions, scored, referencePath != null, progress);
    String baseline = referencePath != null ? config.referenceName() : DecisionTable.UNIFORM;
    return new Prepared(
        predictions,
        scoredWith,
        groupBy,
        subsets,
        choices,
        scored,
        models,
        baseline,
        inSortedFiles && (referencePath == null || broadcast));
  }

  /** The results table, with bootstrap intervals when evaluate.bootstrap asks for them. */
  private List<Results.Result> results(
      List<Results.Metric> metrics, DecisionTable table, Progress progress) {
    List<Results.Result> results = Results.table(metrics, model);
    if (config.bootstrap() <= 0) {
      return results;
    }
    progress.stage(config.bootstrap() + " bootstrap replicates over individuals");
    results =
        Results.withIntervals(
            results,
            individualMeans(table),
            model,
            BASELINES,
            config.bootstrap(),
            config.bootstrapSeed());
    progress.finished(
        "95 % intervals of D-NLP and of each model's difference to the best baseline");
    return results;
  }

  /** individuals.csv, calibration.csv and report.html. */
  private void report(
      SparkSession spark,
      Progress progress,
      Prepared in,
      DecisionTable table,
      Calibration calibration,
      List<Results.Result> results,
      List<Results.Metric> metrics)
      throws java.io.IOException {
    progress.stage("comparing individuals, calibration, report.html");
    String colorBy = hasColumn(table.rows(), config.colorBy()) ? config.colorBy() : Cols.SPLIT;
    Dataset<Row> individuals =
        Evaluation.individualDifferences(table, model, in.baseline(), colorBy);
    // Both are small: collected once and written from the driver, not sorted and written by a
    // shuffle of their own each. The calibration was taken as the decision table streamed past,
    // else it is a pass over the predictions of its own.
    List<Row> perIndividual;
    List<Row> calibrationRows;
    try (Concurrently actions = new Concurrently()) {
      Concurrently.Result<List<Row>> individualRows = actions.submit(individuals::collectAsList);
      calibrationRows =
          calibration
              .rows()
              .orElseGet(
                  () ->
                      Evaluation.calibration(in.predictions(), config.calibrationBins())
                          .collectAsList());
      perIndividual = individualRows.get();
    }
    List<Row> leastImprovedFirst = new ArrayList<>(perIndividual);
    leastImprovedFirst.sort(
        Comparator.comparing(
            (Row r) -> r.isNullAt(1) ? null : r.getDouble(1) + 0.0, // Spark's order: -0.0 is 0.0
            Comparator.nullsFirst(Comparator.naturalOrder())));
    Outputs.singleCsv(
        spark, leastImprovedFirst, individuals.schema(), config.output() + "/individuals.csv");
    Outputs.singleCsv(
        spark, calibrationRows, Calibration.SCHEMA, config.output() + "/calibration.csv");
    String html =
        new ReportBuilder(config, in.baseline())
            .results(results)
            .metrics(metrics.stream().map(Results.Metric::cells).toList())
            .training(trainingCurves(spark, in.scoredWith()))
            .individuals(perIndividual)
            .calibration(calibrationRows)
            .exemplars(
                Datasets.hasCells(table.rows())
                    ? exemplars(table, in.baseline(), perIndividual)
                    : List.of())
            .html();
    Outputs.text(spark, html, config.output() + "/report.html");
    progress.finished(perIndividual.size() + " individuals");
  }

  /**
   * The reference predictions' path, or null (none set, or the default and these predictions lack
   * cells and dates).
   */
  private String usableReference(Dataset<Row> predictions, Progress progress) {
    String path = config.reference();
    boolean joinable = hasColumn(predictions, Cols.DATE) && hasColumn(predictions, Cols.CELL);
    if (path != null && config.referenceIsDefault() && !joinable) {
      progress.info(
          "no reference model: the default ("
              + path
              + ") joins on cells and dates, which these "
              + "predictions do not have");
      return null;
    }
    return path;
  }

  /**
   * Every model evaluated, by name: the predictions' own model and the others infer scored, the
   * reference, and baselines fitted on the training split (a trained model that cannot beat them
   * has learnt little about moving).
   */
  private List<DecisionTable.Model> models(
      Dataset<Row> predictions, Map<String, String> scored, boolean reference, Progress progress) {
    List<DecisionTable.Model> models = new ArrayList<>(probabilities(scored));
    if (reference) {
      models.add(new DecisionTable.Probability(config.referenceName(), col(REFERENCE_PROBABILITY)));
    }
    if (config.baselines().isEmpty()) {
      return models;
    }
    progress.stage("fitting the baselines on the training split");
    ConditionalLogit.Fit distance;
    try (Concurrently actions = new Concurrently()) {
      Concurrently.Result<ConditionalLogit.Fit> distanceFit =
          actions.submit(
              () ->
                  config.baselines().contains(Baselines.DISTANCE)
                          && Baselines.canDistance(predictions)
                      ? Baselines.fitDistance(
                          predictions,
                          Baselines.DISTANCE_MAX_DECISIONS,
                          Baselines.DISTANCE_MAX_CHOICES)
                      : null);
      if (config.baselines().contains(Baselines.STAY_PUT_RATE)
          && Baselines.canStayPut(predictions)) {
        models.add(Baselines.stayPutRate(predictions));
      }
      distance = distanceFit.get();
    }
    if (distance != null) {
      models.add(Baselines.distance(distance));
      progress.info(
          String.format(
              Locale.ROOT,
              "distance logit (%d training decisions): phi = %.4f d %+.4f d^2 %+.4f "
                  + "stay-put (d in 100 km)%s",
              distance.decisions(),
              distance.estimates()[0],
              distance.estimates()[1],
              distance.estimates()[2],
              distance.converged()
                  ? ""
                  : "; not converged after " + distance.iterations() + " iterations"));
    }
    progress.finished(models.size() - scored.size() + " models besides the scored ones");
    return models;
  }

  /**
   * The contrast predictions' table (the scored models they have a column for), or null without
   * contrasts.
   */
  private DecisionTable contrasts(SparkSession spark, Progress progress, Map<String, String> scored)
      throws java.io.IOException {
    String folder = config.predictions() + "/contrasts";
    Path path = new Path(folder + Datasets.CHOICES);
    if (!path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
      return null;
    }
    Dataset<Row> contrastChoices = Inputs.sparkParquet(spark, path.toString()).rows();
    Map<String, String> columns = new LinkedHashMap<>(scored);
    columns.values().removeIf(column -> !hasColumn(contrastChoices, column));
    return table(
        spark,
        progress,
        folder,
        Datasets.declaresSortedFiles(spark, folder),
        contrastChoices,
        probabilities(columns),
        Map.of(),
        List.of(Cols.SPLIT),
        null);
  }

  /**
   * The per-decision table of {@code choices}: streamed, without a shuffle, from a table whose
   * features.json declares whole decisions in sorted files (checked; aggregated with a shuffle when
   * the rows prove otherwise), aggregated otherwise.
   */
  private static DecisionTable table(
      SparkSession spark,
      Progress progress,
      String folder,
      boolean inSortedFiles,
      Dataset<Row> choices,
      List<DecisionTable.Model> models,
      Map<String, String> subsets,
      List<String> carried,
      Calibration calibration) {
    DecisionTable streamed =
        inSortedFiles
            ? Datasets.streamedAsDeclared(
                spark,
                progress,
                folder,
                "aggregating its decisions with a shuffle",
                () ->
                    DecisionTable.streamed(
                            choices, models, subsets, carried, col(Cols.PROBABILITY), calibration)
                        .table())
            : null;
    return streamed != null ? streamed : DecisionTable.of(choices, models, subsets, carried);
  }

  /**
   * Every model's metrics for every grouping set and subset of the decisions (one aggregation of
   * the cached table), and by split on the contrasts.
   */
  private static Dataset<Row> metrics(
      DecisionTable table,
      DecisionTable contrasts,
      List<List<String>> groupBy,
      Map<String, String> subsets) {
    List<String> bySplit = List.of(Cols.SPLIT);
    List<DecisionTable.GroupingSet> sets = new ArrayList<>();
    sets.add(new DecisionTable.GroupingSet(DecisionTable.ALL, List.of()));
    groupBy.forEach(g -> sets.add(new DecisionTable.GroupingSet(DecisionTable.ALL, g)));
    subsets.keySet().forEach(s -> sets.add(new DecisionTable.GroupingSet(s, bySplit)));
    Dataset<Row> metrics = table.metrics("decisions", sets);
    if (contrasts != null) {
      metrics = metrics.union(contrasts.metrics("contrasts", DecisionTable.ALL, bySplit));
    }
    return metrics;
  }

  /**
   * The metrics, collected and sorted on the driver by dataset, subset, grouping, group and model,
   * in Spark's order: a few hundred rows, for which a distributed sort cost two jobs.
   */
  private static List<Row> sorted(Dataset<Row> metrics) {
    List<Row> rows = new ArrayList<>(metrics.collectAsList());
    Comparator<Row> order = null;
    for (String column : List.of("dataset", "subset", "grouping", "group", "model")) {
      Comparator<Row> by = (a, b) -> SparkOrder.compare(a.<String>getAs(column), b.getAs(column));
      order = order == null ? by : order.thenComparing(by);
    }
    rows.sort(order);
    return rows;
  }

  /** The results table on the console, like the research's, then the speed. */
  private void print(Summary summary, Progress progress) {
    if (summary.validation() != null) {
      progress.info("validation: unavailable, there are no validation decisions");
    }
    progress.info(
        String.format(
            Locale.ROOT,
            "speed: %.0f decisions/s (%.1f s for %d grouping sets)",
            summary.decisionsPerSecond(),
            summary.seconds(),
            summary.groupingSets()));
    progress.info(
        String.format(
            Locale.ROOT,
            "%-16s %-11s %9s %9s %9s %8s %19s %9s %19s",
            "model",
            "split",
            "decisions",
            "C-NLP",
            "D-NLP",
            "GMP",
            "D-NLP 95% interval",
            "vs best",
            "baseline 95% int."));
    for (Results.Result r : summary.results()) {
      progress.info(
          String.format(
              Locale.ROOT,
              "%-16s %-11s %9d %9s %9s %8s %19s %9s %19s%s",
              r.model(),
              r.split(),
              r.decisions(),
              number(r.cNlp()),
              number(r.dNlp()),
              number(r.gmp()),
              range(r.dNlpLow(), r.dNlpHigh()),
              r.vsBestBaseline() != null ? number(r.vsBestBaseline()) : "",
              range(r.vsBestBaselineLow(), r.vsBestBaselineHigh()),
              Boolean.TRUE.equals(r.beyondNoise()) ? " *" : ""));
    }
    if (config.bootstrap() > 0) {
      progress.info(
          "* the difference to the best baseline ("
              + baselinesIn(summary.results())
              + ") excludes 0 at 95 %");
    }
  }

  /**
   * The predictions' model.json (written by infer: the run scored with and the other models), or
   * null.
   */
  private static JsonNode scoredWith(SparkSession spark, String predictions)
      throws java.io.IOException {
    Path path = new Path(predictions + "/model.json");
    if (!path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
      return null;
    }
    return JSON.readTree(Inputs.text(spark, path.toString(), "model of the predictions"));
  }

  /**
   * The columns the per-decision table carries from each selected choice: the grouping columns and
   * what the derived groupings, exemplars and colours read. Carrying only these keeps the
   * per-decision aggregation small (every other column of the selected row would be carried through
   * a sort-based aggregate for nothing).
   */
  private List<String> keptColumns(List<List<String>> groupBy) {
    java.util.Set<String> kept =
        new java.util.LinkedHashSet<>(
            List.of(
                Cols.SPLIT,
                Cols.CELL,
                Cols.ORIGIN_CELL,
                ChoiceTable.DISTANCE_KM,
                Cols.SEGMENT,
                config.colorBy()));
    groupBy.forEach(kept::addAll);
    return List.copyOf(kept);
  }

  /**
   * The models infer scored into the predictions, name -> probability column: its own ({@code
   * probability}) and the others model.json lists ({@code probability_<name>}).
   */
  private Map<String, String> scoredColumns(JsonNode scoredWith) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(model, Cols.PROBABILITY);
    if (scoredWith != null) {
      for (JsonNode m : scoredWith.at("/models")) {
        out.put(m.at("/name").asText(), m.at("/column").asText());
      }
    }
    return out;
  }

  private static List<DecisionTable.Model> probabilities(Map<String, String> columns) {
    List<DecisionTable.Model> out = new ArrayList<>();
    columns.forEach(
        (name, column) -> out.add(new DecisionTable.Probability(name, col("`" + column + "`"))));
    return out;
  }

  private static boolean hasColumn(Dataset<Row> rows, String column) {
    return Arrays.asList(rows.columns()).contains(column);
  }

  private static String range(Double low, Double high) {
    if (low == null || high == null || low.isNaN()) {
      return "";
    }
    return "[" + number(low) + ", " + number(high) + "]";
  }

  /**
   * Per split, each model's mean log-likelihood per individual: split -> model -> individual ->
   * mean ll.
   */
  private static Map<String, Map<String, Map<String, Double>>> individualMeans(
      DecisionTable table) {
    Map<String, Map<String, Map<String, Double>>> out = new java.util.TreeMap<>();
    for (Row r : table.individualMeans(List.of(Cols.SPLIT)).collectAsList()) {
      for (String m : table.models()) {
        out.computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>())
            .computeIfAbsent(m, k -> new java.util.TreeMap<>())
            .put(String.valueOf(r.get(1)), r.<Double>getAs(m));
      }
    }
    return out;
  }

  /**
   * The baselines the results hold (evaluate.baselines chooses some), in order, comma-separated.
   */
  static String baselinesIn(List<Results.Result> results) {
    return BASELINES.stream()
        .filter(b -> results.stream().anyMatch(r -> r.model().equals(b)))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private static final List<String> BASELINES =
      List.of(DecisionTable.UNIFORM, Baselines.STAY_PUT_RATE, Baselines.DISTANCE);

  private static String number(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  /**
   * The grouping sets whose columns the predictions have. A default set naming a missing column
   * (e.g. the synthetic world's release_region) falls away with a note; one the user set fails
   * naming the column.
   */
  private List<List<String>> usableGroupings(Dataset<Row> predictions, Progress progress) {
    List<String> names = new ArrayList<>(Arrays.asList(predictions.columns()));
    // derived by Evaluation.decisions when their sources are there (an imported table has no cells)
    if (names.contains(Cols.CELL) && names.contains(Cols.ORIGIN_CELL)) {
      names.add(DecisionTable.MOVED);
    }
    if (names.contains(ChoiceTable.DISTANCE_KM)) {
      names.add(DecisionTable.DISTANCE_BIN);
    }
    List<List<String>> usable = new ArrayList<>();
    for (List<String> g : config.groupBy()) {
      List<String> missing = g.stream().filter(c -> !names.contains(c)).toList();
      if (missing.isEmpty()) {
        usable.add(g);
      } else if (config.groupByIsDefault()) {
        progress.info(
            "default grouping " + g + " left out: the predictions have no column " + missing);
      } else {
        throw new IllegalArgumentException(
            "shoal.evaluate.group-by "
                + g
                + ": no column '"
                + missing.get(0)
                + "' in the predictions; columns: "
                + names);
      }
    }
    return usable;
  }

  /**
   * The subsets whose predicate the predictions can evaluate; a default one that cannot falls away
   * with a note.
   */
  private Map<String, String> usableSubsets(Dataset<Row> predictions, Progress progress) {
    Map<String, String> usable = new java.util.TreeMap<>();
    for (Map.Entry<String, String> s : config.subsets().entrySet()) {
      try {
        predictions.filter(s.getValue());
        usable.put(s.getKey(), s.getValue());
      } catch (
          Exception
              e) { // Spark's AnalysisException (undeclared): an unknown column or a syntax error
        // Spark's message, without its error class and suggestions
        String why =
            e.getMessage()
                .lines()
                .findFirst()
                .orElse("")
                .replaceAll("^\\[[A-Z_.]+\\] ", "")
                .replaceAll(" Did you mean.*$", "");
        if (!config.defaultSubsets().contains(s.getKey())) {
          throw new IllegalArgumentException(
              "shoal.evaluate.subsets."
                  + s.getKey()
                  + " = \""
                  + s.getValue()
                  + "\" cannot be evaluated on the predictions: "
                  + why);
        }
        progress.info("default subset " + s.getKey() + " left out: " + why);
      }
    }
    return usable;
  }

  private static final String REFERENCE_PROBABILITY = "_reference_probability";

  /**
   * The predictions with the reference model's probability of every choice, joined on (individual,
   * date, cell).
   */
  private static Dataset<Row> withReference(
      SparkSession spark, Dataset<Row> predictions, String path, boolean broadcast) {
    Inputs.requireExists(spark, path, "reference predictions");
    Dataset<Row> ref = spark.read().parquet(path);
    if (hasColumn(ref, "choices") || !hasColumn(ref, Cols.PROBABILITY)) {
      ref = spark.read().parquet(path + Datasets.CHOICES);
    }
    Dataset<Row> keyed =
        ref.select(
            col(Cols.INDIVIDUAL),
            col(Cols.DATE),
            col(Cols.CELL),
            col(Cols.PROBABILITY).as(REFERENCE_PROBABILITY));
    // A choice the reference lacks keeps a null probability: the decision table names its decision.
    return predictions.join(
        broadcast ? functions.broadcast(keyed) : keyed,
        JoinKeys.of(Cols.INDIVIDUAL, Cols.DATE, Cols.CELL),
        "left");
  }

  /**
   * Whether the reference predictions are small enough to broadcast: their files at most Spark's
   * own broadcast threshold ({@code spark.sql.autoBroadcastJoinThreshold}, 10 MB by default).
   */
  private static boolean broadcastable(SparkSession spark, String path) throws java.io.IOException {
    Inputs.requireExists(spark, path, "reference predictions");
    Path folder = new Path(path);
    long bytes =
        folder
            .getFileSystem(spark.sparkContext().hadoopConfiguration())
            .getContentSummary(folder)
            .getLength();
    return bytes <= spark.sessionState().conf().autoBroadcastJoinThreshold();
  }

  private static final String DECISIONS = "/decisions";

  /**
   * The evaluated model's own training curves: the run infer scored with (its model.json), never
   * whatever else sits in a train folder; {@code evaluate.training}'s best run only for predictions
   * that do not name their model.
   */
  private Map<String, double[]> trainingCurves(SparkSession spark, JsonNode scoredWith)
      throws java.io.IOException {
    Map<String, double[]> curves = new LinkedHashMap<>();
    var fs =
        new Path(config.predictions()).getFileSystem(spark.sparkContext().hadoopConfiguration());
    String best = config.training() == null ? null : TrainedModels.best(config.training());
    String run;
    if (scoredWith != null) {
      run = scoredWith.at("/path").asText();
    } else if (best != null && fs.exists(new Path(best))) {
      run = TrainedModels.resolve(spark, best);
    } else {
      return curves;
    }
    String history = TrainedModels.history(spark, run);
    if (history == null) {
      return curves;
    }
    String[] lines = history.trim().split("\n");
    double[] train = new double[lines.length - 1];
    double[] validation = new double[lines.length - 1];
    for (int i = 1; i < lines.length; i++) {
      String[] cells = lines[i].split(",");
      train[i - 1] = Double.parseDouble(cells[1]);
      validation[i - 1] = Double.parseDouble(cells[2]);
    }
    curves.put("training loss (full pass)", train);
    if (Arrays.stream(validation).anyMatch(Double::isFinite)) {
      curves.put("validation loss", validation);
    }
    return curves;
  }

  /**
   * The most improved and most worsened individuals, each with its decisions' positions and
   * differences.
   */
  private List<ReportBuilder.Exemplar> exemplars(
      DecisionTable table, String baseline, List<Row> perIndividual) {
    List<ReportBuilder.Exemplar> out = new ArrayList<>();
    int k = Math.min(config.exemplars(), perIndividual.size() / 2);
    List<Row> chosen = new ArrayList<>(perIndividual.subList(0, k));
    chosen.addAll(perIndividual.subList(perIndividual.size() - k, perIndividual.size()));
    // Segments (no decision spans a gap in the track) are drawn as separate lines; tables without
    // them are one.
    Dataset<Row> rows = table.rows();
    boolean segmented = hasColumn(rows, Cols.SEGMENT);
    Map<String, List<Row>> stepsOf = new LinkedHashMap<>();
    for (Row r :
        rows.filter(
                col(Cols.INDIVIDUAL)
                    .cast("string")
                    .isin(chosen.stream().map(c -> c.get(0)).toArray()))
            .orderBy(Cols.INDIVIDUAL, Cols.DECISION)
            .select(
                col(Cols.INDIVIDUAL).cast("string"),
                col(Cols.ORIGIN_CELL),
                col(Cols.CELL),
                segmented ? col(Cols.SEGMENT) : lit(0),
                col(table.ll(model, DecisionTable.ALL))
                    .minus(col(table.ll(baseline, DecisionTable.ALL))))
            .collectAsList()) {
      stepsOf
          .computeIfAbsent(r.getString(0), x -> new ArrayList<>())
          .add(RowFactory.create(r.get(1), r.get(2), r.get(3), r.get(4)));
    }
    for (Row ind : chosen) {
      String id = String.valueOf(ind.get(0));
      List<Row> steps = stepsOf.getOrDefault(id, List.of());
      double[] lon = new double[steps.size()];
      double[] lat = new double[steps.size()];
      double[] diff = new double[steps.size()];
      List<double[][]> tracks = new ArrayList<>();
      List<GeoPoint> track = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        Row step = steps.get(i);
        GeoPoint p = H3Cells.centroid(H3Cells.parse(step.getString(0)));
        lon[i] = p.lon();
        lat[i] = p.lat();
        diff[i] = step.getDouble(3);
        track.add(p);
        boolean segmentEnds = i + 1 == steps.size() || !steps.get(i + 1).get(2).equals(step.get(2));
        if (segmentEnds) {
          track.add(
              H3Cells.centroid(H3Cells.parse(step.getString(1)))); // where the last decision went
          tracks.add(
              new double[][] {
                track.stream().mapToDouble(GeoPoint::lon).toArray(),
                track.stream().mapToDouble(GeoPoint::lat).toArray()
              });
          track = new ArrayList<>();
        }
      }
      out.add(new ReportBuilder.Exemplar(id, ind.getAs("mean_ll_diff"), lon, lat, diff, tracks));
    }
    return out;
  }
}
