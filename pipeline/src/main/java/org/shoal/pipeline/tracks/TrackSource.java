package org.shoal.pipeline.tracks;

import java.io.Serializable;
import java.util.List;

/**
 * Where tracks come from and which columns hold what. {@code attributes} are extra per-fix columns carried
 * through (e.g. fork length, release region); {@code timestampFormat} is null for the built-in formats.
 */
public record TrackSource(
    TrackFormat format,
    String path,
    String individualColumn,
    String timestampColumn,
    String latitudeColumn,
    String longitudeColumn,
    List<String> attributes,
    String timestampFormat)
    implements Serializable {

  public TrackSource {
    attributes = List.copyOf(attributes);
  }

  /** A source with the format's own column names. */
  public static TrackSource of(TrackFormat format, String path) {
    return new TrackSource(
        format, path, format.individual, format.timestamp, format.latitude, format.longitude,
        format.attributes, null);
  }

  public Timestamps timestamps() {
    return timestampFormat == null || timestampFormat.isBlank()
        ? Timestamps.flexible()
        : Timestamps.pattern(timestampFormat);
  }
}
