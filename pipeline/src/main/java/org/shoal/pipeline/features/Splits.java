package org.shoal.pipeline.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Split;
import org.shoal.pipeline.util.SeededHash;

/**
 * Train/validation split by individual. From a seed, each individual's side comes from a hash of
 * its id (stable across runs, machines and the set of other individuals); or from a user's table of
 * (individual, split).
 */
public final class Splits {
  private Splits() {}

  /**
   * A uniform number in [0, 1) from (seed, id): 64-bit FNV-1a over the id, finished with a murmur
   * mix.
   */
  public static double uniform(String id, long seed) {
    return SeededHash.unit(SeededHash.murmurMix(SeededHash.fnv1a(seed, id)));
  }

  public static String side(String id, long seed, double validationFraction) {
    return (uniform(id, seed) < validationFraction ? Split.VALIDATION : Split.TRAIN).label();
  }

  /**
   * The hash split of {@code individuals}, except that training is never left without an individual
   * that has decisions ({@code withDecisions}): when the hash sends them all to validation (one
   * tagged animal, say), the one with the highest hash value trains instead.
   */
  public static Dataset<Row> byHash(
      Dataset<Row> individuals, Dataset<Row> withDecisions, long seed, double validationFraction) {
    Dataset<Row> split = byHash(individuals, seed, validationFraction);
    java.util.List<String> candidates =
        withDecisions
            .select(Cols.INDIVIDUAL)
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    boolean anyTraining =
        candidates.stream()
            .anyMatch(id -> side(id, seed, validationFraction).equals(Split.TRAIN.label()));
    if (anyTraining || candidates.isEmpty()) {
      return split;
    }
    String trainee =
        candidates.stream()
            .max(java.util.Comparator.comparingDouble((String id) -> uniform(id, seed)))
            .orElseThrow();
    return split.withColumn(
        Cols.SPLIT,
        org.apache
            .spark
            .sql
            .functions
            .when(col(Cols.INDIVIDUAL).equalTo(trainee), Split.TRAIN.label())
            .otherwise(col(Cols.SPLIT)));
  }

  /** Adds {@code split} to rows with an {@code individual} column. */
  public static Dataset<Row> byHash(Dataset<Row> rows, long seed, double validationFraction) {
    if (!(validationFraction >= 0 && validationFraction <= 1)) {
      throw new IllegalArgumentException(
          "validation fraction must be in [0, 1], got " + validationFraction);
    }
    return rows.withColumn(
        Cols.SPLIT,
        udf((UDF1<String, String>) id -> side(id, seed, validationFraction), DataTypes.StringType)
            .apply(col(Cols.INDIVIDUAL)));
  }
}
