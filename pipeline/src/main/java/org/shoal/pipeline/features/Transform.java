package org.shoal.pipeline.features;

/**
 * How a raw covariate or attribute becomes a model feature. The {@code log} variants first take
 * {@code ln(x + 0.001)} (the research's epsilon); statistics are then those of the logged values.
 */
public enum Transform {
  IDENTITY(false),
  ZSCORE(false),
  MINMAX(false),
  LOG(true),
  LOG_ZSCORE(true),
  LOG_MINMAX(true);

  public static final double LOG_EPSILON = 0.001;

  private final boolean logged;

  Transform(boolean logged) {
    this.logged = logged;
  }

  public boolean logged() {
    return logged;
  }

  /** The value the statistics are computed on. */
  public double prepare(double raw) {
    return logged ? Math.log(raw + LOG_EPSILON) : raw;
  }

  /** The feature value, given statistics of prepared training values. */
  public double apply(double raw, ColumnStats s) {
    double u = prepare(raw);
    return switch (this) {
      case IDENTITY, LOG -> u;
      case ZSCORE, LOG_ZSCORE -> (u - s.mean()) / s.sd();
      case MINMAX, LOG_MINMAX -> (u - s.min()) / (s.max() - s.min());
    };
  }

  public String configName() {
    return org.shoal.pipeline.util.Enums.word(this);
  }

  public static Transform parse(String name) {
    return org.shoal.pipeline.util.Enums.parse(Transform.class, name, "transform");
  }
}
