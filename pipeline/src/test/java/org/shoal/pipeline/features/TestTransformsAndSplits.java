package org.shoal.pipeline.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.shoal.pipeline.schema.Split;

class TestTransformsAndSplits {
  private final ColumnStats stats = new ColumnStats(10, 2.0, 4.0, -1.0, 7.0);

  @Test
  void transformsFollowTheirFormulas() {
    assertThat(Transform.IDENTITY.apply(3.5, stats)).isEqualTo(3.5);
    assertThat(Transform.ZSCORE.apply(10.0, stats)).isEqualTo(2.0);
    assertThat(Transform.MINMAX.apply(3.0, stats)).isEqualTo(0.5);
    assertThat(Transform.LOG.apply(Math.E - 0.001, stats)).isCloseTo(1.0, within(1e-12));
    assertThat(Transform.LOG_ZSCORE.apply(Math.exp(6) - 0.001, stats))
        .isCloseTo(1.0, within(1e-12));
    assertThat(Transform.LOG_MINMAX.apply(Math.exp(3) - 0.001, stats))
        .isCloseTo(0.5, within(1e-12));
  }

  @Test
  void transformNamesReadLikeConfig() {
    assertThat(Transform.parse("log-zscore")).isEqualTo(Transform.LOG_ZSCORE);
    assertThat(Transform.LOG_MINMAX.configName()).isEqualTo("log-minmax");
    assertThatThrownBy(() -> Transform.parse("sqrt")).hasMessageContaining("'sqrt'");
  }

  @Test
  void hashSplitsAreStableAndNearTheRequestedFraction() {
    assertThat(Splits.side("fish-1", 42, 0.3)).isEqualTo(Splits.side("fish-1", 42, 0.3));
    int validation = 0;
    for (int i = 0; i < 10_000; i++) {
      validation += Splits.side("fish-" + i, 42, 0.3).equals(Split.VALIDATION.label()) ? 1 : 0;
    }
    // binomial(10000, 0.3): sd = 45.8
    assertThat(validation).isBetween(3000 - 200, 3000 + 200);
    assertThat(Splits.side("fish-1", 42, 0.0)).isEqualTo(Split.TRAIN.label());
    assertThat(Splits.side("fish-1", 42, 1.0)).isEqualTo(Split.VALIDATION.label());
    int moved = 0;
    for (int i = 0; i < 1000; i++) {
      moved += Splits.side("fish-" + i, 42, 0.5).equals(Splits.side("fish-" + i, 43, 0.5)) ? 0 : 1;
    }
    assertThat(moved).as("another seed gives another split").isBetween(400, 600);
  }
}
