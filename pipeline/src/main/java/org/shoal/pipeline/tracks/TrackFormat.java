package org.shoal.pipeline.tracks;

import java.util.List;

/**
 * The track files shoal reads, each with the column names it looks for (matched case-insensitively,
 * first found wins) when the configuration names none.
 */
public enum TrackFormat {
  /** Any CSV with a header; columns from the configuration, else shoal's own names. */
  CSV,
  /** Parquet; columns from the configuration, else shoal's own names. */
  PARQUET,
  /**
   * Wildlife Computers GPE3 export: comment lines starting with {@code "; }, then a CSV with a
   * header.
   */
  GPE3(
      List.of("DeployID"),
      List.of("Date"),
      List.of("Most Likely Latitude"),
      List.of("Most Likely Longitude"),
      List.of(),
      null),
  /**
   * OTN/ACT detections: "matched detections" ({@code catalognumber, datecollected, latitude,
   * longitude}) or the Darwin-Core-style "qualified detections" ({@code catalogNumber,
   * dateCollectedUTC, decimalLatitude, decimalLongitude}). Where the catalog number is unique per
   * row (a detection id), {@code tagName} is the animal.
   */
  OTN(
      List.of("catalognumber"),
      List.of("datecollected", "dateCollectedUTC"),
      List.of("latitude", "decimalLatitude"),
      List.of("longitude", "decimalLongitude"),
      List.of("scientificname", "commonname"),
      "tagname");

  /** Column names tried in order for each role. */
  public final List<String> individual;

  public final List<String> timestamp;
  public final List<String> latitude;
  public final List<String> longitude;

  /** Per-fix columns carried along when present and the user named no attributes. */
  public final List<String> attributes;

  /**
   * The animal's column when the individual column turns out to be unique per row; null if none.
   */
  public final String individualWhenUniquePerRow;

  /** A plain table: shoal's own column names (those the simulator writes). */
  TrackFormat() {
    this(
        List.of("individual_id"),
        List.of("timestamp"),
        List.of("latitude"),
        List.of("longitude"),
        List.of(),
        null);
  }

  TrackFormat(
      List<String> individual,
      List<String> timestamp,
      List<String> latitude,
      List<String> longitude,
      List<String> attributes,
      String individualWhenUniquePerRow) {
    this.individual = individual;
    this.timestamp = timestamp;
    this.latitude = latitude;
    this.longitude = longitude;
    this.attributes = attributes;
    this.individualWhenUniquePerRow = individualWhenUniquePerRow;
  }
}
