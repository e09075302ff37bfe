package org.shoal.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestLeaderboard {
  @Test
  void aRowReadsAsOneLineWithItsLossesRunAndConfiguration() {
    Leaderboard.Row row =
        new Leaderboard.Row(
            "features=distance hidden=[32] lr=0.001",
            2,
            0.287196,
            0.2875,
            0.00043,
            0.287804,
            "bf751a1c8609ca0e5d9cb84587570ddc",
            "distance");
    assertThat(row.line())
        .isEqualTo(
            "validation loss best 0.28720, mean 0.28750, sd 0.00043, worst 0.28780 over 2 seed(s);"
                + " best run bf751a1c8609; features=distance hidden=[32] lr=0.001");
  }
}
