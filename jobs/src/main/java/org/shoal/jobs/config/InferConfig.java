package org.shoal.jobs.config;

/** The validated configuration of {@code shoal infer} (keys under shoal.infer). Empty contrasts are null. */
public record InferConfig(String model, String decisions, String contrasts, String output) {
  private static final String K = "shoal.infer.";

  public static InferConfig from(Settings s) {
    String contrasts = s.string(K + "contrasts");
    return new InferConfig(
        s.string(K + "model"), s.string(K + "decisions"), contrasts.isBlank() ? null : contrasts, s.string(K + "output"));
  }
}
