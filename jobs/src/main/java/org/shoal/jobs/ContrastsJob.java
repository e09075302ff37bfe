package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.shoal.jobs.config.ContrastsConfig;
import org.shoal.pipeline.contrast.SampleContrasts;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.schema.Cols;
import picocli.CommandLine.Command;

/**
 * {@code shoal contrasts}: balanced training sets. Reads a choice dataset (shoal.contrasts.input)
 * and writes under shoal.contrasts.output: choices/ (same columns; decision and choice renumbered,
 * the originals in source_decision and source_choice), skipped/ (decisions that could not be drawn,
 * with the reason), features.json and report.json (decisions per individual and split, skipped by
 * reason, the stay-put win rate).
 */
@Command(name = "contrasts", description = "Sample contrast pairs or whole decisions.")
final class ContrastsJob extends JobCommand<ContrastsConfig> {
  ContrastsJob() {
    super(ContrastsConfig::from);
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    SampleContrasts.Params p = config.params();
    progress.stage(plan(p));
    FeatureManifest manifest = Datasets.manifest(spark, config.input());
    Dataset<Row> choices = Datasets.choices(spark, config.input());
    // Every decision whole in one sorted file (features.json says so): each file streams through
    // one task into the sampler and out to its folder, with no shuffle or sort.
    SampleContrasts.Result result =
        manifest.decisionsInSortedFiles()
            ? Datasets.streamedAsDeclared(
                spark,
                progress,
                config.input(),
                "sampling again with a sort by individual",
                () -> {
                  SampleContrasts.Result streamed = SampleContrasts.apply(choices, p, true);
                  Datasets.writePartitioned(streamed.rows(), config.output());
                  return streamed.wholeIndividuals() ? streamed : null;
                })
            : null;
    if (result == null) {
      // Sampled by the columns the output is laid out by, the rows need no second shuffle to be
      // written; a table without buckets is sampled per individual and then laid out.
      boolean bucketed = Datasets.partitionColumns(choices).contains(Datasets.BUCKET);
      result =
          SampleContrasts.apply(
              choices,
              p,
              bucketed ? Datasets.layout(choices) : new Column[] {col(Cols.INDIVIDUAL)});
      if (bucketed) {
        Datasets.writePartitioned(result.rows(), config.output());
      } else {
        Datasets.writeChoices(result.rows(), config.output());
      }
    }
    Outputs.parquet(result.skipped().coalesce(1), config.output() + "/skipped");
    Datasets.writeManifest(
        spark,
        manifest.withContrasts(
            p.mode().name().toLowerCase(Locale.ROOT),
            p.mode() == SampleContrasts.Mode.PAIRS ? p.alternativesPerDecision() : null),
        config.output());
    progress.finished("written to " + config.output());

    progress.stage("summarising");
    Report report =
        Report.of(
            Datasets.choices(spark, config.output()),
            Inputs.sparkParquet(spark, config.output() + "/skipped").rows(),
            p);
    Outputs.json(spark, report, config.output() + "/report.json");
    if (report.stayPutWinRate() != null) {
      progress.info(
          String.format(
              Locale.ROOT, "stay-put wins %.3f of the pairs it is in", report.stayPutWinRate()));
    }
    progress.finished(
        String.format(
            Locale.ROOT, "%s; skipped decisions %s", report.splits(), report.skippedDecisions()));
  }

  private static String plan(SampleContrasts.Params p) {
    return p.mode() == SampleContrasts.Mode.PAIRS
        ? String.format(
            Locale.ROOT,
            "sampling %d decisions x %d alternatives per individual",
            p.decisionsPerIndividual(),
            p.alternativesPerDecision())
        : String.format(
            Locale.ROOT, "sampling %d whole decisions per individual", p.decisionsPerIndividual());
  }

  /** One split's sampled decisions. */
  record SplitCounts(
      long individuals,
      long minDecisionsPerIndividual,
      long maxDecisionsPerIndividual,
      long decisions) {}

  /**
   * report.json: the sampling settings, rows written, decisions per split, skipped decisions by
   * reason, and (pairs) how often the stay-put choice is the selected one of the pairs it is in.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Report(
      String mode,
      int decisionsPerIndividual,
      int alternativesPerDecision,
      long seed,
      long rows,
      Map<String, SplitCounts> splits,
      Map<String, Long> skippedDecisions,
      Double stayPutWinRate) {
    /** From the written tables, in one pass over the choices. */
    static Report of(Dataset<Row> written, Dataset<Row> skipped, SampleContrasts.Params p) {
      // A table without cells (an imported one) has no stay-put choice to count.
      boolean hasCells = Datasets.hasCells(written);
      Column stay = hasCells ? col(Cols.CELL).equalTo(col(Cols.ORIGIN_CELL)) : lit(false);
      Dataset<Row> bySplitRows =
          written
              .groupBy(Cols.SPLIT, Cols.INDIVIDUAL)
              .agg(
                  // Every sampled decision has exactly one selected choice: counting them needs no
                  // distinct aggregation (a second shuffle-sized pass over 2.9 M rows on the demo).
                  sum(when(col(Cols.SELECTED), 1).otherwise(0)).as("decisions"),
                  count(lit(1)).as("rows"),
                  sum(when(stay.and(col(Cols.SELECTED)), 1).otherwise(0)).as("stay_wins"),
                  sum(when(stay, 1).otherwise(0)).as("stays"))
              .groupBy(Cols.SPLIT)
              .agg(
                  count(lit(1)),
                  min("decisions"),
                  max("decisions"),
                  sum("decisions"),
                  sum("rows"),
                  sum("stay_wins"),
                  sum("stays"));
      Map<String, SplitCounts> bySplit = new LinkedHashMap<>();
      long rows = 0;
      long stayWins = 0;
      long stays = 0;
      for (Row r : bySplitRows.collectAsList()) {
        bySplit.put(
            r.getString(0),
            new SplitCounts(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)));
        rows += r.getLong(5);
        stayWins += r.getLong(6);
        stays += r.getLong(7);
      }
      Map<String, Long> skippedByReason = new LinkedHashMap<>();
      for (Row r : skipped.groupBy("reason").count().collectAsList()) {
        skippedByReason.put(r.getString(0), r.getLong(1));
      }
      Double stayPutWinRate = null;
      if (p.mode() == SampleContrasts.Mode.PAIRS && hasCells) {
        stayPutWinRate = stays == 0 ? Double.NaN : stayWins / (double) stays;
      }
      return new Report(
          p.mode().name().toLowerCase(Locale.ROOT),
          p.decisionsPerIndividual(),
          p.alternativesPerDecision(),
          p.seed(),
          rows,
          bySplit,
          skippedByReason,
          stayPutWinRate);
    }
  }
}
