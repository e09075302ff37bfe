package org.shoal.jobs.config;

import org.shoal.pipeline.contrast.SampleContrasts;

/** The validated configuration of {@code shoal contrasts} (keys under shoal.contrasts). */
public record ContrastsConfig(String input, String output, SampleContrasts.Params params)
    implements StageConfig.OneInput {
  private static final String K = "shoal.contrasts.";

  public static ContrastsConfig from(Settings s) {
    SampleContrasts.Mode mode = s.choice(K + "mode", SampleContrasts.Mode.class, "contrast mode");
    int perIndividual =
        s.integer(
            K + "decisions-per-individual", mode == SampleContrasts.Mode.PAIRS ? 1 : 0, 10_000_000);
    int alternatives = s.integer(K + "alternatives-per-decision", 1, 10_000);
    return new ContrastsConfig(
        s.string(K + "input"),
        s.string(K + "output"),
        new SampleContrasts.Params(mode, perIndividual, alternatives, s.integer(K + "seed")));
  }
}
