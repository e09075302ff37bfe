package org.shoal.pipeline.augment;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.features.ChoiceFeatures;
import org.shoal.pipeline.features.Normalisation;
import org.shoal.pipeline.features.Transform;
import org.shoal.pipeline.h3.ChoiceTable;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

class TestAddNoise {
  private final SparkSession spark = SharedSpark.session();

  private static final Noise SALINITY =
      new Noise(
          "salinity", Noise.Distribution.UNIFORM, Noise.Mode.ADDITIVE, 0.25, null, null, null);
  private static final Noise MLT =
      new Noise("mlt", Noise.Distribution.UNIFORM, Noise.Mode.ADDITIVE, 5, 0.0, null, null);
  private static final Noise HEADING =
      new Noise(
          ChoiceTable.BEARING_DEG,
          Noise.Distribution.UNIFORM,
          Noise.Mode.ADDITIVE,
          22.5,
          null,
          null,
          360.0);

  @Test
  void noiseFormulas() {
    assertThat(SALINITY.apply(32.0, 0.0, 9)).isEqualTo(31.75);
    assertThat(SALINITY.apply(32.0, 0.5, 9)).isEqualTo(32.0);
    assertThat(MLT.apply(2.0, 0.0, 9)).as("clipped at 0").isEqualTo(0.0);
    assertThat(HEADING.apply(350.0, 1.0, 9)).as("wraps").isCloseTo(12.5, within(1e-9));
    assertThat(HEADING.apply(10.0, 0.0, 9)).isCloseTo(347.5, within(1e-9));
    Noise elevation =
        new Noise(
            "e", Noise.Distribution.UNIFORM, Noise.Mode.MULTIPLICATIVE, 0.1, null, null, null);
    assertThat(elevation.apply(-1000, 1.0, 9)).isCloseTo(-1100, within(1e-9));
    Noise gaussian =
        new Noise("g", Noise.Distribution.GAUSSIAN, Noise.Mode.ADDITIVE, 2, null, null, null);
    assertThat(gaussian.apply(1.0, 0.3, -1.5)).isEqualTo(-2.0);
    assertThatThrownBy(
            () ->
                new Noise(
                    "x", Noise.Distribution.UNIFORM, Noise.Mode.ADDITIVE, -1, null, null, null))
        .hasMessageContaining("'x'");
  }

  /**
   * Three fish (two training, one validation), two decisions of three choices each, features as
   * expand makes them.
   */
  private Dataset<Row> choices() {
    List<Row> rows = new ArrayList<>();
    String[] fish = {"a", "b", "v"};
    for (String f : fish) {
      for (int d = 1; d <= 2; d++) {
        for (int c = 1; c <= 3; c++) {
          rows.add(
              RowFactory.create(
                  f,
                  d,
                  c,
                  Date.valueOf("2020-06-0" + d),
                  "o",
                  c == 1 ? "o" : "c" + c,
                  c == 2,
                  f.equals("v") ? "validation" : "train",
                  c == 1 ? 0.0 : 40.0 * c,
                  c == 1 ? 0.0 : 100.0 * c,
                  31.0 + c + d,
                  1.0 + c));
        }
      }
    }
    Dataset<Row> base =
        spark.createDataFrame(
            rows,
            StructType.fromDDL(
                "individual STRING, decision INT, choice INT, date DATE, origin_cell STRING, cell STRING, selected BOOLEAN, split STRING, distance_km DOUBLE, bearing_deg DOUBLE, salinity DOUBLE, mlt DOUBLE"));
    return NORMALISATION.apply(ChoiceFeatures.add(base, 100));
  }

  private static final Normalisation NORMALISATION =
      new Normalisation(
          Map.of("salinity", Transform.ZSCORE),
          Map.of("salinity", new org.shoal.pipeline.features.ColumnStats(10, 33.0, 0.5, 32, 35)));

  private static String key(Row r) {
    return r.getAs(Cols.INDIVIDUAL) + "/" + r.getAs(Cols.DECISION) + "/" + r.getAs(Cols.CHOICE);
  }

  @Test
  void copiesTrainingFishWithBoundedNoiseAndConsistentFeaturesAndLeavesValidationAlone() {
    Dataset<Row> in = choices();
    List<Row> out =
        AddNoise.apply(in, List.of(SALINITY, MLT, HEADING), 3, 42, 100, NORMALISATION)
            .collectAsList();
    Map<String, Row> originals = new HashMap<>();
    for (Row r : in.collectAsList()) {
      originals.put(key(r), r);
    }
    assertThat(out).hasSize(18 + 3 * 12);
    int copies = 0;
    for (Row r : out) {
      int copy = r.getAs(AddNoise.COPY);
      String source = r.getAs(AddNoise.SOURCE_INDIVIDUAL);
      if (copy == 0) {
        assertThat(r.<String>getAs(Cols.INDIVIDUAL)).isEqualTo(source);
        continue;
      }
      copies++;
      assertThat(source).isNotEqualTo("v");
      assertThat(r.<String>getAs(Cols.INDIVIDUAL)).isEqualTo(source + "~aug" + copy);
      Row o = originals.get(source + "/" + r.getAs(Cols.DECISION) + "/" + r.getAs(Cols.CHOICE));
      double salinity = r.getAs("salinity");
      assertThat(salinity).isCloseTo(o.<Double>getAs("salinity"), within(0.25));
      assertThat(salinity).isNotEqualTo(o.<Double>getAs("salinity"));
      assertThat(r.<Double>getAs("f_salinity")).isCloseTo((salinity - 33.0) / 0.5, within(1e-12));
      assertThat(r.<Double>getAs("mlt")).isGreaterThanOrEqualTo(0.0);
      double bearing = r.getAs(ChoiceTable.BEARING_DEG);
      assertThat(bearing).isBetween(0.0, 360.0);
      double diff =
          Math.abs(((bearing - o.<Double>getAs(ChoiceTable.BEARING_DEG)) % 360 + 540) % 360 - 180);
      assertThat(diff).isLessThanOrEqualTo(22.5 + 1e-9);
      boolean moved = !r.getAs(Cols.CELL).equals(r.getAs(Cols.ORIGIN_CELL));
      assertThat(r.<Double>getAs("f_sin_bearing"))
          .isCloseTo(moved ? Math.sin(Math.toRadians(bearing)) : 0.0, within(1e-12));
      assertThat(r.<Double>getAs("f_distance")).isEqualTo(o.<Double>getAs("f_distance"));
      assertThat(r.<Boolean>getAs(Cols.SELECTED)).isEqualTo(o.<Boolean>getAs(Cols.SELECTED));
    }
    assertThat(copies).isEqualTo(36);
  }

  @Test
  void zeroNoiseCopiesEqualTheirOriginals() {
    Noise none =
        new Noise(
            "salinity", Noise.Distribution.GAUSSIAN, Noise.Mode.ADDITIVE, 0, null, null, null);
    Dataset<Row> out = AddNoise.apply(choices(), List.of(none), 1, 1, 100, NORMALISATION);
    Dataset<Row> copies =
        out.filter(col(AddNoise.COPY).equalTo(1))
            .withColumn(Cols.INDIVIDUAL, col(AddNoise.SOURCE_INDIVIDUAL))
            .drop(AddNoise.COPY, AddNoise.SOURCE_INDIVIDUAL);
    Dataset<Row> train = choices().filter(col("split").equalTo("train"));
    assertThat(
            copies
                .exceptAll(
                    train.select(
                        copies.columns()[0],
                        java.util.Arrays.copyOfRange(copies.columns(), 1, copies.columns().length)))
                .count())
        .isZero();
  }

  @Test
  void aSeedIsReproducibleWhateverThePartitioning() {
    List<Row> a =
        AddNoise.apply(choices().repartition(1), List.of(SALINITY), 2, 5, 100, NORMALISATION)
            .orderBy(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE)
            .collectAsList();
    List<Row> b =
        AddNoise.apply(choices().repartition(5), List.of(SALINITY), 2, 5, 100, NORMALISATION)
            .orderBy(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE)
            .collectAsList();
    List<Row> c =
        AddNoise.apply(choices(), List.of(SALINITY), 2, 6, 100, NORMALISATION)
            .orderBy(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE)
            .collectAsList();
    assertThat(b).isEqualTo(a);
    assertThat(c).isNotEqualTo(a);
  }
}
