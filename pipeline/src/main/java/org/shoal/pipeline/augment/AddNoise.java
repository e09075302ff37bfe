package org.shoal.pipeline.augment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.shoal.pipeline.features.ChoiceFeatures;
import org.shoal.pipeline.features.Normalisation;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Split;
import org.shoal.pipeline.util.Draws;

/**
 * Noise augmentation: K noisy copies of every training individual become new pseudo-individuals
 * ({@code <id>~aug<k>}); validation rows pass through untouched. Noise is drawn per row and column
 * from (seed, individual, decision, choice, copy), applied to raw columns, and then the features
 * derived from them are recomputed (bearing to sin/cos, distance to f_distance, transformed columns
 * with the dataset's own training statistics), so derived features stay consistent with the noisy
 * raw values.
 */
public final class AddNoise {
  public static final String SOURCE_INDIVIDUAL = "source_individual";
  public static final String COPY = "copy";
  public static final String SUFFIX = "~aug";

  private AddNoise() {}

  public static Dataset<Row> apply(
      Dataset<Row> choices,
      List<Noise> noise,
      int copies,
      long seed,
      double radiusKm,
      Normalisation normalisation) {
    List<String> names = Arrays.asList(choices.columns());
    for (Noise n : noise) {
      if (!names.contains(n.column())) {
        throw new IllegalArgumentException(
            "noise column '" + n.column() + "' is not in the choices " + names);
      }
    }
    Dataset<Row> originals =
        choices.withColumn(SOURCE_INDIVIDUAL, col(Cols.INDIVIDUAL)).withColumn(COPY, lit(0));
    if (copies == 0) {
      return originals;
    }
    StructType schema = originals.schema();
    Dataset<Row> noisy =
        originals
            .filter(Split.TRAIN.rows())
            .flatMap(new Copies(schema, noise, copies, seed), Encoders.row(schema));
    if (names.contains(ChoiceFeatures.Base.DISTANCE.columns.get(0))) {
      noisy = recomputeGeometry(noisy, radiusKm);
    }
    for (String c : normalisation.transforms().keySet()) {
      noisy = noisy.withColumn(Normalisation.featureName(c), normalisation.column(c));
    }
    org.apache.spark.sql.Column[] inOrder =
        Arrays.stream(schema.fieldNames())
            .map(f -> col("`" + f + "`"))
            .toArray(org.apache.spark.sql.Column[]::new);
    return originals.unionByName(noisy.select(inOrder));
  }

  /** The same expressions as expand, so unperturbed copies equal their originals exactly. */
  private static Dataset<Row> recomputeGeometry(Dataset<Row> rows, double radiusKm) {
    List<String> derived =
        new ArrayList<>(ChoiceFeatures.columns(List.of(ChoiceFeatures.Base.values())));
    derived.addAll(
        List.of(ChoiceFeatures.STAY_PUT, ChoiceFeatures.DAY_OF_YEAR, ChoiceFeatures.MONTH));
    return ChoiceFeatures.add(rows.drop(derived.toArray(String[]::new)), radiusKm);
  }

  private static final class Copies implements FlatMapFunction<Row, Row> {
    private final List<Noise> noise;
    private final int copies;
    private final long seed;
    private final int individual;
    private final int source;
    private final int copy;
    private final int decision;
    private final int choice;
    private final int[] columns;

    Copies(StructType schema, List<Noise> noise, int copies, long seed) {
      this.noise = noise;
      this.copies = copies;
      this.seed = seed;
      this.individual = schema.fieldIndex(Cols.INDIVIDUAL);
      this.source = schema.fieldIndex(SOURCE_INDIVIDUAL);
      this.copy = schema.fieldIndex(COPY);
      this.decision = schema.fieldIndex(Cols.DECISION);
      this.choice = schema.fieldIndex(Cols.CHOICE);
      this.columns = noise.stream().mapToInt(n -> schema.fieldIndex(n.column())).toArray();
      for (Noise n : noise) {
        if (schema.apply(n.column()).dataType() != DataTypes.DoubleType) {
          throw new IllegalArgumentException(
              "noise column '" + n.column() + "' is not numeric (double)");
        }
      }
    }

    @Override
    public Iterator<Row> call(Row r) {
      String id = r.getString(individual);
      long d = ((Number) r.get(decision)).longValue();
      long c = ((Number) r.get(choice)).longValue();
      List<Row> out = new ArrayList<>(copies);
      for (int k = 1; k <= copies; k++) {
        Object[] values = new Object[r.length()];
        for (int i = 0; i < values.length; i++) {
          values[i] = r.get(i);
        }
        values[individual] = id + SUFFIX + k;
        values[source] = id;
        values[copy] = k;
        for (int j = 0; j < columns.length; j++) {
          if (!r.isNullAt(columns[j])) {
            long stream = k * 1024L + j;
            values[columns[j]] =
                noise
                    .get(j)
                    .apply(
                        r.getDouble(columns[j]),
                        Draws.uniform(seed, id, d, c, stream),
                        Draws.gaussian(seed, id, d, c, stream));
          }
        }
        out.add(RowFactory.create(values));
      }
      return out.iterator();
    }
  }
}
