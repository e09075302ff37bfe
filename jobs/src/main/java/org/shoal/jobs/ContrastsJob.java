package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

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
@Command(
    name = "contrasts",
    mixinStandardHelpOptions = true,
    description = "Sample balanced contrasts (pairs) or whole decisions per individual.")
final class ContrastsJob extends JobCommand<ContrastsConfig> {
  ContrastsJob() {
    super(ContrastsConfig::from);
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    SampleContrasts.Params p = config.params();
    progress.stage(
        p.mode() == SampleContrasts.Mode.PAIRS
            ? String.format(
                Locale.ROOT,
                "sampling %d decisions x %d alternatives per individual",
                p.decisionsPerIndividual(),
                p.alternativesPerDecision())
            : String.format(
                Locale.ROOT,
                "sampling %d whole decisions per individual",
                p.decisionsPerIndividual()));
    FeatureManifest manifest = Datasets.manifest(spark, config.input());
    Dataset<Row> choices = Datasets.choices(spark, config.input());
    SampleContrasts.Result result = SampleContrasts.apply(choices, p);
    Datasets.writeChoices(result.rows(), config.output());
    Outputs.parquet(result.skipped().coalesce(1), config.output() + "/skipped");
    Outputs.text(spark, manifest.toJson(), config.output() + Datasets.MANIFEST);
    progress.finished("written to " + config.output());

    progress.stage("summarising");
    Dataset<Row> written = Datasets.choices(spark, config.output());
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("mode", p.mode().name().toLowerCase(Locale.ROOT));
    report.put("decisionsPerIndividual", p.decisionsPerIndividual());
    report.put("alternativesPerDecision", p.alternativesPerDecision());
    report.put("seed", p.seed());
    report.put("rows", written.count());
    Map<String, Object> bySplit = new LinkedHashMap<>();
    Dataset<Row> perIndividual =
        written
            .groupBy(Cols.SPLIT, Cols.INDIVIDUAL)
            .agg(countDistinct(col(Cols.DECISION)).as("decisions"))
            .groupBy(Cols.SPLIT)
            .agg(count(lit(1)), min("decisions"), max("decisions"), sum("decisions"));
    for (Row r : perIndividual.collectAsList()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("individuals", r.getLong(1));
      s.put("minDecisionsPerIndividual", r.getLong(2));
      s.put("maxDecisionsPerIndividual", r.getLong(3));
      s.put("decisions", r.getLong(4));
      bySplit.put(r.getString(0), s);
    }
    report.put("splits", bySplit);
    Map<String, Long> skipped = new LinkedHashMap<>();
    for (Row r : result.skipped().groupBy("reason").count().collectAsList()) {
      skipped.put(r.getString(0), r.getLong(1));
    }
    report.put("skippedDecisions", skipped);
    if (p.mode() == SampleContrasts.Mode.PAIRS) {
      Column stays = col(Cols.CELL).equalTo(col(Cols.ORIGIN_CELL));
      Row w =
          written
              .agg(
                  sum(when(stays.and(col(Cols.SELECTED)), 1).otherwise(0)),
                  sum(when(stays, 1).otherwise(0)),
                  sum(when(col(Cols.SELECTED).and(col(Cols.CHOICE).equalTo(1)), 1).otherwise(0)))
              .first();
      double winRate = w.getLong(1) == 0 ? Double.NaN : w.getLong(0) / (double) w.getLong(1);
      report.put("stayPutWinRate", winRate);
      progress.info(
          String.format(Locale.ROOT, "stay-put wins %.3f of the pairs it is in", winRate));
    }
    Outputs.json(spark, report, config.output() + "/report.json");
    progress.finished(String.format(Locale.ROOT, "%s; skipped decisions %s", bySplit, skipped));
  }
}
