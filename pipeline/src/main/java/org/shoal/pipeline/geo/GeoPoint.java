package org.shoal.pipeline.geo;

import java.io.Serializable;

/** A WGS-84 position in decimal degrees. */
public record GeoPoint(double lat, double lon) implements Serializable {}
