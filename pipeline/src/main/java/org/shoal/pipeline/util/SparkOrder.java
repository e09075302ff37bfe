package org.shoal.pipeline.util;

import org.apache.spark.unsafe.types.UTF8String;

/**
 * The order Spark sorts keys in, in plain Java: numbers by value, strings by code point (the order
 * of their UTF-8 bytes; {@link String#compareTo} orders UTF-16 units, which differs above U+FFFF).
 */
public final class SparkOrder {
  private SparkOrder() {}

  /** Strings by code point. */
  public static int compare(String x, String y) {
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int cx = x.codePointAt(i);
      int cy = y.codePointAt(j);
      if (cx != cy) {
        return Integer.compare(cx, cy);
      }
      i += Character.charCount(cx);
      j += Character.charCount(cy);
    }
    return Integer.compare(x.length() - i, y.length() - j);
  }

  /**
   * Two keys of one column: numbers by value, strings (Java's or Spark's) by code point; -1 for
   * other kinds or nulls, which callers checking an order treat as out of order.
   */
  public static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float
          ? Double.compare(x.doubleValue(), y.doubleValue())
          : Long.compare(x.longValue(), y.longValue());
    }
    if (a instanceof String x && b instanceof String y) {
      return compare(x, y);
    }
    if (a instanceof UTF8String x && b instanceof UTF8String y) {
      return x.compareTo(y); // by bytes: code points
    }
    return -1;
  }
}
