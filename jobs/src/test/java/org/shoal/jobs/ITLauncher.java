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
 * bin/shoal's compilers for a stage run on its own: C1 only from the start, and a second start with
 * both compilers when the stage finds its inputs above shoal.spark.quick-jit-mb.
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
}
