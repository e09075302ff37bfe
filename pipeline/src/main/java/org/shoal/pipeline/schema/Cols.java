package org.shoal.pipeline.schema;

/** Column names, declared once. Tables and their schemas are in {@link Schemas}. */
public final class Cols {
  private Cols() {}

  // Tracks: the format users bring (and the simulator writes).
  public static final String INDIVIDUAL_ID = "individual_id";
  public static final String TIMESTAMP = "timestamp";
  public static final String LATITUDE = "latitude";
  public static final String LONGITUDE = "longitude";
  public static final String FORK_LENGTH_CM = "fork_length_cm";
  public static final String RELEASE_REGION = "release_region";

  // Cells and covariates, keyed by (cell, date).
  public static final String CELL = "cell";
  public static final String DATE = "date";
  public static final String LAND = "land";
  public static final String MIXED_LAYER_THICKNESS = "mixed_layer_thickness";
  public static final String NET_PRIMARY_PRODUCTION = "net_primary_production";
  public static final String SALINITY = "salinity";
  public static final String TEMPERATURE = "temperature";

  /**
   * Suffix of a covariate's count of valid grid points behind its cell mean (a count, never a
   * feature).
   */
  public static final String POINTS_SUFFIX = "_points";

  // Decisions and choices.
  public static final String INDIVIDUAL = "individual";
  public static final String DECISION = "decision";
  public static final String CHOICE = "choice";
  public static final String ORIGIN_CELL = "origin_cell";
  public static final String SELECTED = "selected";

  /** train or validation: see {@link Split}. */
  public static final String SPLIT = "split";

  // Model outputs (the simulator's truth table uses them too, so the true model reads like any
  // other model).
  public static final String LOG_ODDS = "log_odds";
  public static final String PROBABILITY = "probability";

  // Transitions and diffusion
  public static final String DESTINATION = "destination";

  /** Days since the start of a transition table or diffusion (0 = the start date). */
  public static final String DAY = "day";
}
