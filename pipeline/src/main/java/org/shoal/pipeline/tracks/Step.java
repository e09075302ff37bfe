package org.shoal.pipeline.tracks;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time between two decisions, written as a duration: {@code 1d} (the default, one position per
 * UTC day), {@code 12h}, {@code 6h}, {@code 30m}. Steps are aligned to UTC midnight, so a step must
 * divide a day or be whole days.
 */
public record Step(long seconds) implements Serializable {
  private static final long DAY = 86_400L;
  private static final Pattern TEXT = Pattern.compile("\\s*(\\d+)\\s*([dhms])\\s*");

  public Step {
    if (seconds <= 0 || (seconds < DAY ? DAY % seconds != 0 : seconds % DAY != 0)) {
      throw new IllegalArgumentException(
          "a step must divide a day (e.g. 6h, 12h, 30m) or be whole days (1d, 2d), got "
              + seconds
              + " s");
    }
  }

  public static final Step DAILY = new Step(DAY);

  public static Step days(int days) {
    return new Step(days * DAY);
  }

  /** {@code 1d}, {@code 6h}, {@code 30m} or {@code 900s}. */
  public static Step parse(String text) {
    Matcher m = TEXT.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a step is a number and a unit d, h, m or s, such as 1d or 6h; got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    long unit =
        switch (m.group(2)) {
          case "d" -> DAY;
          case "h" -> 3_600L;
          case "m" -> 60L;
          default -> 1L;
        };
    return new Step(n * unit);
  }

  /** The shortest text for this step: 1d, 6h, 30m. */
  @Override
  public String toString() {
    if (seconds % DAY == 0) {
      return seconds / DAY + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
