package org.shoal.jobs.config;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.shoal.pipeline.augment.Noise;

/**
 * The validated configuration of {@code shoal augment} (keys under shoal.augment). The default
 * noise list is the research's, on the synthetic world's columns: entries on columns the choices
 * lack fall away in the job.
 */
public record AugmentConfig(
    String input, String output, int copies, long seed, List<Noise> noise, boolean noiseIsDefault)
    implements StageConfig.OneInput {
  private static final String K = "shoal.augment.";

  public static AugmentConfig from(Settings s) {
    List<Noise> noise = new ArrayList<>();
    List<? extends Config> entries = s.objects(K + "noise");
    for (int i = 0; i < entries.size(); i++) {
      Settings e = new Settings(entries.get(i));
      String where = K + "noise[" + i + "]";
      try {
        noise.add(
            new Noise(
                e.string("column"),
                Noise.parse(Noise.Distribution.class, e.string("distribution")),
                Noise.parse(Noise.Mode.class, e.string("mode")),
                e.number("scale"),
                e.config().hasPath("min") ? e.number("min") : null,
                e.config().hasPath("max") ? e.number("max") : null,
                e.config().hasPath("wrap") ? e.number("wrap") : null));
      } catch (ConfigError | IllegalArgumentException ex) {
        throw new ConfigError(
            where + " (from " + entries.get(i).origin().description() + "): " + ex.getMessage(),
            ex);
      }
    }
    return new AugmentConfig(
        s.string(K + "input"),
        s.string(K + "output"),
        s.integer(K + "copies", 0, 1000),
        s.integer(K + "seed"),
        noise,
        s.isDefault(K + "noise"));
  }
}
