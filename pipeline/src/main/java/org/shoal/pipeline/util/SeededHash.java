package org.shoal.pipeline.util;

import java.nio.charset.StandardCharsets;

/**
 * The pieces of shoal's seeded random numbers, which are pure functions of (seed, id, counters) so
 * that results do not depend on partitioning, executors or row order: FNV-1a over an id, two 64-bit
 * finalisers, and the map to [0, 1).
 */
public final class SeededHash {
  /** The golden-ratio increment of SplitMix64, used to separate counters. */
  public static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private SeededHash() {}

  /**
   * 64-bit FNV-1a over the UTF-8 bytes of {@code id}, starting from the offset basis xor {@code
   * salt}.
   */
  public static long fnv1a(long salt, String id) {
    long h = 0xcbf29ce484222325L ^ salt;
    for (byte x : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= x & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** MurmurHash3's 64-bit finaliser (fmix64). */
  public static long murmurMix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /** SplitMix64's finaliser (Stafford's variant 13). */
  public static long splitMix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The top 53 bits as a uniform number in [0, 1). */
  public static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}
