package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.testing.SharedSpark;

/** `shoal transitions` (true and trained model) and `shoal diffuse` on a small simulated world. */
class TestTransitionsAndDiffuseJobs {
  @TempDir Path dir;

  @Test
  void diffusesConservingMassComparesWithTheTruthAndDrawsPictures() throws Exception {
    SharedSpark.session();
    Path world = dir.resolve("world");
    Path expand = dir.resolve("expand");
    SmallWorlds.simulateAndExpand(world, expand, "12");
    String[] small = TestSimulateJob.smallWorld(world, "12");
    List<String> worldKeys = List.of(small).subList(1, small.length);
    SmallWorlds.run(
        "train",
        "input=" + expand,
        "output=" + dir.resolve("train"),
        "hidden=[8]",
        "batch-size=100",
        "epochs=2");

    transitions(worldKeys, "true", "model=true");
    transitions(
        worldKeys,
        "trained",
        "model=" + dir.resolve("train/best.json"),
        "covariates=" + world.resolve("covariates"));

    Path out = dir.resolve("diffuse");
    SmallWorlds.run(
        "diffuse",
        "transitions=" + dir.resolve("trained"),
        "reference=" + dir.resolve("true"),
        "days=4",
        "pictures=[0, 4]",
        "output=" + out);

    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(summary).hasSize(1 + 5);
    double start = Double.parseDouble(summary.get(1).split(",")[1]);
    for (String line : summary.subList(1, summary.size())) {
      String[] f = line.split(",");
      // same region, same choice sets: nothing leaves, mass is conserved
      assertThat(Double.parseDouble(f[1]) + Double.parseDouble(f[2]))
          .isCloseTo(start, within(1e-9));
      assertThat(Double.parseDouble(f[3])).isBetween(0.0, 1.0);
    }
    assertThat(Double.parseDouble(summary.get(1).split(",")[3])).isZero();
    assertThat(ImageIO.read(out.resolve("day-4.png").toFile()).getWidth()).isPositive();
    assertThat(Files.readString(out.resolve("report.html")))
        .contains(
            "src=\"diffusion.gif\"",
            "src=\"day-0.png\"",
            "src=\"day-4.png\"",
            "<table id=\"summary\"");
    try (ImageInputStream in =
        ImageIO.createImageInputStream(out.resolve("diffusion.gif").toFile())) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
      reader.setInput(in);
      assertThat(reader.getNumImages(true)).isEqualTo(5);
    }

    // re-seeding reuses the transition table: only diffuse runs again
    long tableTime = Files.getLastModifiedTime(dir.resolve("trained/transitions")).toMillis();
    Path seed = dir.resolve("seed.csv");
    String someCell = firstOrigin(dir.resolve("trained"));
    Files.writeString(seed, "cell,mass\n" + someCell + ",5\n");
    SmallWorlds.run(
        "diffuse",
        "transitions=" + dir.resolve("trained"),
        "initial=" + seed,
        "days=4",
        "output=" + dir.resolve("reseeded"));
    assertThat(Files.getLastModifiedTime(dir.resolve("trained/transitions")).toMillis())
        .isEqualTo(tableTime);
    List<String> reseeded = Files.readAllLines(dir.resolve("reseeded/summary.csv"));
    assertThat(Double.parseDouble(reseeded.get(5).split(",")[1])).isCloseTo(5.0, within(1e-9));
  }

  private static String firstOrigin(Path transitions) {
    return SharedSpark.session()
        .read()
        .parquet(transitions.resolve("transitions").toString())
        .select("origin_cell")
        .orderBy("origin_cell")
        .first()
        .getString(0);
  }

  /** Four days of transitions from 2020-04-05 on the small world, into {@code dir/output}. */
  private void transitions(List<String> worldKeys, String output, String... model) {
    List<String> args = new ArrayList<>(List.of("transitions"));
    for (String setting : model) {
      args.add("-Dtransitions." + setting);
    }
    args.addAll(
        List.of(
            "-Dtransitions.days=4",
            "-Dtransitions.start-date=2020-04-05",
            "-Dtransitions.output=" + dir.resolve(output)));
    args.addAll(worldKeys);
    assertThat(Shoal.execute(args.toArray(String[]::new))).as(String.join(" ", args)).isZero();
  }
}
