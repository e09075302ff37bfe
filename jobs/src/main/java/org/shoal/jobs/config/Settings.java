package org.shoal.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Typed, range-checked reads of a loaded config; every error names the key, the value and its origin. */
public final class Settings {
  private final Config config;

  public Settings(Config config) {
    this.config = config;
  }

  public Config config() {
    return config;
  }

  public String string(String key) {
    return read(key, () -> config.getString(key));
  }

  public java.util.List<? extends Config> objects(String key) {
    return read(key, () -> config.getConfigList(key));
  }

  public java.util.List<String> strings(String key) {
    return read(key, () -> config.getStringList(key));
  }

  /** A value that must be one of a fixed set; {@code parse} throws IllegalArgumentException for others. */
  public <T> T choice(String key, java.util.function.Function<String, T> parse) {
    String v = string(key);
    try {
      return parse.apply(v);
    } catch (IllegalArgumentException e) {
      throw invalid(key, e.getMessage());
    }
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
      out.put(
          e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
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
