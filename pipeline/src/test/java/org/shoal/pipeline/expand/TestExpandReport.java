package org.shoal.pipeline.expand;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The report's arithmetic, without Spark. */
class TestExpandReport {
  @Test
  void theHistogramGivesDecisionsRowsAndTheLowerMedian() {
    ExpandReport.Histogram h =
        ExpandReport.Histogram.of(new TreeMap<>(Map.of(2, 1L, 4, 2L, 9, 1L)));
    assertThat(h).isEqualTo(new ExpandReport.Histogram(4, 2 + 8 + 9, 2, 4, 9));
    // two decisions, 3 and 5 choices: the lower of the two middle values
    assertThat(ExpandReport.Histogram.of(new TreeMap<>(Map.of(3, 1L, 5, 1L))).median())
        .isEqualTo(3);
    assertThat(ExpandReport.Histogram.of(new TreeMap<>(Map.of(3, 1L, 5, 2L))).median())
        .isEqualTo(5);
    assertThat(ExpandReport.Histogram.of(new TreeMap<>()))
        .isEqualTo(new ExpandReport.Histogram(0, 0, 0, 0, 0));
  }

  @Test
  void theBooksDoNotBalanceWhenTheWrittenDecisionsAreNotTheKeptOnes() {
    assertThat(report(4, 4).balances()).isTrue();
    assertThat(report(4, 3).balances()).isFalse();
  }

  /** 10 fixes, all in 6 positions of one segment: 5 decisions considered, one dropped. */
  private static ExpandReport report(long kept, long written) {
    return new ExpandReport(
        10,
        Map.of(),
        4,
        0,
        6,
        1,
        1,
        1,
        5,
        Map.of("next cell beyond radius", 1L),
        120.0,
        kept,
        written,
        written * 7,
        0,
        7,
        7,
        7,
        0.5,
        Map.of("train", 1L),
        Map.of("train", 1L),
        Map.of("train", kept),
        Map.of(7, written));
  }
}
