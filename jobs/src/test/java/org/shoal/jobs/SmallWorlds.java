package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** Job-test fixtures: a small simulated world and its expansion, through the command line. */
final class SmallWorlds {
  private SmallWorlds() {}

  /**
   * Runs {@code job} from the command line with {@code settings} ("key=value" under shoal.{@code
   * job}) and checks that it succeeds.
   */
  static void run(String job, String... settings) {
    String[] args = new String[settings.length + 1];
    args[0] = job;
    for (int i = 0; i < settings.length; i++) {
      args[i + 1] = "-D" + job + "." + settings[i];
    }
    assertThat(Shoal.execute(args)).as(String.join(" ", args)).isZero();
  }

  /** Simulates a small world into {@code world} and expands it into {@code expand}. */
  static void simulateAndExpand(Path world, Path expand, String seed) {
    assertThat(Shoal.execute(TestSimulateJob.smallWorld(world, seed))).isZero();
    expand(world, expand);
  }

  /** Expands the simulated world in {@code world} (tracks and covariates) into {@code expand}. */
  static void expand(Path world, Path expand) {
    run(
        "expand",
        "tracks.path=" + world.resolve("tracks.csv"),
        "covariates=" + world.resolve("covariates"),
        "output=" + expand);
  }

  /**
   * 40 decisions per individual, 5 alternatives each, from {@code expand} into {@code contrasts}.
   */
  static void sampleContrasts(Path expand, Path contrasts) {
    run(
        "contrasts",
        "input=" + expand,
        "output=" + contrasts,
        "decisions-per-individual=40",
        "alternatives-per-decision=5");
  }
}
