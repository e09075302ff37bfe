package org.shoal.pipeline.util;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Enum values from configuration words ({@code log-zscore} is LOG_ZSCORE), with errors that list
 * the choices.
 */
public final class Enums {
  private Enums() {}

  public static <E extends Enum<E>> E parse(Class<E> type, String name, String what) {
    try {
      return Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown " + what + " '" + name + "' (use " + words(type) + ")", e);
    }
  }

  /** The configuration word of a value: lower case, dashes for underscores. */
  public static String word(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static <E extends Enum<E>> String words(Class<E> type) {
    String[] all = Arrays.stream(type.getEnumConstants()).map(Enums::word).toArray(String[]::new);
    return all.length == 1
        ? all[0]
        : Arrays.stream(all, 0, all.length - 1).collect(Collectors.joining(", "))
            + " or "
            + all[all.length - 1];
  }
}
