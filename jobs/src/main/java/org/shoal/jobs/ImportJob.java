package org.shoal.jobs;

import static org.apache.spark.sql.functions.countDistinct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.shoal.jobs.config.ImportConfig;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.imports.ImportChoices;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.tracks.TrackFiles;
import picocli.CommandLine.Command;

/**
 * {@code shoal import}: any long discrete-choice table to a choice dataset (choices/,
 * features.json, rejected/, report.json) that train, infer and evaluate accept like expand's.
 */
@Command(name = "import", description = "Import a long discrete-choice table as choices.")
final class ImportJob extends JobCommand<ImportConfig> {
  ImportJob() {
    super(ImportConfig::from);
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    String out = config.output();
    ImportChoices.Params p = config.params();
    progress.stage("reading " + config.path());
    List<TrackFiles.Required> required = requiredColumns(p);
    Dataset<Row> table = TrackFiles.table(spark, config.path(), config.parquet(), required);
    ImportChoices.Output imported = ImportChoices.run(spark, resolved(table, required), p);
    progress.finished(String.join(", ", table.columns()));

    progress.stage("writing " + out);
    Datasets.writeChoices(imported.choices(), out);
    Outputs.parquet(imported.rejected().coalesce(1), out + "/rejected");
    FeatureManifest manifest =
        FeatureManifest.of(
            imported.features(), null, null, null, imported.normalisation(), splitRecord(p));
    Datasets.writeManifest(spark, manifest, out);
    progress.finished("choices, rejected and features.json");

    progress.stage("counting");
    Report report =
        Report.of(spark.read().parquet(out + Datasets.CHOICES), imported, config.path());
    Outputs.json(spark, report, out + "/report.json");
    progress.finished(report.summary());
    progress.info("features: " + String.join(", ", imported.features()));
    if (!imported.rejected().isEmpty()) {
      progress.info(
          "first rejection: "
              + imported.rejected().orderBy(Cols.ROW).first().getAs(Cols.REASON)
              + "; every rejected row is in "
              + out
              + "/rejected");
    }
    if (!report.balances()) {
      throw new IllegalStateException(
          "row accounting does not balance; see " + out + "/report.json");
    }
    progress.info("wrote " + out + "/report.json");
  }

  /** Every configured column, with the key to set or check when the table lacks it. */
  private static List<TrackFiles.Required> requiredColumns(ImportChoices.Params p) {
    ImportChoices.Columns c = p.columns();
    List<TrackFiles.Required> required = new ArrayList<>();
    String[][] roles = {
      {"decision", c.decision()},
      {"selected", c.selected()},
      {"individual", c.individual()},
      {"choice", c.choice()},
      {"alternative", c.alternative()},
      {"split", c.split()}
    };
    for (String[] role : roles) {
      if (role[1] != null) {
        required.add(
            new TrackFiles.Required(
                role[0], role[1], "set shoal.import.columns." + role[0] + " = <column>"));
      }
    }
    p.features()
        .keySet()
        .forEach(
            f ->
                required.add(new TrackFiles.Required("feature", f, "check shoal.import.features")));
    p.interactions()
        .forEach(
            f ->
                required.add(
                    new TrackFiles.Required("interaction", f, "check shoal.import.interactions")));
    return required;
  }

  /** How the split was made, for features.json. */
  private static Map<String, Object> splitRecord(ImportChoices.Params p) {
    Map<String, Object> split = new LinkedHashMap<>();
    split.put("mode", p.columns().split() != null ? "column" : "hash");
    split.put("column", p.columns().split());
    split.put("seed", p.splitSeed());
    split.put("validationFraction", p.validationFraction());
    return split;
  }

  /**
   * report.json: every row of the table accounted for (kept or rejected, with the reason per
   * decision), the decisions and individuals per split, the alternatives and the features.
   */
  record Report(
      String path,
      long rowsIn,
      long rowsKept,
      long rowsRejected,
      boolean balances,
      long decisions,
      Map<String, Long> decisionsRejected,
      Map<String, Long> decisionsBySplit,
      Map<String, Long> individualsBySplit,
      List<String> alternatives,
      List<String> features) {
    static Report of(Dataset<Row> written, ImportChoices.Output imported, String path) {
      written.persist(StorageLevel.MEMORY_AND_DISK());
      long rowsIn = imported.rowsIn().count();
      long rowsKept = written.count();
      long rowsRejected = imported.rejected().count();
      Map<String, Long> rejectedDecisions = new TreeMap<>();
      for (Row r : imported.rejectedDecisions().groupBy(Cols.REASON).count().collectAsList()) {
        rejectedDecisions.put(r.getString(0), r.getLong(1));
      }
      Map<String, Long> decisionsBySplit = new TreeMap<>();
      Map<String, Long> individualsBySplit = new TreeMap<>();
      for (Row r :
          written
              .groupBy(Cols.SPLIT)
              .agg(countDistinct(Cols.INDIVIDUAL, Cols.DECISION), countDistinct(Cols.INDIVIDUAL))
              .collectAsList()) {
        decisionsBySplit.put(r.getString(0), r.getLong(1));
        individualsBySplit.put(r.getString(0), r.getLong(2));
      }
      written.unpersist();
      return new Report(
          path,
          rowsIn,
          rowsKept,
          rowsRejected,
          rowsIn == rowsKept + rowsRejected,
          decisionsBySplit.values().stream().mapToLong(Long::longValue).sum(),
          rejectedDecisions,
          decisionsBySplit,
          individualsBySplit,
          imported.alternatives(),
          imported.features());
    }

    String summary() {
      return String.format(
          Locale.ROOT,
          "%d rows in: %d kept in %d decisions %s, %d rejected in %d decisions %s",
          rowsIn,
          rowsKept,
          decisions,
          decisionsBySplit,
          rowsRejected,
          decisionsRejected.values().stream().mapToLong(Long::longValue).sum(),
          decisionsRejected);
    }
  }

  /**
   * The table with each configured column under the name the configuration uses (headers match in
   * any case).
   */
  private static Dataset<Row> resolved(Dataset<Row> table, List<TrackFiles.Required> required) {
    List<String> names = List.of(table.columns());
    for (String wanted : required.stream().map(TrackFiles.Required::column).toList()) {
      String actual = org.shoal.pipeline.util.Names.find(wanted, names).orElse(wanted);
      if (!actual.equals(wanted)) {
        table = table.withColumnRenamed(actual, wanted);
      }
    }
    return table;
  }
}
