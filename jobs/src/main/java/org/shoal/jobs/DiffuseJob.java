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
import org.shoal.jobs.config.DiffuseConfig;
import org.shoal.pipeline.diffuse.Diffusion;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Schemas;
import picocli.CommandLine.Command;

/**
 * {@code shoal diffuse}: an abundance distribution carried through a transition table day by day
 * (in memory). Writes densities/ (Parquet: day, cell, mass), summary.csv (day, mass, lost,
 * total-variation distance to the reference), day-N.png for the chosen days and diffusion.gif under
 * shoal.diffuse.output. Re-seeding reuses the transition table: only this job reruns.
 */
@Command(name = "diffuse", description = "Diffuse abundance through daily transitions.")
final class DiffuseJob extends JobCommand<DiffuseConfig> {
  DiffuseJob() {
    super(DiffuseConfig::from);
  }

  /**
   * One day of the diffusion: its mass, the mass lost off the map, and its distance to the
   * reference.
   */
  record DaySummary(int day, double mass, double lost, double totalVariationToReference) {
    String csv() {
      return String.format(
          Locale.ROOT,
          "%d,%.12g,%.12g,%s",
          day,
          mass,
          lost,
          Double.isNaN(totalVariationToReference)
              ? ""
              : String.format(Locale.ROOT, "%.6f", totalVariationToReference));
    }

    Map<String, Object> htmlRow() {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("day", day);
      row.put("mass", mass);
      row.put("lost", lost);
      row.put(
          "total variation to reference",
          Double.isNaN(totalVariationToReference) ? "–" : totalVariationToReference);
      return row;
    }
  }

  /** report.json: how long the diffusion ran, from how many cells, and how fast. */
  record Report(int days, int cellsSeeded, double diffusionStepsPerSecond) {}

  /**
   * A page linking the pictures (relative paths, so the folder can be moved) above the per-day
   * summary.
   */
  private String page(List<DaySummary> perDay) {
    StringBuilder body =
        new StringBuilder(
            "<h2>Over the period</h2><img src=\"diffusion.gif\" alt=\"diffusion over every day\">"
                + "<h2>Chosen days</h2>");
    for (int day : config.pictures()) {
      if (day <= config.days()) {
        body.append(
            String.format(
                Locale.ROOT,
                "<figure><img src=\"day-%d.png\" alt=\"day %d\"><figcaption>day %d</figcaption></figure>",
                day,
                day,
                day));
      }
    }
    body.append("<h2>Per day</h2>")
        .append(Html.table("summary", perDay.stream().map(DaySummary::htmlRow).toList()));
    return Html.page(
        "shoal diffusion",
        "Transitions: "
            + config.transitions()
            + (config.reference() == null ? "" : "; reference: " + config.reference())
            + ".",
        body);
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
    Map<String, Double> initial = initialMass(spark, transitions);
    progress.finished(initial.size() + " cells seeded, " + transitions.size() + " days");

    progress.stage("diffusing");
    long t0 = System.nanoTime();
    List<Diffusion.Day> days = Diffusion.run(initial, transitions);
    double stepsPerSecond = transitions.size() / ((System.nanoTime() - t0) / 1e9);
    List<Diffusion.Day> reference =
        config.reference() == null ? null : Diffusion.run(initial, load(spark, config.reference()));
    progress.finished(String.format(Locale.ROOT, "%.1f diffusion steps/s", stepsPerSecond));

    List<DaySummary> perDay = writeDays(spark, days, reference);

    progress.stage("drawing");
    draw(spark, days, initial.keySet());
    Outputs.text(spark, page(perDay), config.output() + "/report.html");
    Outputs.json(
        spark,
        new Report(transitions.size(), initial.size(), stepsPerSecond),
        config.output() + "/report.json");
    progress.finished("report.html, day-N.png and diffusion.gif in " + config.output());
    DaySummary first = perDay.get(0);
    DaySummary last = perDay.get(perDay.size() - 1);
    progress.info(
        String.format(
            Locale.ROOT,
            "mass: %.6f at day 0, %.6f at day %d",
            first.mass(),
            last.mass(),
            last.day()));
    if (reference != null) {
      progress.info(
          String.format(
              Locale.ROOT,
              "total-variation distance to the reference at day %d: %.4f",
              last.day(),
              last.totalVariationToReference()));
    }
  }

  /** densities/ (every cell's mass each day) and summary.csv (mass, loss, distance per day). */
  private List<DaySummary> writeDays(
      SparkSession spark, List<Diffusion.Day> days, List<Diffusion.Day> reference)
      throws java.io.IOException {
    List<DaySummary> perDay = new ArrayList<>();
    List<Row> densities = new ArrayList<>();
    for (Diffusion.Day d : days) {
      d.density().forEach((cell, mass) -> densities.add(RowFactory.create(d.day(), cell, mass)));
      double tv =
          reference == null
              ? Double.NaN
              : Diffusion.totalVariation(d.density(), reference.get(d.day()).density());
      perDay.add(new DaySummary(d.day(), d.mass(), d.lost(), tv));
    }
    Outputs.parquet(
        spark.createDataFrame(densities, Schemas.DENSITIES).coalesce(1),
        config.output() + "/densities");
    Outputs.text(
        spark,
        "day,mass,lost,total_variation_to_reference\n"
            + String.join("\n", perDay.stream().map(DaySummary::csv).toList()),
        config.output() + "/summary.csv");
    return perDay;
  }

  /** One unit per origin cell of day 0, or the configured initial abundance (cell, mass). */
  private Map<String, Double> initialMass(
      SparkSession spark, List<Map<String, List<Diffusion.Move>>> transitions) {
    Map<String, Double> initial = new HashMap<>();
    if (config.initial() == null) {
      transitions.get(0).keySet().forEach(c -> initial.put(c, 1.0));
      return initial;
    }
    for (Row r : Inputs.table(spark, config.initial(), "initial abundance").collectAsList()) {
      initial.merge(
          String.valueOf(r.<Object>getAs(Cols.CELL)),
          Double.parseDouble(String.valueOf(r.<Object>getAs("mass"))),
          Double::sum);
    }
    return initial;
  }

  /**
   * Every day as a frame of diffusion.gif, the chosen days also as day-N.png, on one colour scale.
   */
  private void draw(SparkSession spark, List<Diffusion.Day> days, java.util.Set<String> seeded)
      throws java.io.IOException {
    TreeSet<String> cells = new TreeSet<>(seeded);
    double max = 0;
    for (Diffusion.Day d : days) {
      cells.addAll(d.density().keySet());
      max =
          Math.max(
              max, d.density().values().stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }
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
  }
}
