package org.shoal.pipeline.tracks;

/** Columns of the canonical raw-fix table that every reader produces (all strings, as read). */
public final class TrackColumns {
  private TrackColumns() {}

  public static final String SOURCE_FILE = "source_file";
  public static final String INDIVIDUAL_TEXT = "individual_text";
  public static final String TIMESTAMP_TEXT = "timestamp_text";
  public static final String LATITUDE_TEXT = "latitude_text";
  public static final String LONGITUDE_TEXT = "longitude_text";
}
