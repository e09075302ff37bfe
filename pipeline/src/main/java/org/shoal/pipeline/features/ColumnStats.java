package org.shoal.pipeline.features;

/** Statistics of one prepared column over the training rows. */
public record ColumnStats(long count, double mean, double sd, double min, double max) {}
