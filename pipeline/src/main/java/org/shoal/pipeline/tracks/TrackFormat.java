package org.shoal.pipeline.tracks;

import java.util.List;

/** The track files shoal reads, each with its default column names. */
public enum TrackFormat {
  /** Any CSV with a header; columns from the configuration. */
  CSV("individual_id", "timestamp", "latitude", "longitude", List.of()),
  /** Parquet; columns from the configuration. */
  PARQUET("individual_id", "timestamp", "latitude", "longitude", List.of()),
  /** Wildlife Computers GPE3 export: comment lines starting with {@code "; }, then a CSV with a header. */
  GPE3("DeployID", "Date", "Most Likely Latitude", "Most Likely Longitude", List.of()),
  /** OTN/ACT "matched detections" CSV. */
  OTN("catalognumber", "datecollected", "latitude", "longitude", List.of("scientificname", "commonname"));

  public final String individual;
  public final String timestamp;
  public final String latitude;
  public final String longitude;
  public final List<String> attributes;

  TrackFormat(
      String individual, String timestamp, String latitude, String longitude, List<String> attributes) {
    this.individual = individual;
    this.timestamp = timestamp;
    this.latitude = latitude;
    this.longitude = longitude;
    this.attributes = attributes;
  }

  public static TrackFormat parse(String name) {
    return org.shoal.pipeline.util.Enums.parse(TrackFormat.class, name, "track format");
  }
}
