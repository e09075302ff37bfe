package org.shoal.jobs.config;

import java.util.List;

/**
 * The validated configuration of {@code shoal diffuse} (keys under shoal.diffuse). Empty paths are
 * null.
 */
public record DiffuseConfig(
    String transitions,
    String reference,
    String initial,
    int days,
    List<Integer> pictures,
    String output)
    implements StageConfig {
  private static final String K = "shoal.diffuse.";

  @Override
  public List<String> inputs() {
    return StageConfig.present(transitions, reference, initial);
  }

  public static DiffuseConfig from(Settings s) {
    return new DiffuseConfig(
        s.string(K + "transitions"),
        s.optionalString(K + "reference"),
        s.optionalString(K + "initial"),
        s.integer(K + "days", 1, 100_000),
        s.config().getIntList(K + "pictures"),
        s.string(K + "output"));
  }
}
