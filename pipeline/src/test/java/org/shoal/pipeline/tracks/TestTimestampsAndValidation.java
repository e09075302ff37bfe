package org.shoal.pipeline.tracks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestTimestampsAndValidation {
  private final Timestamps flexible = Timestamps.flexible();

  @Test
  void parsesTheFormatsTagExportsUse() {
    Instant noonUtc = Instant.parse("2020-04-01T12:00:00Z");
    assertThat(flexible.parse("2020-04-01T12:00:00Z")).isEqualTo(noonUtc);
    assertThat(flexible.parse("2020-04-01T14:00:00+02:00")).isEqualTo(noonUtc);
    assertThat(flexible.parse("2020-04-01T12:00:00")).isEqualTo(noonUtc);
    assertThat(flexible.parse("2020-04-01 12:00:00")).isEqualTo(noonUtc);
    assertThat(flexible.parse("2020-04-01 12:00:00.000")).isEqualTo(noonUtc);
    assertThat(flexible.parse("2020-04-01")).isEqualTo(Instant.parse("2020-04-01T00:00:00Z"));
    assertThat(flexible.parse("23-Aug-2016 05:00:00"))
        .isEqualTo(Instant.parse("2016-08-23T05:00:00Z"));
    // epoch seconds, as the original research stored them: 2013-12-19 00:00Z
    assertThat(flexible.parse("1387411200")).isEqualTo(Instant.parse("2013-12-19T00:00:00Z"));
    assertThat(flexible.parse(" 2020-04-01 ")).isEqualTo(Instant.parse("2020-04-01T00:00:00Z"));
  }

  @Test
  void rejectsWhatItCannotRead() {
    assertThat(flexible.parse("yesterday")).isNull();
    assertThat(flexible.parse("2020-13-01")).isNull();
    assertThat(flexible.parse("01/04/2020")).isNull(); // ambiguous without a pattern
  }

  @Test
  void aUserPatternIsUsedAlone() {
    Timestamps dayFirst = Timestamps.pattern("dd/MM/yyyy HH:mm");
    assertThat(dayFirst.parse("01/04/2020 12:00")).isEqualTo(Instant.parse("2020-04-01T12:00:00Z"));
    assertThat(dayFirst.parse("2020-04-01T12:00:00Z")).isNull();
    assertThatThrownBy(() -> Timestamps.pattern("qqqq-zz-{"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validationNamesTheFirstProblem() {
    assertThat(FixValidation.problem("a", "2020-04-01", "55", "-145", flexible)).isNull();
    assertThat(FixValidation.problem(" ", "2020-04-01", "55", "-145", flexible))
        .isEqualTo(FixValidation.MISSING_INDIVIDUAL);
    assertThat(FixValidation.problem("a", "NA", "55", "-145", flexible))
        .isEqualTo(FixValidation.MISSING_TIMESTAMP);
    assertThat(FixValidation.problem("a", "soon", "55", "-145", flexible))
        .isEqualTo(FixValidation.BAD_TIMESTAMP);
    assertThat(FixValidation.problem("a", "2020-04-01", "", "-145", flexible))
        .isEqualTo(FixValidation.MISSING_LATITUDE);
    assertThat(FixValidation.problem("a", "2020-04-01", "5x", "-145", flexible))
        .isEqualTo(FixValidation.BAD_LATITUDE);
    assertThat(FixValidation.problem("a", "2020-04-01", "90.5", "-145", flexible))
        .isEqualTo(FixValidation.LATITUDE_RANGE);
    assertThat(FixValidation.problem("a", "2020-04-01", "55", "NaN", flexible))
        .isEqualTo(FixValidation.BAD_LONGITUDE);
    assertThat(FixValidation.problem("a", "2020-04-01", "55", "-180.01", flexible))
        .isEqualTo(FixValidation.LONGITUDE_RANGE);
    assertThat(FixValidation.problem("a", "2020-04-01", "-90", "180", flexible)).isNull();
  }

  @Test
  void csvLinesHonourQuotes() {
    assertThat(CsvLine.split("a,\"b, c\",\"say \"\"hi\"\"\","))
        .containsExactly("a", "b, c", "say \"hi\"", "");
  }
}
