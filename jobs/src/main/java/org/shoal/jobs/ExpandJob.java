package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.shoal.jobs.config.ExpandConfig;
import org.shoal.pipeline.expand.ExpandDecisions;
import org.shoal.pipeline.expand.ExpandParams;
import org.shoal.pipeline.expand.ExpandReport;
import org.shoal.pipeline.expand.Expansion;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.features.Normalisation;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.tracks.FixValidation;
import org.shoal.pipeline.tracks.TrackFiles;
import org.shoal.pipeline.tracks.TrackReader;
import org.shoal.pipeline.util.Concurrently;
import picocli.CommandLine.Command;

/**
 * {@code shoal expand}: tracks (+ covariates by cell and day, + attributes) to decisions and
 * choices. Writes, under shoal.expand.output:
 *
 * <ul>
 *   <li>{@code choices/} the decision/choice table (Parquet, partitioned by split and bucket);
 *   <li>{@code rejected/} input fixes that failed validation, with their raw text, file and reason;
 *   <li>{@code dropped/} decisions that could not be kept, with the reason;
 *   <li>{@code splits.csv} individual, split; {@code features.json} the feature list and
 *       normalisation;
 *   <li>{@code report.json} where every row went.
 * </ul>
 */
@Command(name = "expand", description = "Expand tracks into decision/choice rows (Parquet).")
final class ExpandJob extends JobCommand<ExpandConfig> {
  ExpandJob() {
    super(ExpandConfig::from);
  }

  /**
   * The tracks read, the parameters resolved against them, and the expansion (lazy, cached parts).
   */
  private record Prepared(
      TrackReader.Tracks tracks,
      ExpandParams params,
      Expansion.Output expansion,
      boolean reusedNormalisation,
      List<String> notes) {}

  /**
   * report.json: every row accounted for (ExpandReport), the decisions or why there are none, how
   * the tracks were read, the notes, and the speed.
   */
  record Report(
      ExpandReport report,
      boolean balances,
      long decisions,
      String noDecisions,
      Map<String, Object> tracks,
      List<String> notes,
      String step,
      double seconds,
      double choiceRowsPerSecond) {}

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    String out = config.output();
    long start = System.nanoTime();
    progress.stage("reading " + config.params().tracks().path());
    Prepared in = prepare(spark, progress);
    progress.finished(
        "inputs checked; normalisation "
            + (in.reusedNormalisation() ? "reused" : "fitted on training rows"));

    write(spark, progress, in.expansion(), out);

    progress.stage("counting");
    ExpandReport report =
        ExpandReport.of(in.expansion(), Inputs.sparkParquet(spark, out + Datasets.CHOICES).rows());
    String timestampHint = timestampHint(report, in.expansion().rejected());
    in.expansion().release();
    progress.finished(
        String.format(
            Locale.ROOT, "%d decisions, %d choice rows", report.decisions(), report.choiceRows()));

    Outputs.text(spark, choicesPerDecisionCsv(report), out + "/choices-per-decision.csv");
    Datasets.writeManifest(spark, manifest(in.params(), in.expansion()), out);
    double seconds = (System.nanoTime() - start) / 1e9;
    Report json =
        new Report(
            report,
            report.balances(),
            report.decisions(),
            report.noDecisionsReason(),
            in.tracks().summary(),
            in.notes(),
            in.params().step().toString(),
            seconds,
            report.choiceRows() / seconds);
    Outputs.json(spark, json, out + "/report.json");

    print(progress, report, in.expansion().features(), in.params().radiusKm(), seconds);
    if (timestampHint != null) {
      progress.info(timestampHint);
    }
    if (!report.balances()) {
      throw new IllegalStateException(
          "row accounting does not balance; see " + out + "/report.json");
    }
    progress.info("wrote " + out + "/report.json");
    if (report.noDecisionsReason() != null) {
      progress.info("no decisions: " + report.noDecisionsReason());
    }
  }

  /**
   * Reads the tracks and every optional input, resolves the parameters, and plans the expansion.
   */
  private Prepared prepare(SparkSession spark, Progress progress) throws java.io.IOException {
    List<String> notes = new ArrayList<>(config.notes());
    TrackReader.Tracks tracks = TrackReader.read(spark, config.params().tracks());
    if (!tracks.attributesLeftOut().isEmpty()) {
      notes.add(
          "default attributes "
              + tracks.attributesLeftOut()
              + " left out: not columns of the tracks");
    }
    tracks
        .separators()
        .forEach(
            (file, separator) ->
                notes.add(
                    file
                        + " is "
                        + separator
                        + "-separated: read so, numbers with a decimal comma as numbers"));
    Dataset<Row> covariates =
        config.covariates() == null
            ? null
            : Inputs.covariates(spark, config.covariates(), config.params().resolution());
    Dataset<Row> attributes =
        config.attributesTable() == null
            ? null
            : Inputs.table(spark, config.attributesTable(), "attributes table");
    Dataset<Row> splitTable =
        config.splitFile() == null ? null : Inputs.table(spark, config.splitFile(), "split file");
    Normalisation reuse =
        config.normalisationFrom() == null
            ? null
            : Datasets.readManifest(spark, config.normalisationFrom()).normalisation();
    List<String> attributeColumns = new ArrayList<>(tracks.source().attributes());
    if (attributes != null) {
      attributeColumns.addAll(Arrays.asList(attributes.columns()));
    }
    ExpandParams params =
        config.paramsFor(
            attributeColumns,
            covariates == null ? List.of() : Arrays.asList(covariates.columns()),
            notes);
    notes.forEach(progress::info);
    progress.info(
        "individuals identified by column "
            + tracks.individualsFrom()
            + " in "
            + tracks.files().size()
            + " file(s)");
    // hash-partitioned by split and bucket as written, each folder in a task of its own
    Expansion.Layout layout =
        new Expansion.Layout(
            rows ->
                Datasets.oneFolderPerPartition(
                    rows.withColumn(Datasets.BUCKET, bucket(col(Cols.INDIVIDUAL))),
                    config.buckets()),
            List.of(Cols.SPLIT, Datasets.BUCKET));
    Expansion.Output expansion =
        Expansion.run(params, tracks, covariates, attributes, splitTable, reuse, layout);
    return new Prepared(tracks, params, expansion, reuse != null, notes);
  }

  /**
   * The choices (partitioned by split and bucket), rejected fixes, dropped decisions, splits and
   * small CSV summaries.
   */
  private void write(SparkSession spark, Progress progress, Expansion.Output expansion, String out)
      throws Exception {
    progress.stage("writing choices to " + out + "/choices");
    Dataset<Row> choices = expansion.choices(); // laid out and sorted as written
    // a kept decision has at least its selected choice: no kept decision, no choices
    List<Row> first =
        ExpandDecisions.kept(expansion.decisions())
            .orderBy(Cols.INDIVIDUAL)
            .select(col(Cols.SPLIT), bucket(col(Cols.INDIVIDUAL)))
            .limit(1)
            .collectAsList();
    // Four independent writes at once: on small data their fixed costs overlap.
    Concurrently.all(
        () -> {
          if (first.isEmpty()) {
            // No partitions to write: one empty file keeps the table's schema readable.
            Outputs.parquet(choices.coalesce(1), out + Datasets.CHOICES);
          } else {
            Datasets.writeLaidOut(choices, out, expansion.continuousColumns());
          }
        },
        () -> Outputs.parquet(expansion.rejected().coalesce(1), out + "/rejected"),
        () -> Outputs.parquet(expansion.dropped().coalesce(1), out + "/dropped"),
        () -> Outputs.singleCsv(spark, expansion.splits(), out + "/splits.csv", Cols.INDIVIDUAL));
    // Small summaries beside the Parquet, for notebooks and readers without Parquet support. The
    // sample reads one folder: the first individual's (by id) split and bucket.
    Dataset<Row> written = Inputs.sparkParquet(spark, out + Datasets.CHOICES).rows();
    Column firstFolder =
        first.isEmpty()
            ? lit(true)
            : col(Cols.SPLIT)
                .equalTo(first.get(0).getString(0))
                .and(col(Datasets.BUCKET).equalTo(first.get(0).getInt(1)));
    Outputs.singleCsv(
        spark,
        written
            .filter(firstFolder.and(col(Cols.DECISION).leq(5)))
            .select(Expansion.LEADING_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new))
            .orderBy(Cols.INDIVIDUAL)
            .limit(2000),
        out + "/sample-choices.csv",
        Cols.INDIVIDUAL,
        Cols.DECISION,
        Cols.CHOICE);
    progress.finished("written");
  }

  /**
   * When timestamps matched no format: one of them, its file, and the setting that reads it; else
   * null.
   */
  private String timestampHint(ExpandReport report, Dataset<Row> rejected) {
    String unparseable = FixValidation.Problem.BAD_TIMESTAMP.text();
    long count = report.fixesRejected().getOrDefault(unparseable, 0L);
    if (count == 0) {
      return null;
    }
    Row example =
        rejected
            .filter(col(Cols.REASON).equalTo(unparseable))
            .select(Cols.TIMESTAMP_TEXT, Cols.SOURCE_FILE)
            .first();
    String pattern = config.params().tracks().timestampFormat();
    return String.format(
        Locale.ROOT,
        "%d timestamp(s) did not match %s, e.g. '%s' in %s: set shoal.expand.tracks.timestamp-format to"
            + " their pattern, e.g. \"dd/MM/yyyy HH:mm\" or \"MM/dd/yyyy HH:mm\"",
        count,
        pattern == null || pattern.isBlank()
            ? "any built-in format"
            : "shoal.expand.tracks.timestamp-format \"" + pattern + "\"",
        example.getString(0),
        TrackFiles.display(example.getString(1)));
  }

  /** The bucket (folder) of an individual's rows. */
  private Column bucket(Column individual) {
    return pmod(xxhash64(individual), lit(config.buckets())).cast("int");
  }

  /** How many decisions have each number of choices, as written: choices,count. */
  private static String choicesPerDecisionCsv(ExpandReport report) {
    StringBuilder csv = new StringBuilder("choices,count");
    report
        .choicesPerDecision()
        .forEach((n, decisions) -> csv.append('\n').append(n).append(',').append(decisions));
    return csv.toString();
  }

  /** What expand did, in a few lines: fixes, positions, decisions, choices, features, speed. */
  private static void print(
      Progress progress,
      ExpandReport report,
      List<String> features,
      double radiusKm,
      double seconds) {
    progress.info(
        String.format(
            Locale.ROOT,
            "fixes: %d in, %d rejected %s, %d merged into positions (%d simultaneous at another position)",
            report.fixesIn(),
            report.fixesRejectedTotal(),
            report.fixesRejected(),
            report.fixesMergedIntoPositions(),
            report.fixesSimultaneous()));
    progress.info(
        String.format(
            Locale.ROOT,
            "positions: %d of %d individuals in %d segments; decisions: %d kept, %d dropped %s",
            report.positions(),
            report.individuals(),
            report.segments(),
            report.decisions(),
            report.decisionsDroppedTotal(),
            report.decisionsDropped()));
    progress.info(
        String.format(
            Locale.ROOT,
            "choices: %d rows, %d-%d-%d per decision (min-median-max), %d removed without covariates; stay-put rate %.3f",
            report.choiceRows(),
            report.minChoices(),
            report.medianChoices(),
            report.maxChoices(),
            report.choicesRemovedWithoutCovariates(),
            report.stayPutRate()));
    if (report.largestDroppedMoveKm() != null) {
      progress.info(
          String.format(
              Locale.ROOT,
              "largest move of a dropped decision: %.1f km (radius %.1f km)",
              report.largestDroppedMoveKm(),
              radiusKm));
    }
    progress.info(
        "individuals with decisions per split: " + report.individualsWithDecisionsBySplit());
    progress.info("features: " + String.join(", ", features));
    progress.info(
        String.format(
            Locale.ROOT,
            "speed: %.0f choice rows/s (%.1f s including counting)",
            report.choiceRows() / seconds,
            seconds));
  }

  /** features.json: the features, choice-set settings, normalisation and how the split was made. */
  private FeatureManifest manifest(ExpandParams params, Expansion.Output expansion) {
    Map<String, Object> split = new LinkedHashMap<>();
    if (config.splitFile() == null) {
      split.put("mode", "hash");
      split.put("seed", config.params().splitSeed());
      split.put("validationFraction", config.params().validationFraction());
    } else {
      split.put("mode", "file");
      split.put("file", config.splitFile());
    }
    return FeatureManifest.of(
        expansion.features(),
        params.resolution(),
        params.radiusKm(),
        params.step().toString(),
        expansion.normalisation(),
        split);
  }
}
