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

  // The canonical raw-fix table every track reader produces (all strings, as read).
  public static final String SOURCE_FILE = "source_file";
  public static final String INDIVIDUAL_TEXT = "individual_text";
  public static final String TIMESTAMP_TEXT = "timestamp_text";
  public static final String LATITUDE_TEXT = "latitude_text";
  public static final String LONGITUDE_TEXT = "longitude_text";

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

  /** How many grid points lie in a cell (the covariates' lookup table). */
  public static final String POINTS = "points";

  // Decisions and choices.
  public static final String INDIVIDUAL = "individual";
  public static final String DECISION = "decision";
  public static final String CHOICE = "choice";
  public static final String ORIGIN_CELL = "origin_cell";
  public static final String SELECTED = "selected";

  // Daily positions (tracks -> decisions). {@code step} counts steps since 1970-01-01; {@code
  // next_*} are null at segment ends.
  public static final String STEP = "step";
  public static final String FIXES = "fixes";
  public static final String SEGMENT = "segment";
  public static final String NEXT_CELL = "next_cell";
  public static final String NEXT_STEP = "next_step";

  /**
   * Geodesic km between the centroids of a decision's origin and next cell (dropped decisions carry
   * it).
   */
  public static final String DISTANCE_MOVED_KM = "distance_moved_km";

  /** Why a row was rejected or dropped, in every table of rejected or dropped rows. */
  public static final String REASON = "reason";

  // Imported choice tables: the row number in read order (1-based, for messages) and the
  // alternative's label.
  public static final String ROW = "row";
  public static final String ALTERNATIVE = "alternative";

  // Contrasts: the decision and choice a pair came from, and the draw that picked it.
  public static final String SOURCE_DECISION = "source_decision";
  public static final String SOURCE_CHOICE = "source_choice";
  public static final String DRAW = "draw";

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
