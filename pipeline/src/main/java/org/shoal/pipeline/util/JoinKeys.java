package org.shoal.pipeline.util;

import java.util.List;

/** Join columns as Spark's {@code Dataset.join(other, usingColumns)} takes them (a Scala Seq). */
public final class JoinKeys {
  private JoinKeys() {}

  public static scala.collection.Seq<String> of(String... columns) {
    return of(List.of(columns));
  }

  public static scala.collection.Seq<String> of(List<String> columns) {
    return scala.collection.JavaConverters.asScalaBuffer(columns).toSeq();
  }
}
