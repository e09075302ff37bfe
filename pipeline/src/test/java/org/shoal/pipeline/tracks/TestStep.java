package org.shoal.pipeline.tracks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestStep {
  @Test
  void durationsParseAndPrintBack() {
    assertThat(Step.parse("1d").seconds()).isEqualTo(86_400);
    assertThat(Step.parse("6h").seconds()).isEqualTo(21_600);
    assertThat(Step.parse(" 12H ").seconds()).isEqualTo(43_200);
    assertThat(Step.parse("30m").seconds()).isEqualTo(1_800);
    assertThat(Step.parse("2d").toString()).isEqualTo("2d");
    assertThat(Step.parse("90m").toString()).isEqualTo("90m");
    assertThat(Step.parse("24h")).isEqualTo(Step.DAILY);
  }

  @Test
  void aStepMustDivideADayOrBeWholeDays() {
    assertThatThrownBy(() -> Step.parse("7h")).hasMessageContaining("must divide a day");
    assertThatThrownBy(() -> Step.parse("36h")).hasMessageContaining("or be whole days");
    assertThatThrownBy(() -> Step.parse("0d")).hasMessageContaining("must divide a day");
    assertThatThrownBy(() -> Step.parse("one day")).hasMessageContaining("such as 1d or 6h");
  }
}
