package org.shoal.pipeline.tracks;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses the timestamps that tag exports use, in UTC unless the text carries an offset: ISO-8601
 * ({@code 2016-12-12T00:00:00Z}, {@code 2020-04-01T12:00:00+02:00}, {@code 2020-04-01T12:00:00}),
 * SQL style ({@code 2020-04-01 12:00:00[.SSS]}), a bare date, Wildlife Computers' {@code
 * 23-Aug-2016 05:00:00}, and epoch seconds. Or exactly one user-given pattern.
 */
public final class Timestamps {
  private static final List<DateTimeFormatter> BUILT_IN =
      List.of(
          DateTimeFormatter.ISO_OFFSET_DATE_TIME,
          DateTimeFormatter.ISO_LOCAL_DATE_TIME,
          new DateTimeFormatterBuilder()
              .appendPattern("yyyy-MM-dd HH:mm[:ss]")
              .optionalStart()
              .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 1, 9, true)
              .optionalEnd()
              .optionalStart()
              .appendOffset("+HH:MM", "Z")
              .optionalEnd()
              .toFormatter(Locale.ROOT),
          DateTimeFormatter.ISO_LOCAL_DATE,
          new DateTimeFormatterBuilder()
              .parseCaseInsensitive()
              .appendPattern("dd-MMM-yyyy[ HH:mm[:ss]]")
              .toFormatter(Locale.ENGLISH));

  private static final Pattern EPOCH_SECONDS = Pattern.compile("-?\\d{9,11}(\\.\\d+)?");

  private final List<DateTimeFormatter> formats;

  /**
   * The format that parsed the last text, tried first: a file keeps one format, and each format
   * that fails costs an exception. No text matches two formats, so the order never changes a
   * result. Not thread-safe: one instance per task.
   */
  private int lastMatched;

  private Timestamps(List<DateTimeFormatter> formats) {
    this.formats = formats;
  }

  /** The built-in formats (and epoch seconds). */
  public static Timestamps flexible() {
    return new Timestamps(BUILT_IN);
  }

  /**
   * Exactly one {@link DateTimeFormatter} pattern, e.g. {@code dd/MM/yyyy HH:mm}; fails fast if
   * invalid.
   */
  public static Timestamps pattern(String pattern) {
    return new Timestamps(List.of(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)));
  }

  /** The instant, or null when the text matches no format. */
  public Instant parse(String text) {
    String t = text.trim();
    if (formats == BUILT_IN && EPOCH_SECONDS.matcher(t).matches()) {
      double seconds = Double.parseDouble(t);
      return Instant.ofEpochMilli(Math.round(seconds * 1000));
    }
    for (int k = 0; k < formats.size(); k++) {
      int i = (lastMatched + k) % formats.size();
      try {
        Instant instant = toInstant(formats.get(i).parse(t));
        lastMatched = i;
        return instant;
      } catch (DateTimeParseException e) {
        // try the next format
      }
    }
    return null;
  }

  private static Instant toInstant(TemporalAccessor t) {
    if (t.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)) {
      return Instant.from(t);
    }
    if (t.isSupported(java.time.temporal.ChronoField.HOUR_OF_DAY)) {
      return LocalDateTime.from(t).toInstant(ZoneOffset.UTC);
    }
    return LocalDate.from(t).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
