package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/shoal's compilers: C1 only from the start, and a second start with both compilers when a
 * stage (run on its own or in `shoal run`) finds its inputs above shoal.spark.quick-jit-mb.
 */
class ITLauncher {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path JAR =
      Path.of(System.getProperty("shoal.jar", "target/shoal-jobs-all.jar")).toAbsolutePath();
  @TempDir Path work;

  private record Ran(int exit, String output) {}

  private Ran shoal(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("bin/shoal").toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(work, "shoal", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("SHOAL_JAR", JAR.toString());
    pb.environment().put("SHOAL_CDS", "0"); // no class archive beside the build's jar
    pb.environment().put("SHOAL_JAVA_OPTS", "-Xmx2g");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment()
        .put(
            "PATH",
            Path.of(System.getProperty("java.home"), "bin")
                + java.io.File.pathSeparator
                + System.getenv("PATH"));
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("bin/shoal " + String.join(" ", args)).isTrue();
    return new Ran(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void aStageOnASmallInputStaysOnC1AndALargerOneStartsAgainWithBothCompilers() throws Exception {
    String conf = "conf/choice-table/import.conf"; // a 106 KB table
    Ran small = shoal("import", "--conf", conf, "-Dshoal.work-dir=" + work.resolve("small"));
    assertThat(small.exit()).as(small.output()).isZero();
    assertThat(small.output())
        .contains("small input: compiling with C1 only")
        .doesNotContain("starting again");

    Ran larger =
        shoal(
            "import",
            "--conf",
            conf,
            "-Dshoal.work-dir=" + work.resolve("larger"),
            "-Dshoal.spark.quick-jit-mb=0.01");
    assertThat(larger.exit()).as(larger.output()).isZero();
    assertThat(larger.output())
        .containsOnlyOnce(
            "[import] input 0.1 MB, above shoal.spark.quick-jit-mb: starting again with both JIT"
                + " compilers")
        .doesNotContain("compiling with C1 only");
    // the second start ran the stage in full
    assertThat(work.resolve("larger/import/_shoal_stage.json")).isRegularFile();
    assertThat(Files.readString(work.resolve("larger/import/features.json")))
        .isEqualTo(Files.readString(work.resolve("small/import/features.json")));
  }

  /**
   * `shoal run` on one animal's file: expand on C1 (1 047 bytes of tracks), then augment's input
   * (expand's Parquet) is above the limit: the run starts again with both compilers, the second
   * start counts expand as run by this command, runs the rest and publishes.
   */
  @Test
  void aRunStartsAgainWithBothCompilersAtTheFirstStageTooLargeForC1() throws Exception {
    Path tracks = Path.of(org.shoal.pipeline.testing.TrackFixtures.path("gpe3-one-animal.csv"));
    double limitMb = Files.size(tracks) * 2 / 1048576.0;
    Ran run =
        shoal(
            "run",
            "-Dshoal.work-dir=" + work.resolve("run"),
            "-Dexpand.tracks.path=" + tracks,
            "-Dexpand.tracks.format=gpe3",
            "-Daugment.copies=1",
            "-Dcontrasts.decisions-per-individual=10",
            "-Dcontrasts.alternatives-per-decision=3",
            "-Dtrain.hidden=[4]",
            "-Dtrain.epochs=2",
            "-Devaluate.exemplars=1",
            "-Dshoal.spark.quick-jit-mb=" + limitMb);
    assertThat(run.exit()).as(run.output()).isZero();
    String out = run.output();
    assertThat(out)
        .containsOnlyOnce("[run] small input: compiling with C1 only")
        .containsOnlyOnce("[run] stage expand\n")
        .containsPattern(
            "\\[run\\] stage augment, input [0-9.]+ MB, above shoal.spark.quick-jit-mb: starting"
                + " again with both JIT compilers\n")
        .containsPattern("\\[run\\] stage expand: ran before the restart \\([0-9.]+ s\\)")
        .contains("[run] 6 of 6 stages ran")
        .contains("since the command started, its first start on C1 included");
    assertThat(out.indexOf("[expand] done in")).isLessThan(out.indexOf("starting again"));
    assertThat(out.lastIndexOf("[expand] done in")).isEqualTo(out.indexOf("[expand] done in"));
    Path published = work.resolve("run/published");
    Path manifest =
        published.resolve(
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(published.resolve("latest.json").toFile())
                    .at("/run")
                    .asText()
                + "/manifest.json");
    var stages = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest.toFile());
    assertThat(stages.at("/stages").size()).isEqualTo(6);
    stages
        .at("/stages")
        .forEach(s -> assertThat(s.at("/ran").asBoolean()).as(s.toString()).isTrue());
  }
}
