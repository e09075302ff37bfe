package org.shoal.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Typed, range-checked reads of a loaded config; every error names the key, the value and its
 * origin. It also knows which values the user set (command line or file) and which are
 * reference.conf's defaults: a default that does not fit the user's data may fall away with a note,
 * a user's setting never does.
 */
public final class Settings {
  private final Config config;
  private final Config userLayers;

  /** Settings with no record of what the user set: every value counts as the user's. */
  public Settings(Config config) {
    this(config, null);
  }

  /**
   * @param config the merged, resolved configuration
   * @param userLayers the user's layers (command line over file), unresolved; null = everything is
   *     the user's
   */
  public Settings(Config config, Config userLayers) {
    this.config = config;
    this.userLayers = userLayers;
  }

  /**
   * Whether {@code key} has reference.conf's value: neither the command line nor the file set it.
   */
  public boolean isDefault(String key) {
    return userLayers != null && !userLayers.hasPathOrNull(key);
  }

  /**
   * Whether expand reads the built-in synthetic world's tracks. Defaults that point into the
   * synthetic world (covariates, the true model as reference) apply only then; `run` simulates only
   * then.
   */
  public boolean tracksAreSimulated() {
    return normalise(string("shoal.expand.tracks.path"))
        .equals(normalise(string("shoal.simulate.output") + "/tracks.csv"));
  }

  private static String normalise(String path) {
    return java.nio.file.Path.of(path.replaceFirst("^file:", "")).normalize().toString();
  }

  public Config config() {
    return config;
  }

  public String string(String key) {
    return read(key, () -> config.getString(key));
  }

  /** The key's value trimmed, or null when it is blank (an optional path or column name). */
  public String optionalString(String key) {
    String v = string(key).trim();
    return v.isEmpty() ? null : v;
  }

  /** The key's value trimmed; blank fails naming the key ({@code what}: "must name a column"). */
  public String requiredString(String key, String what) {
    String v = optionalString(key);
    if (v == null) {
      throw invalid(key, what);
    }
    return v;
  }

  public java.util.List<? extends Config> objects(String key) {
    return read(key, () -> config.getConfigList(key));
  }

  public java.util.List<String> strings(String key) {
    return read(key, () -> config.getStringList(key));
  }

  /**
   * A value that must be one of a fixed set; {@code parse} throws IllegalArgumentException for
   * others.
   */
  public <T> T choice(String key, java.util.function.Function<String, T> parse) {
    String v = string(key);
    try {
      return parse.apply(v);
    } catch (IllegalArgumentException e) {
      throw invalid(key, e.getMessage());
    }
  }

  /** One of an enum's values, written as a configuration word ({@code log-zscore}). */
  public <E extends Enum<E>> E choice(String key, Class<E> type, String what) {
    return choice(key, v -> org.shoal.pipeline.util.Enums.parse(type, v, what));
  }

  public long integer(String key) {
    return read(key, () -> config.getLong(key));
  }

  public int integer(String key, int min, int max) {
    long v = integer(key);
    if (v < min || v > max) {
      throw invalid(key, "must be between " + min + " and " + max);
    }
    return (int) v;
  }

  public double number(String key) {
    double v = read(key, () -> config.getDouble(key));
    if (!Double.isFinite(v)) {
      throw invalid(key, "must be a finite number");
    }
    return v;
  }

  public double number(String key, double min, double max) {
    double v = number(key);
    if (v < min || v > max) {
      throw invalid(key, "must be between " + min + " and " + max);
    }
    return v;
  }

  public boolean bool(String key) {
    return read(key, () -> config.getBoolean(key));
  }

  public LocalDate date(String key) {
    String v = string(key);
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw invalid(key, "must be an ISO date such as 2020-04-01");
    }
  }

  /** A free-form subtree as flat string pairs (e.g. Spark properties). */
  public Map<String, String> flatStrings(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    if (config.getIsNull(key)) {
      return out;
    }
    for (Map.Entry<String, ConfigValue> e : read(key, () -> config.getConfig(key)).entrySet()) {
      out.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
    }
    return out;
  }

  /** An error about an otherwise well-typed value. */
  public ConfigError invalid(String key, String rule) {
    ConfigValue value = config.getValue(key);
    return new ConfigError(
        key + " = " + value.unwrapped() + " (from " + value.origin().description() + "): " + rule);
  }

  private <T> T read(String key, Supplier<T> getter) {
    try {
      return getter.get();
    } catch (ConfigException.Missing e) {
      throw new ConfigError("missing config key '" + key + "'", e);
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw new ConfigError(key + ": " + e.getMessage(), e);
    }
  }
}
