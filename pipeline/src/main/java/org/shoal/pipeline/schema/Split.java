package org.shoal.pipeline.schema;

import static org.apache.spark.sql.functions.col;

import java.util.Locale;
import org.apache.spark.sql.Column;

/**
 * Which side of the train/validation split an individual is on; its label is the value of {@link
 * Cols#SPLIT}.
 */
public enum Split {
  TRAIN,
  VALIDATION;

  /** The value stored in the split column: {@code train} or {@code validation}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True on the rows of this side. */
  public Column rows() {
    return col(Cols.SPLIT).equalTo(label());
  }
}
