package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.shoal.jobs.config.AugmentConfig;
import org.shoal.pipeline.augment.AddNoise;
import org.shoal.pipeline.augment.Noise;
import org.shoal.pipeline.features.FeatureManifest;
import org.shoal.pipeline.features.Normalisation;
import org.shoal.pipeline.h3.ChoiceTable;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Split;
import picocli.CommandLine.Command;

/**
 * {@code shoal augment}: noisy copies of every training individual. Reads a choice dataset
 * (shoal.augment.input: choices/ and features.json) and writes another under shoal.augment.output,
 * plus report.json with the mean and standard deviation of every noised column and its feature,
 * before and after, over the training rows.
 */
@Command(name = "augment", description = "Add noisy copies of the training individuals.")
final class AugmentJob extends JobCommand<AugmentConfig> {
  AugmentJob() {
    super(AugmentConfig::from);
  }

  /**
   * The noise entries whose column the choices have; a default entry on a missing column falls
   * away, noted.
   */
  private List<Noise> usableNoise(Dataset<Row> choices, Progress progress) {
    if (!config.noiseIsDefault()) {
      return config.noise();
    }
    List<String> names = java.util.Arrays.asList(choices.columns());
    List<String> missing =
        config.noise().stream().map(Noise::column).filter(c -> !names.contains(c)).toList();
    if (!missing.isEmpty()) {
      progress.info("default noise on " + missing + " left out: the choices have no such columns");
    }
    return config.noise().stream().filter(n -> names.contains(n.column())).toList();
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    progress.stage(
        String.format(
            Locale.ROOT, "adding %d noisy copies of each training individual", config.copies()));
    FeatureManifest manifest = Datasets.manifest(spark, config.input());
    Dataset<Row> choices = Datasets.choices(spark, config.input());
    List<Noise> noise = usableNoise(choices, progress);
    Dataset<Row> augmented =
        AddNoise.apply(
            choices,
            noise,
            config.copies(),
            config.seed(),
            manifest.radiusKm(),
            manifest.normalisation());
    Datasets.writeChoices(augmented, config.output());
    Datasets.writeManifest(spark, manifest, config.output());
    progress.finished("written to " + config.output());

    progress.stage("summarising");
    Report report =
        Report.of(
            choices,
            Datasets.choices(spark, config.output()),
            noisedColumns(noise, manifest),
            config);
    Outputs.json(spark, report, config.output() + "/report.json");
    progress.finished(
        String.format(
            Locale.ROOT,
            "%d rows in, %d rows out; %d training individuals became %d",
            report.rowsIn(),
            report.rowsOut(),
            report.trainingIndividualsIn(),
            report.trainingIndividualsOut()));
    report.before().keySet().forEach(c -> progress.info(report.change(c)));
  }

  /**
   * report.json: rows and training individuals before and after, and the mean and standard
   * deviation of every noised column and its feature over the training rows, before ({@code copy =
   * 0}) and after.
   */
  record Report(
      int copies,
      long seed,
      long rowsIn,
      long rowsOut,
      long trainingIndividualsIn,
      long trainingIndividualsOut,
      long validationRows,
      Map<String, Map<String, Double>> before,
      Map<String, Map<String, Double>> after) {
    static Report of(
        Dataset<Row> choices, Dataset<Row> written, List<String> columns, AugmentConfig config) {
      Dataset<Row> train = written.filter(Split.TRAIN.rows());
      Dataset<Row> originals = train.filter(col(AddNoise.COPY).equalTo(0));
      return new Report(
          config.copies(),
          config.seed(),
          choices.count(),
          written.count(),
          originals.select(Cols.INDIVIDUAL).distinct().count(),
          train.select(Cols.INDIVIDUAL).distinct().count(),
          written.filter(Split.VALIDATION.rows()).count(),
          ColumnSummary.of(originals, columns),
          ColumnSummary.of(train, columns));
    }

    String change(String column) {
      return String.format(
          Locale.ROOT,
          "%-28s mean %10.4f -> %10.4f   std %10.4f -> %10.4f",
          column,
          before.get(column).get("mean"),
          after.get(column).get("mean"),
          before.get(column).get("std"),
          after.get(column).get("std"));
    }
  }

  /** Every noised column, each followed by the feature derived from it (when there is one). */
  private static List<String> noisedColumns(List<Noise> noise, FeatureManifest manifest) {
    List<String> columns = new ArrayList<>();
    for (Noise n : noise) {
      columns.add(n.column());
      String feature = derivedFeature(n.column(), manifest);
      if (feature != null && !columns.contains(feature)) {
        columns.add(feature);
      }
    }
    return columns;
  }

  private static String derivedFeature(String column, FeatureManifest manifest) {
    if (column.equals(ChoiceTable.BEARING_DEG)) {
      return "f_sin_bearing";
    }
    if (column.equals(ChoiceTable.DISTANCE_KM)) {
      return "f_distance";
    }
    return manifest.transforms().containsKey(column) ? Normalisation.featureName(column) : null;
  }
}
