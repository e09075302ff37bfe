package org.shoal.pipeline.simulate;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Locale;
import java.util.SplittableRandom;
import org.shoal.pipeline.util.SeededHash;

/**
 * How many fish to release, when and for how long. Every random draw of individual {@code i} comes
 * from a generator seeded with {@code (seed, i)}, so results do not depend on how the work is
 * partitioned.
 */
public record SimulationSpec(
    long seed,
    int individuals,
    int minDays,
    int maxDays,
    LocalDate startDate,
    int releaseWindowDays,
    double meanForkLengthCm,
    double sdForkLengthCm)
    implements Serializable {

  public SimulationSpec {
    if (individuals < 1) {
      throw new IllegalArgumentException("individuals must be >= 1, got " + individuals);
    }
    if (minDays < 1 || maxDays < minDays) {
      throw new IllegalArgumentException(
          "need 1 <= min-days <= max-days, got " + minDays + ".." + maxDays);
    }
    if (releaseWindowDays < 0) {
      throw new IllegalArgumentException(
          "release window must be >= 0 days, got " + releaseWindowDays);
    }
  }

  /** The last day any track can reach: covariates are produced up to here. */
  public LocalDate lastDate() {
    return startDate.plusDays((long) releaseWindowDays + maxDays);
  }

  public int coveredDays() {
    return releaseWindowDays + maxDays + 1;
  }

  /** The random stream of one individual: first its attributes, then its daily moves. */
  public SplittableRandom random(long individual) {
    return new SplittableRandom(
        SeededHash.murmurMix(seed) ^ SeededHash.murmurMix(individual + SeededHash.GOLDEN));
  }

  public static String individualId(long individual) {
    return String.format(Locale.ROOT, "sim-%05d", individual);
  }
}
