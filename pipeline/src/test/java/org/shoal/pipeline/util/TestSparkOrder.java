package org.shoal.pipeline.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** Spark's order of keys: what the checks of streamed passes compare rows by. */
class TestSparkOrder {
  @Test
  void javaAndSparkStringsOrderByCodePointAsSparkSorts() {
    // U+FF61 sorts before U+1F41F (a fish) by code point, after it in UTF-16 units
    List<String> pairs = List.of("a", "b", "ab", "b", "\uFF61", "\uD83D\uDC1F", "x", "x");
    for (int i = 0; i < pairs.size(); i += 2) {
      String x = pairs.get(i);
      String y = pairs.get(i + 1);
      int java = Integer.signum(SparkOrder.compare((Object) x, (Object) y));
      int spark =
          Integer.signum(SparkOrder.compare(UTF8String.fromString(x), UTF8String.fromString(y)));
      assertThat(spark).as(x + " vs " + y).isEqualTo(java);
    }
    assertThat(SparkOrder.compare((Object) "\uFF61", (Object) "\uD83D\uDC1F")).isNegative();
    assertThat("\uFF61".compareTo("\uD83D\uDC1F")).isPositive();
    assertThat(SparkOrder.compare((Object) "x", (Object) "x")).isZero();
  }

  @Test
  void numbersByValueAndMixedKindsOutOfOrder() {
    assertThat(SparkOrder.compare(2L, 10)).isNegative();
    assertThat(SparkOrder.compare(2.5, 2L)).isPositive();
    assertThat(SparkOrder.compare("2", UTF8String.fromString("2"))).isEqualTo(-1);
    assertThat(SparkOrder.compare(null, 1)).isEqualTo(-1);
  }
}
