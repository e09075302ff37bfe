package org.shoal.pipeline.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.features.Splits;
import org.shoal.pipeline.simulate.SimulationSpec;

/**
 * Every seeded draw is a pure function of its inputs, so these values were recorded from the code
 * before the three hash generators became {@link SeededHash}: the same splits, contrast draws,
 * noise and simulated worlds as before.
 */
class TestSeededHash {
  @Test
  void splitsContrastDrawsAndSimulationsKeepTheirValues() {
    assertThat(Double.doubleToLongBits(Splits.uniform("sim-00001", 42)))
        .isEqualTo(4601463787528982898L);
    assertThat(Double.doubleToLongBits(Splits.uniform("fish é 7", -3)))
        .isEqualTo(4598805462964067834L);
    assertThat(Double.doubleToLongBits(Draws.uniform(42, "sim-00001", 1, 2, 3)))
        .isEqualTo(4596472119968190672L);
    assertThat(Double.doubleToLongBits(Draws.gaussian(7, "a", 0, 5, 9)))
        .isEqualTo(4600906739092411543L);
    assertThat(Draws.index(31, 42, "sim-00002", 4, 0, 1)).isEqualTo(26);
    var random =
        new SimulationSpec(42, 10, 20, 40, LocalDate.of(2020, 4, 1), 10, 75.5, 7.0).random(7);
    assertThat(random.nextLong()).isEqualTo(-6947547535836213177L);
    assertThat(random.nextLong()).isEqualTo(-3841697751451357746L);
  }

  @Test
  void unitValuesAreInZeroOneAndSpreadEvenly() {
    int[] bins = new int[10];
    for (int i = 0; i < 100_000; i++) {
      double u = SeededHash.unit(SeededHash.murmurMix(SeededHash.fnv1a(7, "id-" + i)));
      assertThat(u).isGreaterThanOrEqualTo(0).isLessThan(1);
      bins[(int) (u * 10)]++;
    }
    for (int b : bins) {
      assertThat(b).isBetween(9_500, 10_500);
    }
  }
}
