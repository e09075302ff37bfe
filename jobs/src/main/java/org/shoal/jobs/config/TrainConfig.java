package org.shoal.jobs.config;

import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.shoal.pipeline.model.HyperparameterGrid;
import org.shoal.pipeline.model.NetworkSpec;
import org.shoal.pipeline.model.Training;

/** The validated configuration of {@code shoal train} (keys under shoal.train). */
public record TrainConfig(
    String input,
    String output,
    Mode mode,
    List<String> features,
    NetworkSpec network,
    Training.Plan plan,
    int averagingFrequency,
    int partitions,
    HyperparameterGrid grid,
    double tolerance,
    int maxIterations,
    java.util.Map<String, List<String>> featureSets,
    int parallelRuns,
    long localMemoryBytes)
    implements StageConfig.OneInput {
  private static final String K = "shoal.train.";

  /** hidden = [] outside a grid: the exact conditional logit (L-BFGS), not Adam epochs. */
  public boolean exactLinear() {
    return network.hidden().isEmpty() && mode != Mode.GRID;
  }

  /** The same configuration in another mode. */
  public TrainConfig withMode(Mode other) {
    return new TrainConfig(
        input,
        output,
        other,
        features,
        network,
        plan,
        averagingFrequency,
        partitions,
        grid,
        tolerance,
        maxIterations,
        featureSets,
        parallelRuns,
        localMemoryBytes);
  }

  public enum Mode {
    LOCAL,
    SPARK,
    GRID;
  }

  public static TrainConfig from(Settings s) {
    List<Integer> layers = ints(s, K + "hidden");
    if (layers.stream().anyMatch(h -> h < 1)) {
      throw s.invalid(K + "hidden", "layer sizes must be >= 1");
    }
    String activation =
        s.choice(
            K + "activation",
            a -> {
              if (!NetworkSpec.ACTIVATIONS.contains(a.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("must be one of " + NetworkSpec.ACTIVATIONS);
              }
              return a.toLowerCase(Locale.ROOT);
            });
    NetworkSpec network =
        new NetworkSpec(
            layers,
            activation,
            s.number(K + "dropout", 0, 0.99),
            s.number(K + "learning-rate", 1e-12, 100),
            s.integer(K + "seed"));
    Training.Plan plan =
        new Training.Plan(
            s.integer(K + "batch-size", 1, 100_000_000),
            s.integer(K + "epochs", 1, 1_000_000),
            s.integer(K + "patience", 0, 1_000_000),
            s.integer(K + "seed"));
    String g = K + "grid.";
    List<List<Integer>> hidden = new ArrayList<>();
    for (ConfigValue v : s.config().getList(g + "hidden")) {
      List<Integer> entry = new ArrayList<>();
      if (!(v.unwrapped() instanceof List<?> list)) {
        throw s.invalid(
            g + "hidden", "must be a list of lists of layer sizes, e.g. [[16, 16], [32, 32, 32]]");
      }
      for (Object o : list) {
        entry.add(((Number) o).intValue());
      }
      hidden.add(entry);
    }
    HyperparameterGrid grid =
        new HyperparameterGrid(
            hidden,
            s.config().getDoubleList(g + "learning-rate"),
            s.config().getIntList(g + "batch-size"),
            s.config().getDoubleList(g + "dropout"),
            s.config().getLongList(g + "seeds"));
    Mode mode = s.choice(K + "mode", Mode.class, "training mode");
    if (mode == Mode.GRID && grid.size() == 0) {
      throw s.invalid(g + "seeds", "the grid is empty: every grid list needs at least one value");
    }
    return new TrainConfig(
        s.string(K + "input"),
        s.string(K + "output"),
        mode,
        s.strings(K + "features"),
        network,
        plan,
        s.integer(K + "averaging-frequency", 1, 1_000_000),
        s.integer(K + "partitions", 0, 1_000_000),
        grid,
        s.number(K + "tolerance", 0, 1),
        s.integer(K + "max-iterations", 1, 1_000_000),
        featureSets(s),
        s.integer(K + "parallel-runs", 0, 10_000),
        (long) (s.number(K + "local-memory-mb", 0, 1e9) * 1024 * 1024));
  }

  /** train.feature-sets: name -> feature list, in name order (HOCON objects have none). */
  private static java.util.Map<String, List<String>> featureSets(Settings s) {
    java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
    com.typesafe.config.Config sets = s.config().getConfig(K + "feature-sets");
    for (String name : sets.root().keySet()) {
      if (!name.matches("[A-Za-z0-9_-]+")) {
        throw s.invalid(
            K + "feature-sets",
            "set names are letters, digits, - and _ (they name best-<set>.json): '" + name + "'");
      }
      try {
        out.put(name, sets.getStringList(com.typesafe.config.ConfigUtil.quoteString(name)));
      } catch (com.typesafe.config.ConfigException e) {
        throw s.invalid(
            K + "feature-sets", "set " + name + " must be a list of features ([] = every feature)");
      }
    }
    return out;
  }

  private static List<Integer> ints(Settings s, String key) {
    try {
      return s.config().getIntList(key);
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigError(key + ": " + e.getMessage(), e);
    }
  }
}
