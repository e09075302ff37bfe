package org.shoal.jobs.config;

import java.util.List;

/**
 * The validated configuration of {@code shoal infer} (keys under shoal.infer). Empty contrasts are
 * null. {@code models}: the extra models scored beside {@code model} (best.json files, run folders,
 * or feature-set names, which mean {@code <trainOutput>/best-<name>.json}).
 */
public record InferConfig(
    String model,
    List<String> models,
    String trainOutput,
    String decisions,
    String contrasts,
    String output)
    implements StageConfig {
  private static final String K = "shoal.infer.";

  @Override
  public List<String> inputs() {
    List<String> inputs = new java.util.ArrayList<>(List.of(model, decisions));
    if (contrasts != null) {
      inputs.add(contrasts);
    }
    models.forEach(m -> inputs.add(modelPath(m)));
    return inputs;
  }

  public static InferConfig from(Settings s) {
    return new InferConfig(
        s.string(K + "model"),
        s.strings(K + "models"),
        s.string("shoal.train.output"),
        s.string(K + "decisions"),
        s.optionalString(K + "contrasts"),
        s.string(K + "output"));
  }

  /** Where an entry of {@code models} points: a feature-set name means that set's best run. */
  public String modelPath(String entry) {
    return entry.matches("[A-Za-z0-9_-]+") ? trainOutput + "/best-" + entry + ".json" : entry;
  }
}
