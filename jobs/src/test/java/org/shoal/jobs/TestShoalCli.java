package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's contract: help on every job, exit code 2 with a readable message on bad
 * config.
 */
class TestShoalCli {
  @TempDir Path dir;

  private static Cli.Result run(String... args) {
    return Cli.run(args);
  }

  @Test
  void everyJobHasHelp() {
    java.util.Set<String> jobs = Shoal.commandLine().getSubcommands().keySet();
    assertThat(jobs).contains("simulate");
    for (String job : jobs) {
      if (job.equals("help")) {
        continue;
      }
      Cli.Result r = run(job, "--help");
      assertThat(r.code()).as(job).isZero();
      assertThat(r.out()).as(job).contains("Usage: shoal " + job).contains("--conf").contains("-D");
    }
  }

  @Test
  void everyJobPrintsShoalsVersion() {
    String version = "shoal " + Version.current();
    assertThat(run("--version").out()).contains(version);
    for (String job : Shoal.commandLine().getSubcommands().keySet()) {
      if (job.equals("help")) {
        continue;
      }
      Cli.Result r = run(job, "--version");
      assertThat(r.code()).as(job).isZero();
      assertThat(r.out()).as(job).contains(version);
    }
  }

  @Test
  void unknownKeyExitsWithUsageCode() {
    Cli.Result r = run("simulate", "-Dshoal.simulate.radius=5");
    assertThat(r.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(r.err()).contains("unknown config key 'shoal.simulate.radius'");
  }

  @Test
  void negativeRadiusExitsWithUsageCode() {
    Cli.Result r = run("simulate", "-Dsimulate.radius-km=-1");
    assertThat(r.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(r.err()).contains("shoal.simulate.radius-km = -1").contains("command line");
  }

  @Test
  void resolutionOutOfRangeExitsWithUsageCode() {
    Cli.Result r = run("simulate", "-Dsimulate.resolution=16");
    assertThat(r.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(r.err()).contains("shoal.simulate.resolution");
  }

  @Test
  void missingConfigFileExitsWithUsageCode() {
    Cli.Result r = run("simulate", "--conf", dir.resolve("missing.conf").toString());
    assertThat(r.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(r.err()).contains("config file not found").contains("missing.conf");
  }

  @Test
  void noJobIsAUsageError() {
    assertThat(run().code()).isEqualTo(Shoal.EXIT_USAGE);
  }
}
