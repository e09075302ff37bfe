package org.shoal.pipeline.augment;

import java.io.Serializable;

/**
 * Noise on one raw column: a draw e, uniform on [-scale, scale] or normal(0, scale), added ({@code
 * v + e}) or multiplied ({@code v * (1 + e)}), then clipped to [min, max] and wrapped into [0,
 * wrap) when those are set.
 */
public record Noise(
    String column,
    Distribution distribution,
    Mode mode,
    double scale,
    Double min,
    Double max,
    Double wrap)
    implements Serializable {

  public enum Distribution {
    UNIFORM,
    GAUSSIAN
  }

  public enum Mode {
    ADDITIVE,
    MULTIPLICATIVE
  }

  public Noise {
    if (!(scale >= 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException(
          "noise scale of '" + column + "' must be >= 0, got " + scale);
    }
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException("noise clip of '" + column + "' has min > max");
    }
    if (wrap != null && !(wrap > 0)) {
      throw new IllegalArgumentException("noise wrap of '" + column + "' must be > 0, got " + wrap);
    }
  }

  /**
   * @param uniform a uniform number in [0, 1) (used by UNIFORM)
   * @param gaussian a standard normal number (used by GAUSSIAN)
   */
  public double apply(double value, double uniform, double gaussian) {
    double e = distribution == Distribution.UNIFORM ? (2 * uniform - 1) * scale : gaussian * scale;
    double v = mode == Mode.ADDITIVE ? value + e : value * (1 + e);
    if (min != null) {
      v = Math.max(min, v);
    }
    if (max != null) {
      v = Math.min(max, v);
    }
    if (wrap != null) {
      v = ((v % wrap) + wrap) % wrap;
    }
    return v;
  }

  public static <E extends Enum<E>> E parse(Class<E> type, String name) {
    return org.shoal.pipeline.util.Enums.parse(
        type, name, "noise " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT));
  }
}
