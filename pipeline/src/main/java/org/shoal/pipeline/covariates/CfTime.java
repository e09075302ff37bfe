package org.shoal.pipeline.covariates;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CF time coordinate: {@code units = "<unit> since <reference>"} (e.g. "hours since 1950-01-01",
 * "seconds since 1970-01-01 00:00:00"), in the standard (Gregorian) calendar. A value is a UTC
 * instant; its day is the UTC date.
 */
public record CfTime(long secondsPerUnit, Instant reference, String units) implements Serializable {
  private static final Pattern UNITS =
      Pattern.compile(
          "\\s*(\\w+)\\s+since\\s+(\\d{1,4}-\\d{1,2}-\\d{1,2})(?:[ T](\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?))?\\s*(Z|UTC|[+-]\\d{1,2}(?::?\\d{2})?)?\\s*");

  /**
   * @param units the variable's {@code units} attribute
   * @param calendar its {@code calendar} attribute, or null
   * @param where the file and variable, for messages
   */
  public static CfTime parse(String units, String calendar, String where) {
    if (calendar != null) {
      String c = calendar.trim().toLowerCase(Locale.ROOT);
      if (!(c.isEmpty()
          || c.equals("standard")
          || c.equals("gregorian")
          || c.equals("proleptic_gregorian"))) {
        throw new IllegalArgumentException(
            where
                + ": calendar '"
                + calendar
                + "' is not supported (only standard/gregorian time axes)");
      }
    }
    Matcher m = units == null ? null : UNITS.matcher(units);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          where
              + ": time units '"
              + units
              + "' are not '<days|hours|minutes|seconds> since <yyyy-mm-dd[ hh:mm:ss]>'");
    }
    long perUnit =
        switch (m.group(1).toLowerCase(Locale.ROOT)) {
          case "days", "day", "d" -> 86_400;
          case "hours", "hour", "hrs", "hr", "h" -> 3_600;
          case "minutes", "minute", "mins", "min" -> 60;
          case "seconds", "second", "secs", "sec", "s" -> 1;
          default ->
              throw new IllegalArgumentException(
                  where
                      + ": time unit '"
                      + m.group(1)
                      + "' in '"
                      + units
                      + "' is not days, hours, minutes or seconds");
        };
    String[] ymd = m.group(2).split("-");
    LocalDateTime t =
        LocalDate.of(Integer.parseInt(ymd[0]), Integer.parseInt(ymd[1]), Integer.parseInt(ymd[2]))
            .atStartOfDay();
    if (m.group(3) != null) {
      String[] hms = m.group(3).split(":");
      t = t.plusHours(Integer.parseInt(hms[0])).plusMinutes(Integer.parseInt(hms[1]));
      if (hms.length > 2) {
        t = t.plusNanos(Math.round(Double.parseDouble(hms[2]) * 1e9));
      }
    }
    ZoneOffset offset = ZoneOffset.UTC;
    String z = m.group(4);
    if (z != null && !z.equals("Z") && !z.equals("UTC")) {
      String digits = z.replace(":", "");
      int sign = digits.startsWith("-") ? -1 : 1;
      digits = digits.substring(1);
      int hours =
          Integer.parseInt(
              digits.length() <= 2 ? digits : digits.substring(0, digits.length() - 2));
      int minutes =
          digits.length() <= 2 ? 0 : Integer.parseInt(digits.substring(digits.length() - 2));
      offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
    return new CfTime(perUnit, OffsetDateTime.of(t, offset).toInstant(), units);
  }

  public Instant instant(double value) {
    double seconds = value * secondsPerUnit;
    long whole = (long) Math.floor(seconds);
    return reference.plusSeconds(whole).plusNanos(Math.round((seconds - whole) * 1e9));
  }

  /** The UTC day of a time value. */
  public LocalDate date(double value) {
    return LocalDate.ofInstant(instant(value), ZoneOffset.UTC);
  }
}
