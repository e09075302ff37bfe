package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** Job-test fixtures: a small simulated world and its expansion, through the command line. */
final class SmallWorlds {
  private SmallWorlds() {}

  /** Simulates a small world into {@code world} and expands it into {@code expand}. */
  static void simulateAndExpand(Path world, Path expand, String seed) {
    assertThat(Shoal.execute(TestSimulateJob.smallWorld(world, seed))).isZero();
    assertThat(
            Shoal.execute(
                "expand",
                "-Dexpand.tracks.path=" + world.resolve("tracks.csv"),
                "-Dexpand.covariates=" + world.resolve("covariates"),
                "-Dexpand.output=" + expand))
        .isZero();
  }
}
