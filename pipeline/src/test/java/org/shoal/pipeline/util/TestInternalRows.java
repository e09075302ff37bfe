package org.shoal.pipeline.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The keys streamed passes split decisions by, read from a scan's reused row. */
class TestInternalRows {
  private static final DataType[] TYPES = {
    DataTypes.StringType, DataTypes.IntegerType, DataTypes.LongType, DataTypes.DoubleType
  };

  /** A row as a scan hands it over: the projection writes every row into the same buffer. */
  private static InternalRow scanned(UnsafeProjection scan, Object... values) {
    return scan.apply(new GenericInternalRow(values));
  }

  @Test
  void copiedKeysOutliveTheReusedRowAndCompareInPlace() {
    UnsafeProjection scan = UnsafeProjection.create(TYPES);
    InternalRows.Key[] keys = new InternalRows.Key[TYPES.length];
    for (int c = 0; c < TYPES.length; c++) {
      keys[c] = new InternalRows.Key(c, TYPES[c]);
    }
    InternalRow first = scanned(scan, UTF8String.fromString("fish-1"), 1000, 7L, 0.5);
    Object[] copies = new Object[TYPES.length];
    for (int c = 0; c < TYPES.length; c++) {
      copies[c] = keys[c].copy(first);
      assertThat(keys[c].holds(first, copies[c])).as("column " + c).isTrue();
    }
    InternalRow second = scanned(scan, UTF8String.fromString("fish-2"), 1001, 8L, 0.25);
    assertThat(second).isSameAs(first); // the scan's row was reused...
    // ...and the copies still hold the first row's values, which the second row does not
    assertThat(copies).containsExactly(UTF8String.fromString("fish-1"), 1000, 7L, 0.5);
    for (int c = 0; c < TYPES.length; c++) {
      assertThat(keys[c].holds(second, copies[c])).as("column " + c).isFalse();
    }
    InternalRow same = scanned(scan, UTF8String.fromString("fish-1"), 1000, 7L, 0.5);
    for (int c = 0; c < TYPES.length; c++) {
      assertThat(keys[c].holds(same, copies[c])).as("column " + c).isTrue();
    }
  }

  @Test
  void nullKeysHoldOnlyNull() {
    UnsafeProjection scan = UnsafeProjection.create(TYPES);
    InternalRows.Key individual = new InternalRows.Key(0, DataTypes.StringType);
    InternalRows.Key decision = new InternalRows.Key(1, DataTypes.IntegerType);
    InternalRow nulls = scanned(scan, null, null, 1L, 1.0);
    assertThat(individual.copy(nulls)).isNull();
    assertThat(individual.holds(nulls, null)).isTrue();
    assertThat(decision.holds(nulls, 3)).isFalse();
    InternalRow values = scanned(scan, UTF8String.fromString("a"), 3, 1L, 1.0);
    assertThat(individual.holds(values, null)).isFalse();
    assertThat(decision.holds(values, 3)).isTrue();
  }
}
