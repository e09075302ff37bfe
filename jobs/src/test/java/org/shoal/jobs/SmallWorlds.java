package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** Job-test fixtures: a small simulated world and its expansion, through the command line. */
final class SmallWorlds {
  private SmallWorlds() {}

  /** Simulates a small world into {@code world} and expands it into {@code expand}. */
  static void simulateAndExpand(Path world, Path expand, String seed) {
    assertThat(Shoal.execute(TestSimulateJob.smallWorld(world, seed))).isZero();
    expand(world, expand);
  }

  /** Expands the simulated world in {@code world} (tracks and covariates) into {@code expand}. */
  static void expand(Path world, Path expand) {
    assertThat(
            Shoal.execute(
                "expand",
                "-Dexpand.tracks.path=" + world.resolve("tracks.csv"),
                "-Dexpand.covariates=" + world.resolve("covariates"),
                "-Dexpand.output=" + expand))
        .isZero();
  }

  /**
   * 40 decisions per individual, 5 alternatives each, from {@code expand} into {@code contrasts}.
   */
  static void sampleContrasts(Path expand, Path contrasts) {
    assertThat(
            Shoal.execute(
                "contrasts",
                "-Dcontrasts.input=" + expand,
                "-Dcontrasts.output=" + contrasts,
                "-Dcontrasts.decisions-per-individual=40",
                "-Dcontrasts.alternatives-per-decision=5"))
        .isZero();
  }
}
