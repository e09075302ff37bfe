package org.shoal.pipeline.simulate;

import java.time.LocalDate;
import org.shoal.pipeline.geo.Region;

/** Small worlds for tests: fast to build and simulate, same model as the default demo. */
public final class Worlds {
  private Worlds() {}

  public static final SyntheticWorld.Spec SMALL =
      new SyntheticWorld.Spec(new Region(52.0, 57.0, -152.0, -140.0), 4, 100);

  public static final TrueMovementModel MODEL =
      new TrueMovementModel(2.4, -1.0, -1.5, 0.5, 0.6, 135, 0.5, 9.0, 0.5);

  public static SimulationSpec simulation(long seed, int individuals) {
    return new SimulationSpec(seed, individuals, 20, 40, LocalDate.of(2020, 4, 1), 10, 75.5, 7.0);
  }
}
