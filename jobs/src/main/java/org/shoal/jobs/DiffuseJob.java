package org.shoal.jobs;

import static org.apache.spark.sql.functions.col;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.shoal.jobs.config.DiffuseConfig;
import org.shoal.pipeline.diffuse.Diffusion;
import org.shoal.pipeline.schema.Cols;
import picocli.CommandLine.Command;

/**
 * {@code shoal diffuse}: an abundance distribution carried through a transition table day by day
 * (in memory). Writes densities/ (Parquet: day, cell, mass), summary.csv (day, mass, lost,
 * total-variation distance to the reference), day-N.png for the chosen days and diffusion.gif under
 * shoal.diffuse.output. Re-seeding reuses the transition table: only this job reruns.
 */
@Command(
    name = "diffuse",
    mixinStandardHelpOptions = true,
    description = "Diffuse abundance through daily transitions.")
final class DiffuseJob extends JobCommand<DiffuseConfig> {
  DiffuseJob() {
    super(DiffuseConfig::from);
  }

  /**
   * A page linking the pictures (relative paths, so the folder can be moved) above the per-day
   * summary.
   */
  private String report(String summaryCsv) {
    List<Map<String, Object>> rows = new ArrayList<>();
    String[] lines = summaryCsv.split("\n");
    String[] header = lines[0].split(",");
    for (int i = 1; i < lines.length; i++) {
      String[] cells = lines[i].split(",", -1);
      Map<String, Object> row = new LinkedHashMap<>();
      for (int j = 0; j < header.length; j++) {
        row.put(header[j], cells[j].isEmpty() ? "–" : cells[j]);
      }
      rows.add(row);
    }
    StringBuilder pictures = new StringBuilder();
    for (int day : config.pictures()) {
      if (day <= config.days()) {
        pictures
            .append("<figure><img src=\"day-")
            .append(day)
            .append(".png\" alt=\"day ")
            .append(day)
            .append("\"><figcaption>day ")
            .append(day)
            .append("</figcaption></figure>");
      }
    }
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>shoal diffusion</title><style>"
        + "body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;font-size:13px}"
        + "td,th{border:1px solid #ccc;padding:3px 6px}figure{display:inline-block;margin:0.5em}</style></head><body>"
        + "<h1>shoal diffusion</h1><p>Transitions: "
        + Html.escape(config.transitions())
        + (config.reference() == null ? "" : "; reference: " + Html.escape(config.reference()))
        + ".</p>"
        + "<h2>Over the period</h2><img src=\"diffusion.gif\" alt=\"diffusion over every day\">"
        + "<h2>Chosen days</h2>"
        + pictures
        + "<h2>Per day</h2>"
        + Html.table("summary", rows)
        + "</body></html>";
  }

  private List<Map<String, List<Diffusion.Move>>> load(SparkSession spark, String folder) {
    Inputs.requireExists(spark, folder + "/transitions", "transition table");
    return Diffusion.byDay(
        spark
            .read()
            .parquet(folder + "/transitions")
            .filter(col(Cols.DAY).lt(config.days()))
            .select(Cols.ORIGIN_CELL, Cols.DESTINATION, Cols.DAY, Cols.PROBABILITY)
            .collectAsList(),
        config.days());
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    progress.stage("loading transitions from " + config.transitions());
    List<Map<String, List<Diffusion.Move>>> transitions = load(spark, config.transitions());
    Map<String, Double> initial = new HashMap<>();
    if (config.initial() == null) {
      transitions.get(0).keySet().forEach(c -> initial.put(c, 1.0));
    } else {
      for (Row r : Inputs.table(spark, config.initial(), "initial abundance").collectAsList()) {
        initial.merge(
            String.valueOf(r.<Object>getAs(Cols.CELL)),
            Double.parseDouble(String.valueOf(r.<Object>getAs("mass"))),
            Double::sum);
      }
    }
    progress.finished(initial.size() + " cells seeded, " + transitions.size() + " days");

    progress.stage("diffusing");
    long t0 = System.nanoTime();
    List<Diffusion.Day> days = Diffusion.run(initial, transitions);
    double stepsPerSecond = transitions.size() / ((System.nanoTime() - t0) / 1e9);
    List<Diffusion.Day> reference =
        config.reference() == null ? null : Diffusion.run(initial, load(spark, config.reference()));
    progress.finished(String.format(Locale.ROOT, "%.1f diffusion steps/s", stepsPerSecond));

    List<Row> densities = new ArrayList<>();
    StringBuilder summary = new StringBuilder("day,mass,lost,total_variation_to_reference\n");
    double max = 0;
    TreeSet<String> cells = new TreeSet<>(initial.keySet());
    for (Diffusion.Day d : days) {
      for (Map.Entry<String, Double> e : d.density().entrySet()) {
        densities.add(RowFactory.create(d.day(), e.getKey(), e.getValue()));
        max = Math.max(max, e.getValue());
        cells.add(e.getKey());
      }
      double tv =
          reference == null
              ? Double.NaN
              : Diffusion.totalVariation(d.density(), reference.get(d.day()).density());
      summary.append(
          String.format(
              Locale.ROOT,
              "%d,%.12g,%.12g,%s%n",
              d.day(),
              d.mass(),
              d.lost(),
              Double.isNaN(tv) ? "" : String.format(Locale.ROOT, "%.6f", tv)));
    }
    Outputs.parquet(
        spark
            .createDataFrame(
                densities,
                DataTypes.createStructType(
                    List.of(
                        DataTypes.createStructField(Cols.DAY, DataTypes.IntegerType, false),
                        DataTypes.createStructField(Cols.CELL, DataTypes.StringType, false),
                        DataTypes.createStructField("mass", DataTypes.DoubleType, false))))
            .coalesce(1),
        config.output() + "/densities");
    Outputs.text(spark, summary.toString().trim(), config.output() + "/summary.csv");

    progress.stage("drawing");
    DensityPictures pictures = new DensityPictures(cells, max);
    List<BufferedImage> frames = new ArrayList<>();
    for (Diffusion.Day d : days) {
      BufferedImage img =
          pictures.draw(
              d.density(), String.format(Locale.ROOT, "day %d: mass %.2f", d.day(), d.mass()));
      frames.add(img);
      if (config.pictures().contains(d.day())) {
        Outputs.bytes(
            spark, DensityPictures.png(img), config.output() + "/day-" + d.day() + ".png");
      }
    }
    Outputs.bytes(spark, DensityPictures.gif(frames, 200), config.output() + "/diffusion.gif");
    Outputs.text(spark, report(summary.toString().trim()), config.output() + "/report.html");
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("days", transitions.size());
    report.put("cellsSeeded", initial.size());
    report.put("diffusionStepsPerSecond", stepsPerSecond);
    Outputs.json(spark, report, config.output() + "/report.json");
    progress.finished("report.html, day-N.png and diffusion.gif in " + config.output());
    Diffusion.Day last = days.get(days.size() - 1);
    progress.info(
        String.format(
            Locale.ROOT,
            "mass: %.6f at day 0, %.6f at day %d",
            days.get(0).mass(),
            last.mass(),
            last.day()));
    if (reference != null) {
      progress.info(
          String.format(
              Locale.ROOT,
              "total-variation distance to the reference at day %d: %.4f",
              last.day(),
              Diffusion.totalVariation(last.density(), reference.get(last.day()).density())));
    }
  }
}
