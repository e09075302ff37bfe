package org.shoal.pipeline.util;

/**
 * Random numbers as a pure function of (seed, individual, counters): the same draw whatever the
 * partitioning, the executor count or the order rows arrive in. Never Spark's {@code rand()}, whose
 * draws depend on both.
 */
public final class Draws {
  private Draws() {}

  /** A uniform number in [0, 1). */
  public static double uniform(long seed, String individual, long a, long b, long c) {
    long h = SeededHash.fnv1a(mix(seed), individual);
    h = mix(h ^ mix(a + SeededHash.GOLDEN));
    h = mix(h ^ mix(b + 0xBF58476D1CE4E5B9L));
    h = mix(h ^ mix(c + 0x94D049BB133111EBL));
    return SeededHash.unit(h);
  }

  /** An index in [0, n). */
  public static int index(int n, long seed, String individual, long a, long b, long c) {
    return (int) Math.min(n - 1, Math.floor(uniform(seed, individual, a, b, c) * n));
  }

  /** A standard normal number (Box-Muller over two independent uniforms). */
  public static double gaussian(long seed, String individual, long a, long b, long c) {
    // Salted counters keep these two streams apart from the uniform draws with small counters.
    double u1 = 1.0 - uniform(seed, individual, a, b, mix(c) ^ 0x6A09E667F3BCC908L);
    double u2 = uniform(seed, individual, a, b, mix(c) ^ 0xBB67AE8584CAA73BL);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static long mix(long z) {
    return SeededHash.splitMix(z);
  }
}
