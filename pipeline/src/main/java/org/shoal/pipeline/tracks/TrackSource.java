package org.shoal.pipeline.tracks;

import java.io.Serializable;
import java.util.List;

/**
 * Where tracks come from and which columns hold what. A null column means the format's own names
 * ({@link TrackFormat}). {@code attributes} are extra per-fix columns carried through (e.g. fork
 * length, release region) that must exist; {@code optionalAttributes} are carried when present and
 * left out, with a note, when not. {@code timestampFormat} is null or blank for the built-in
 * formats.
 */
public record TrackSource(
    TrackFormat format,
    String path,
    String individualColumn,
    String timestampColumn,
    String latitudeColumn,
    String longitudeColumn,
    List<String> attributes,
    List<String> optionalAttributes,
    String timestampFormat)
    implements Serializable {

  public TrackSource {
    attributes = List.copyOf(attributes);
    optionalAttributes = List.copyOf(optionalAttributes);
  }

  /** A source with the format's own column names, carrying the format's attributes when present. */
  public static TrackSource of(TrackFormat format, String path) {
    return new TrackSource(
        format, path, null, null, null, null, List.of(), format.attributes, null);
  }

  /** This source with other attributes (all required). */
  public TrackSource withAttributes(List<String> required) {
    return new TrackSource(
        format,
        path,
        individualColumn,
        timestampColumn,
        latitudeColumn,
        longitudeColumn,
        required,
        List.of(),
        timestampFormat);
  }

  public Timestamps timestamps() {
    return timestampFormat == null || timestampFormat.isBlank()
        ? Timestamps.flexible()
        : Timestamps.pattern(timestampFormat);
  }
}
