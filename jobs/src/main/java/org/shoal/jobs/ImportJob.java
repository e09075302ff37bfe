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
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Import a long discrete-choice table (one row per alternative of each decision) as a choice dataset.")
final class ImportJob extends JobCommand<ImportConfig> {
  ImportJob() {
    super(ImportConfig::from);
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    String out = config.output();
    ImportChoices.Params p = config.params();
    progress.stage("reading " + config.path());
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
    Dataset<Row> table = TrackFiles.table(spark, config.path(), config.parquet(), required);
    ImportChoices.Output imported = ImportChoices.run(spark, resolved(table, required), p);
    progress.finished(String.join(", ", table.columns()));

    progress.stage("writing " + out);
    Datasets.writeChoices(imported.choices(), out);
    Outputs.parquet(imported.rejected().coalesce(1), out + "/rejected");
    Map<String, Object> split = new LinkedHashMap<>();
    split.put("mode", c.split() != null ? "column" : "hash");
    split.put("column", c.split());
    split.put("seed", p.splitSeed());
    split.put("validationFraction", p.validationFraction());
    FeatureManifest manifest =
        FeatureManifest.of(imported.features(), null, null, null, imported.normalisation(), split);
    Outputs.text(spark, manifest.toJson(), out + Datasets.MANIFEST);
    progress.finished("choices, rejected and features.json");

    progress.stage("counting");
    Dataset<Row> written =
        spark.read().parquet(out + Datasets.CHOICES).persist(StorageLevel.MEMORY_AND_DISK());
    long rowsIn = imported.rowsIn().count();
    long rowsKept = written.count();
    long rowsRejected = imported.rejected().count();
    Map<String, Long> rejectedDecisions = new TreeMap<>();
    for (Row r :
        imported.rejectedDecisions().groupBy(ImportChoices.REASON).count().collectAsList()) {
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
    long decisions = decisionsBySplit.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("path", config.path());
    report.put("rowsIn", rowsIn);
    report.put("rowsKept", rowsKept);
    report.put("rowsRejected", rowsRejected);
    report.put("balances", rowsIn == rowsKept + rowsRejected);
    report.put("decisions", decisions);
    report.put("decisionsRejected", rejectedDecisions);
    report.put("decisionsBySplit", decisionsBySplit);
    report.put("individualsBySplit", individualsBySplit);
    report.put("alternatives", imported.alternatives());
    report.put("features", imported.features());
    Outputs.json(spark, report, out + "/report.json");
    progress.finished(
        String.format(
            Locale.ROOT,
            "%d rows in: %d kept in %d decisions %s, %d rejected in %d decisions %s",
            rowsIn,
            rowsKept,
            decisions,
            decisionsBySplit,
            rowsRejected,
            rejectedDecisions.values().stream().mapToLong(Long::longValue).sum(),
            rejectedDecisions));
    progress.info("features: " + String.join(", ", imported.features()));
    if (!imported.rejected().isEmpty()) {
      progress.info(
          "first rejection: "
              + imported.rejected().orderBy(ImportChoices.ROW).first().getAs(ImportChoices.REASON)
              + "; every rejected row is in "
              + out
              + "/rejected");
    }
    if (rowsIn != rowsKept + rowsRejected) {
      throw new IllegalStateException(
          "row accounting does not balance; see " + out + "/report.json");
    }
    progress.info("wrote " + out + "/report.json");
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
