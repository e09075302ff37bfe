package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: help on every job, exit code 2 with a readable message on bad config. */
class TestShoalCli {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Shoal.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void everyJobHasHelp() {
    java.util.Set<String> jobs = new picocli.CommandLine(new Shoal()).getSubcommands().keySet();
    assertThat(jobs).contains("simulate");
    for (String job : jobs) {
      if (job.equals("help")) {
        continue;
      }
      Result r = run(job, "--help");
      assertThat(r.code()).as(job).isZero();
      assertThat(r.out()).as(job).contains("Usage: shoal " + job).contains("--conf").contains("-D");
    }
  }

  @Test
  void unknownKeyExitsWithUsageCode() {
    Result r = run("simulate", "-Dshoal.simulate.radius=5");
    assertThat(r.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(r.err()).contains("unknown config key 'shoal.simulate.radius'");
  }

  @Test
  void negativeRadiusExitsWithUsageCode() {
    Result r = run("simulate", "-Dsimulate.radius-km=-1");
    assertThat(r.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(r.err()).contains("shoal.simulate.radius-km = -1").contains("command line");
  }

  @Test
  void resolutionOutOfRangeExitsWithUsageCode() {
    Result r = run("simulate", "-Dsimulate.resolution=16");
    assertThat(r.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(r.err()).contains("shoal.simulate.resolution");
  }

  @Test
  void missingConfigFileExitsWithUsageCode() {
    Result r = run("simulate", "--conf", dir.resolve("missing.conf").toString());
    assertThat(r.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(r.err()).contains("config file not found").contains("missing.conf");
  }

  @Test
  void noJobIsAUsageError() {
    assertThat(run().code()).isEqualTo(Shoal.EXIT_USAGE);
  }
}
