package org.shoal.pipeline.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Ids and text the simulator writes are the same under every default locale (the odd-locale run
 * checks it).
 */
class TestLocaleIndependence {
  @Test
  void simulatedIdsUseAsciiDigits() {
    assertThat(SimulationSpec.individualId(7)).isEqualTo("sim-00007");
    assertThat(SimulationSpec.individualId(123456)).isEqualTo("sim-123456");
  }
}
