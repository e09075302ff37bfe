package org.shoal.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.shoal.pipeline.util.Names;

/**
 * Loads shoal's configuration with the precedence CLI overrides &gt; {@code --conf} file &gt;
 * reference.conf, then rejects unknown keys. Substitutions such as {@code ${shoal.work-dir}}
 * resolve after layering, so overriding the work dir moves every default output with it.
 */
public final class ConfigLoader {
  public static final String ROOT = "shoal";

  /** Subtrees whose keys are free-form and therefore not checked against reference.conf. */
  private static final Set<String> FREE_FORM =
      Set.of(
          "shoal.spark.properties",
          "shoal.covariates.variables",
          "shoal.train.feature-sets",
          "shoal.expand.features.covariates",
          "shoal.expand.features.attributes",
          "shoal.evaluate.subsets",
          "shoal.import.features",
          "shoal.transitions.attributes");

  private ConfigLoader() {}

  public static Config load(Path file, Map<String, String> overrides) {
    return settings(file, overrides).config();
  }

  /** The loaded configuration, knowing which values the user set. */
  public static Settings settings(Path file, Map<String, String> overrides) {
    Config reference = ConfigFactory.parseResourcesAnySyntax("reference.conf");
    Config fromFile = ConfigFactory.empty();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigError("config file not found: " + file.toAbsolutePath());
      }
      try {
        fromFile =
            ConfigFactory.parseFile(
                file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new ConfigError("cannot parse config file " + file + ": " + e.getMessage(), e);
      }
    }
    Config fromCli = cliOverrides(qualify(overrides));
    Config merged;
    try {
      merged = fromCli.withFallback(fromFile).withFallback(reference).resolve();
    } catch (ConfigException e) {
      throw new ConfigError("cannot resolve the configuration: " + e.getMessage(), e);
    }
    rejectUnknownKeys(merged, reference.resolve());
    return new Settings(merged, fromCli.withFallback(fromFile));
  }

  /**
   * -D values are HOCON values when they parse as a list, an object or null ({@code
   * -Dexpand.tracks.attributes=[a,b]}, {@code -Dexpand.features.covariates=null}); anything else is
   * taken as the literal text.
   */
  private static Config cliOverrides(Map<String, String> overrides) {
    Config out = ConfigFactory.empty();
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      String v = e.getValue().trim();
      Config one = null;
      if (v.startsWith("[") || v.startsWith("{") || v.equals("null")) {
        try {
          one =
              ConfigFactory.parseString(
                  "\"" + e.getKey().replace(".", "\".\"") + "\" = " + v,
                  ConfigParseOptions.defaults().setOriginDescription("command line -D"));
        } catch (ConfigException ex) {
          throw new ConfigError(
              "cannot parse -D" + e.getKey() + "=" + e.getValue() + ": " + ex.getMessage(), ex);
        }
      }
      if (one == null) {
        one = ConfigFactory.parseMap(Map.of(e.getKey(), e.getValue()), "command line -D");
      }
      out = one.withFallback(out);
    }
    return out;
  }

  /** Lets users write {@code -Dsimulate.seed=7} as well as {@code -Dshoal.simulate.seed=7}. */
  private static Map<String, String> qualify(Map<String, String> overrides) {
    return overrides.entrySet().stream()
        .collect(
            Collectors.toMap(
                e -> e.getKey().startsWith(ROOT + ".") ? e.getKey() : ROOT + "." + e.getKey(),
                Map.Entry::getValue,
                (a, b) -> b));
  }

  private static void rejectUnknownKeys(Config merged, Config reference) {
    Set<String> known = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : reference.getConfig(ROOT).entrySet()) {
      known.add(ROOT + "." + e.getKey());
    }
    for (Map.Entry<String, ConfigValue> e : merged.getConfig(ROOT).entrySet()) {
      String key = ROOT + "." + e.getKey();
      if (known.contains(key) || FREE_FORM.stream().anyMatch(p -> key.startsWith(p + "."))) {
        continue;
      }
      String hint = closest(key, known);
      throw new ConfigError(
          "unknown config key '"
              + key
              + "' (from "
              + e.getValue().origin().description()
              + ")"
              + (hint == null ? "" : "; did you mean '" + hint + "'?"));
    }
  }

  private static String closest(String key, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = Names.editDistance(key, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return bestDistance <= Math.max(3, key.length() / 4) ? best : null;
  }
}
