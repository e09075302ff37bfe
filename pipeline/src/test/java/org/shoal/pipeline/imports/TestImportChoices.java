package org.shoal.pipeline.imports;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.features.Transform;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;

/** A long choice table with every kind of bad row, against values worked out by hand. */
class TestImportChoices {
  private final SparkSession spark = SharedSpark.session();

  /** Rows 1-3 decision 1 (car chosen), 4-6 decision 2 (bus), then one bad decision per kind. */
  private Dataset<Row> table() {
    List<String> lines =
        List.of(
            "1,car,1,10,50",
            "1,bus,0,5,50",
            "1,train,0,8,50",
            "2,car,no,12,30",
            "2,bus,YES,6,30",
            "2,train,0,9,30",
            "3,car,1,abc,40",
            "3,bus,0,7,40",
            "4,car,1,10,40",
            "4,bus,1,7,40",
            "5,car,0,10,40",
            "5,bus,0,7,40",
            "6,car,maybe,10,40",
            "6,bus,0,7,40");
    Dataset<String> csv =
        spark.createDataset(lines, org.apache.spark.sql.Encoders.STRING()).coalesce(1);
    return spark
        .read()
        .schema("idcase INT, alt STRING, chosen STRING, ic STRING, income DOUBLE")
        .csv(csv);
  }

  private static ImportChoices.Params params(
      Map<String, Transform> features, boolean constants, List<String> interactions) {
    return new ImportChoices.Params(
        new ImportChoices.Columns(null, "idcase", "chosen", null, "alt", null),
        features,
        constants,
        null,
        interactions,
        42,
        0);
  }

  @Test
  void goodDecisionsAreKeptAndEveryBadOneIsRejectedWholeWithItsReason() {
    ImportChoices.Output out =
        ImportChoices.run(
            spark, table(), params(Map.of("ic", Transform.IDENTITY), false, List.of()));
    assertThat(out.rowsIn().count()).isEqualTo(14);
    assertThat(out.choices().count()).isEqualTo(6);
    assertThat(out.rejected().count()).isEqualTo(8);

    Map<String, String> reasons =
        out.rejected().select("idcase", Cols.REASON).distinct().collectAsList().stream()
            .collect(java.util.stream.Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
    assertThat(reasons)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "3", "ic = 'abc' is not a number (row 7)",
                "4", "2 selected choices",
                "5", "no selected choice",
                "6", "chosen = 'maybe' is not a boolean (0/1, true/false, yes/no) (row 13)"));
    assertThat(
            out.rejectedDecisions()
                .select(Cols.REASON)
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactlyInAnyOrder(
            "ic is not a number",
            "2 selected choices",
            "no selected choice",
            "chosen is not a boolean (0/1, true/false, yes/no)");

    List<Row> kept = out.choices().orderBy("individual", "choice").collectAsList();
    assertThat(kept)
        .extracting(r -> r.<String>getAs("individual"))
        .containsExactly("1", "1", "1", "2", "2", "2");
    assertThat(kept).extracting(r -> r.<Integer>getAs("choice")).containsExactly(1, 2, 3, 1, 2, 3);
    assertThat(kept)
        .extracting(r -> r.<Boolean>getAs("selected"))
        .containsExactly(true, false, false, false, true, false);
    assertThat(kept)
        .extracting(r -> r.<Double>getAs("f_ic"))
        .containsExactly(10.0, 5.0, 8.0, 12.0, 6.0, 9.0);
    assertThat(kept).extracting(r -> r.<String>getAs("split")).containsOnly("train");
    assertThat(out.features()).containsExactly("f_ic");
  }

  @Test
  void constantsAndInteractionsPerNonBaseAlternativeAndTransformsFromTrainingRows() {
    ImportChoices.Output out =
        ImportChoices.run(
            spark, table(), params(Map.of("ic", Transform.ZSCORE), true, List.of("income")));
    assertThat(out.alternatives())
        .containsExactly("bus", "car", "train"); // base first: bus sorts first
    assertThat(out.features())
        .containsExactly("f_ic", "f_asc_car", "f_income_car", "f_asc_train", "f_income_train");
    Row bus2 =
        out.choices()
            .filter(col("individual").equalTo("2").and(col("alternative").equalTo("train")))
            .first();
    assertThat(bus2.<Double>getAs("f_asc_car")).isEqualTo(0.0);
    assertThat(bus2.<Double>getAs("f_asc_train")).isEqualTo(1.0);
    assertThat(bus2.<Double>getAs("f_income_train")).isEqualTo(30.0);
    assertThat(bus2.<Double>getAs("f_income_car")).isEqualTo(0.0);
    // ic of the kept rows: 10, 5, 8, 12, 6, 9: mean 25/3, population sd sqrt(50/9)... by hand
    double mean = (10 + 5 + 8 + 12 + 6 + 9) / 6.0;
    double sd =
        Math.sqrt(
            (Math.pow(10 - mean, 2)
                    + Math.pow(5 - mean, 2)
                    + Math.pow(8 - mean, 2)
                    + Math.pow(12 - mean, 2)
                    + Math.pow(6 - mean, 2)
                    + Math.pow(9 - mean, 2))
                / 6);
    assertThat(bus2.<Double>getAs("f_ic")).isCloseTo((9 - mean) / sd, within(1e-12));
  }

  @Test
  void aBaseAlternativeThatDoesNotExistIsNamed() {
    ImportChoices.Params p =
        new ImportChoices.Params(
            new ImportChoices.Columns(null, "idcase", "chosen", null, "alt", null),
            Map.of(),
            true,
            "plane",
            List.of(),
            42,
            0);
    assertThatThrownBy(() -> ImportChoices.run(spark, table(), p))
        .hasMessage("base alternative 'plane' is not among the alternatives [bus, car, train]");
  }

  @Test
  void selectedAcceptsTheUsualSpellings() {
    for (String yes : List.of("1", "true", "TRUE", "yes", "Y", "t", "1.0")) {
      assertThat(ImportChoices.parseSelected(yes)).as(yes).isTrue();
    }
    for (String no : List.of("0", "false", "No", "n", "F", "0.0")) {
      assertThat(ImportChoices.parseSelected(no)).as(no).isFalse();
    }
    assertThat(ImportChoices.parseSelected("2")).isNull();
    assertThat(ImportChoices.parseSelected(null)).isNull();
  }
}
