package org.shoal.pipeline.tracks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /** The last matching format is tried first; whatever came before, a text parses the same. */
  @Test
  void aTextParsesTheSameWhateverWasParsedBefore() {
    List<String> texts =
        List.of(
            "2020-04-01T14:00:00+02:00",
            "2020-04-01T12:00:00",
            "2020-04-01 12:00:00.250",
            "2020-04-01 12:00:00+01:00",
            "2020-04-01",
            "23-Aug-2016 05:00",
            "1387411200",
            "yesterday");
    for (String before : texts) {
      for (String text : texts) {
        Timestamps used = Timestamps.flexible();
        used.parse(before);
        assertThat(used.parse(text))
            .as("%s after %s", text, before)
            .isEqualTo(Timestamps.flexible().parse(text));
      }
    }
    assertThat(Timestamps.flexible().parse("2020-04-01 12:00:00.250"))
        .isEqualTo(Instant.parse("2020-04-01T12:00:00.250Z"));
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

  @ParameterizedTest
  @CsvSource(
      nullValues = "none",
      value = {
        "a, 2020-04-01, 55, -145, none",
        "' ', 2020-04-01, 55, -145, missing individual",
        "a, NA, 55, -145, missing timestamp",
        "a, soon, 55, -145, unparseable timestamp",
        "a, 2020-04-01, '', -145, missing latitude",
        "a, 2020-04-01, 5x, -145, unparseable latitude",
        "a, 2020-04-01, 90.5, -145, 'latitude outside [-90, 90]'",
        "a, 2020-04-01, 55, NaN, unparseable longitude",
        "a, 2020-04-01, 55, -180.01, 'longitude outside [-180, 360]'",
        "a, 2020-04-01, 55, 360.5, 'longitude outside [-180, 360]'",
        "a, 2020-04-01, 55, 200, none",
        "a, 2020-04-01, -90, 180, none"
      })
  void validationNamesTheFirstProblem(
      String individual, String timestamp, String latitude, String longitude, String reason) {
    FixValidation.Problem problem =
        FixValidation.problem(individual, timestamp, latitude, longitude, flexible);
    assertThat(problem == null ? null : problem.text()).isEqualTo(reason);
  }

  @Test
  void longitudesOfTheZeroTo360ConventionAreReadWestOf180() {
    assertThat(FixValidation.longitude("200")).isEqualTo(-160.0);
    assertThat(FixValidation.longitude("360")).isEqualTo(0.0);
    assertThat(FixValidation.longitude("180")).isEqualTo(180.0);
    assertThat(FixValidation.longitude("-179.5")).isEqualTo(-179.5);
  }

  @Test
  void theSeparatorIsTheHeadersCommaElseItsSemicolonElseItsTab() {
    assertThat(CsvLine.delimiter("id,time;zone,lat,lon")).isEqualTo(',');
    assertThat(CsvLine.delimiter("id;time;lat;lon")).isEqualTo(';');
    assertThat(CsvLine.delimiter("\"tag, name\";time;lat;lon")).isEqualTo(';');
    assertThat(CsvLine.delimiter("id\ttime\tlat\tlon")).isEqualTo('\t');
    assertThat(CsvLine.delimiter("\"a;b\",c")).isEqualTo(',');
    assertThat(CsvLine.delimiter("onecolumn")).isEqualTo(',');
    assertThat(CsvLine.split("a;\"b; c\";", ';')).containsExactly("a", "b; c", "");
  }

  @Test
  void csvLinesHonourQuotes() {
    assertThat(CsvLine.split("a,\"b, c\",\"say \"\"hi\"\"\","))
        .containsExactly("a", "b, c", "say \"hi\"", "");
  }
}
