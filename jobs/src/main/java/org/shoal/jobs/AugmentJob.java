package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.shoal.pipeline.schema.Split;
import picocli.CommandLine.Command;

/**
 * {@code shoal augment}: noisy copies of every training individual. Reads a choice dataset
 * (shoal.augment.input: choices/ and features.json) and writes another under shoal.augment.output,
 * plus report.json with the mean and standard deviation of every noised column and its feature,
 * before and after, over the training rows.
 */
@Command(
    name = "augment",
    mixinStandardHelpOptions = true,
    description = "Add noisy copies of the training individuals as pseudo-individuals.")
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
    Outputs.text(spark, manifest.toJson(), config.output() + Datasets.MANIFEST);
    progress.finished("written to " + config.output());

    progress.stage("summarising");
    List<String> columns = new ArrayList<>();
    for (Noise n : noise) {
      columns.add(n.column());
      String feature = derivedFeature(n.column(), manifest);
      if (feature != null && !columns.contains(feature)) {
        columns.add(feature);
      }
    }
    Dataset<Row> written = Datasets.choices(spark, config.output());
    Dataset<Row> train = written.filter(Split.TRAIN.rows());
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("copies", config.copies());
    report.put("seed", config.seed());
    report.put("rowsIn", choices.count());
    report.put("rowsOut", written.count());
    report.put(
        "trainingIndividualsIn",
        train.filter(col(AddNoise.COPY).equalTo(0)).select("individual").distinct().count());
    report.put("trainingIndividualsOut", train.select("individual").distinct().count());
    report.put("validationRows", written.filter(Split.VALIDATION.rows()).count());
    report.put("before", ColumnSummary.of(train.filter(col(AddNoise.COPY).equalTo(0)), columns));
    report.put("after", ColumnSummary.of(train, columns));
    Outputs.json(spark, report, config.output() + "/report.json");
    progress.finished(
        String.format(
            Locale.ROOT,
            "%d rows in, %d rows out; %d training individuals became %d",
            (Long) report.get("rowsIn"),
            (Long) report.get("rowsOut"),
            (Long) report.get("trainingIndividualsIn"),
            (Long) report.get("trainingIndividualsOut")));
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Double>> before =
        (Map<String, Map<String, Double>>) report.get("before");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Double>> after = (Map<String, Map<String, Double>>) report.get("after");
    for (String c : columns) {
      progress.info(
          String.format(
              Locale.ROOT,
              "%-28s mean %10.4f -> %10.4f   std %10.4f -> %10.4f",
              c,
              before.get(c).get("mean"),
              after.get(c).get("mean"),
              before.get(c).get("std"),
              after.get(c).get("std")));
    }
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
