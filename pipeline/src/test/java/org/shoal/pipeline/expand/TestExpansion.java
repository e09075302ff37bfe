package org.shoal.pipeline.expand;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.features.ChoiceFeatures;
import org.shoal.pipeline.features.Splits;
import org.shoal.pipeline.features.Transform;
import org.shoal.pipeline.geo.GeoPoint;
import org.shoal.pipeline.geo.Geodesy;
import org.shoal.pipeline.h3.ChoiceSet;
import org.shoal.pipeline.h3.ChoiceSets;
import org.shoal.pipeline.h3.ChoiceTable;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Split;
import org.shoal.pipeline.testing.SharedSpark;
import org.shoal.pipeline.testing.TrackFixtures;
import org.shoal.pipeline.tracks.DailyPositions;
import org.shoal.pipeline.tracks.FixValidation;
import org.shoal.pipeline.tracks.Step;
import org.shoal.pipeline.tracks.TrackFormat;
import org.shoal.pipeline.tracks.TrackSource;

/** Expansion of a small hand-written track file whose every row has a known fate. */
class TestExpansion {
  private final SparkSession spark = SharedSpark.session();
  @TempDir Path dir;

  static final String TRACKS =
      String.join(
              "\n",
              "individual_id,timestamp,latitude,longitude,fork_length_cm,release_region",
              "A,2020-05-01T06:00:00Z,55.00,-145.00,80,north",
              "A,2020-05-02T06:00:00Z,55.10,-145.30,80,north",
              "A,2020-05-02T20:00:00Z,55.30,-145.60,80,north",
              "A,2020-05-03T06:00:00Z,55.30,-145.60,80,north",
              "A,2020-05-03T06:00:00Z,55.20,-145.60,80,north",
              "A,2020-05-03T06:00:00Z,55.30,-145.60,80,north",
              "B,2020-05-01,54.00,-150.00,70,south",
              "B,2020-05-02,54.20,-150.20,70,south",
              "B,2020-05-05,54.20,-150.20,70,south",
              "B,2020-05-06,54.00,-150.00,70,south",
              "C,2020-05-01,56.00,-140.00,90,central",
              "C,2020-05-02,58.50,-140.00,90,central",
              ",2020-05-01,55,-145,80,x",
              "D,yesterday,55,-145,80,x",
              "D,2020-05-01,95,-145,80,x",
              "D,2020-05-02,55,abc,80,x",
              "D,2020-05-03,55,-145,,x")
          + "\n";

  private static long cell(double lat, double lon) {
    return H3Cells.cellOf(lat, lon, 4);
  }

  private TrackSource source() throws IOException {
    Path f = dir.resolve("tracks.csv");
    Files.writeString(f, TRACKS);
    TrackSource csv = TrackSource.of(TrackFormat.CSV, f.toString());
    return csv.withAttributes(List.of("fork_length_cm", "release_region"));
  }

  private ExpandParams params(Map<String, Transform> covariates) throws IOException {
    return params(covariates, Map.of("fork_length_cm", Transform.ZSCORE));
  }

  /** Seed 8 puts A and B in training and C in validation. */
  private ExpandParams params(Map<String, Transform> covariates, Map<String, Transform> attributes)
      throws IOException {
    return new ExpandParams(
        source(),
        DailyPositions.Rule.LAST,
        Step.DAILY,
        4,
        100,
        ExpandDecisions.MissingCovariates.DROP,
        List.of(ChoiceFeatures.Base.values()),
        covariates,
        attributes,
        8,
        0.5);
  }

  @Test
  void everyRowHasAKnownFateAndTheBooksBalance() throws IOException {
    Expansion.Output out = Expansion.run(spark, params(Map.of()), null, null, null, null);
    ExpandReport r = ExpandReport.of(out);
    assertThat(r.fixesIn()).isEqualTo(17);
    assertThat(r.fixesRejected())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                FixValidation.Problem.MISSING_INDIVIDUAL.text(),
                1L,
                FixValidation.Problem.BAD_TIMESTAMP.text(),
                1L,
                FixValidation.Problem.LATITUDE_RANGE.text(),
                1L,
                FixValidation.Problem.BAD_LONGITUDE.text(),
                1L,
                "missing fork_length_cm",
                1L,
                FixValidation.Problem.DUPLICATE_FIX.text(),
                1L));
    // A's two fixes on May 2, and on May 3 a fix heard at the same time at another position
    // (merged, not rejected)
    assertThat(r.fixesMergedIntoPositions()).isEqualTo(2);
    assertThat(r.fixesSimultaneous()).isEqualTo(1);
    assertThat(r.positions()).isEqualTo(9);
    assertThat(r.individuals()).isEqualTo(3);
    assertThat(r.segments()).isEqualTo(4); // B's gap of two days cuts its track
    assertThat(r.segmentEnds()).isEqualTo(4);
    assertThat(r.decisionsConsidered()).isEqualTo(5);
    assertThat(r.decisionsDropped()).containsExactly(Map.entry(ExpandDecisions.BEYOND_RADIUS, 1L));
    assertThat(r.decisions()).isEqualTo(4);
    assertThat(r.balances()).isTrue();

    Row dropped = out.dropped().first();
    assertThat(dropped.<String>getAs(Cols.INDIVIDUAL)).isEqualTo("C");
    assertThat(dropped.<String>getAs(Cols.NEXT_CELL)).isEqualTo(H3Cells.address(cell(58.5, -140)));
    // the distance it moved, centroid to centroid (about 2.5 degrees of latitude), and the report's
    // largest
    double moved =
        Geodesy.distanceKm(H3Cells.centroid(cell(56, -140)), H3Cells.centroid(cell(58.5, -140)));
    assertThat(moved).isBetween(250.0, 310.0);
    assertThat(dropped.<Double>getAs(Cols.DISTANCE_MOVED_KM)).isCloseTo(moved, within(1e-9));
    assertThat(r.largestDroppedMoveKm()).isCloseTo(moved, within(1e-9));
    assertThat(r.individualsWithDecisionsBySplit()).isEqualTo(Map.of("train", 2L));

    // the choices per decision as counted by hand from the choice rows; every kept decision had
    // its whole choice set (no covariates), so nothing was removed
    Map<String, Integer> perDecision = new java.util.TreeMap<>();
    for (Row c : out.choices().collectAsList()) {
      perDecision.merge(c.getAs(Cols.INDIVIDUAL) + "/" + c.getAs(Cols.DECISION), 1, Integer::sum);
    }
    Map<Integer, Long> histogram = new java.util.TreeMap<>();
    perDecision.values().forEach(n -> histogram.merge(n, 1L, Long::sum));
    assertThat(r.choicesPerDecision()).isEqualTo(histogram);
    assertThat(r.choiceRows()).isEqualTo(perDecision.values().stream().mapToLong(n -> n).sum());
    assertThat(r.minChoices()).isEqualTo(java.util.Collections.min(perDecision.values()));
    assertThat(r.maxChoices()).isEqualTo(java.util.Collections.max(perDecision.values()));
    assertThat(r.choicesRemovedWithoutCovariates()).isZero();

    List<Row> rejected = out.rejected().orderBy("reason").collectAsList();
    assertThat(rejected).hasSize(6);
    Row duplicate =
        rejected.stream()
            .filter(x -> x.getAs("reason").equals(FixValidation.Problem.DUPLICATE_FIX.text()))
            .findFirst()
            .get();
    assertThat(duplicate.<String>getAs("latitude_text")).isEqualTo("55.30");
    assertThat(duplicate.<String>getAs("source_file")).endsWith("tracks.csv");
  }

  @Test
  void choicesAreTheOriginsChoiceSetWithExactGeometryAndTheRightSelection() throws IOException {
    Expansion.Output out = Expansion.run(spark, params(Map.of()), null, null, null, null);
    List<Row> a1 =
        out.choices()
            .filter(col(Cols.INDIVIDUAL).equalTo("A").and(col(Cols.DECISION).equalTo(1)))
            .orderBy(Cols.CHOICE)
            .collectAsList();
    long origin = cell(55.0, -145.0);
    long next = cell(55.3, -145.6); // the day's last fix wins
    ChoiceSet expected = new ChoiceSets(100).of(origin);
    assertThat(a1).hasSize(expected.size());
    GeoPoint o = H3Cells.centroid(origin);
    int selected = 0;
    for (int i = 0; i < a1.size(); i++) {
      Row r = a1.get(i);
      long c = expected.cells()[i];
      GeoPoint p = H3Cells.centroid(c);
      assertThat(r.<Integer>getAs(Cols.CHOICE)).isEqualTo(i + 1);
      assertThat(r.<String>getAs(Cols.CELL)).isEqualTo(H3Cells.address(c));
      assertThat(r.<String>getAs(Cols.ORIGIN_CELL)).isEqualTo(H3Cells.address(origin));
      assertThat(r.<Date>getAs(Cols.DATE)).isEqualTo(Date.valueOf("2020-05-01"));
      double km = Geodesy.distanceKm(o, p);
      assertThat(r.<Double>getAs(ChoiceTable.DISTANCE_KM)).isCloseTo(km, within(1e-9));
      assertThat(r.<Double>getAs("f_distance")).isCloseTo(km / 100, within(1e-12));
      double bearing = Math.toRadians(Geodesy.bearingDeg(o, p));
      boolean stay = c == origin;
      assertThat(r.<Double>getAs("f_stay_put")).isEqualTo(stay ? 1.0 : 0.0);
      assertThat(r.<Double>getAs("f_sin_bearing"))
          .isCloseTo(stay ? 0 : Math.sin(bearing), within(1e-12));
      assertThat(r.<Double>getAs("f_cos_bearing"))
          .isCloseTo(stay ? 0 : Math.cos(bearing), within(1e-12));
      // 2020 is a leap year: May 1 is day 122 of 366
      assertThat(r.<Integer>getAs(ChoiceFeatures.DAY_OF_YEAR)).isEqualTo(122);
      assertThat(r.<Double>getAs("f_sin_doy"))
          .isCloseTo(Math.sin(2 * Math.PI * 121 / 366), within(1e-12));
      assertThat(r.<Double>getAs("fork_length_cm")).isEqualTo(80.0);
      assertThat(r.<String>getAs("release_region")).isEqualTo("north");
      boolean isNext = c == next;
      assertThat(r.<Boolean>getAs(Cols.SELECTED)).isEqualTo(isNext);
      selected += isNext ? 1 : 0;
    }
    assertThat(selected).isEqualTo(1);

    Row a2Selected =
        out.choices()
            .filter(
                col(Cols.INDIVIDUAL)
                    .equalTo("A")
                    .and(col(Cols.DECISION).equalTo(2))
                    .and(col(Cols.SELECTED)))
            .first();
    assertThat(a2Selected.<String>getAs(Cols.CELL)).isEqualTo(a2Selected.getAs(Cols.ORIGIN_CELL));

    // B's decisions: May 1 -> 2 and May 5 -> 6, never across the gap
    List<Row> b =
        out.choices()
            .filter(col(Cols.INDIVIDUAL).equalTo("B").and(col(Cols.SELECTED)))
            .orderBy(Cols.DECISION)
            .collectAsList();
    assertThat(b)
        .extracting(x -> x.<Date>getAs(Cols.DATE).toString())
        .containsExactly("2020-05-01", "2020-05-05");
    assertThat(b).extracting(x -> x.<Integer>getAs(Cols.SEGMENT)).containsExactly(1, 2);
  }

  @Test
  void splitIsByIndividualAndNormalisationUsesTrainingRowsOnly() throws IOException {
    Expansion.Output out = Expansion.run(spark, params(Map.of()), null, null, null, null);
    List<Row> rows = out.choices().collectAsList();
    double sum = 0;
    double sumSq = 0;
    int n = 0;
    for (Row r : rows) {
      String id = r.getAs(Cols.INDIVIDUAL);
      assertThat(r.<String>getAs(Cols.SPLIT)).isEqualTo(Splits.side(id, 8, 0.5));
      if (r.getAs(Cols.SPLIT).equals(Split.TRAIN.label())) {
        double x = r.getAs("fork_length_cm");
        sum += x;
        sumSq += x * x;
        n++;
      }
    }
    assertThat(n).as("the fixture has training rows").isPositive();
    double mean = sum / n;
    double sd = Math.sqrt(sumSq / n - mean * mean);
    assertThat(out.normalisation().stats().get("fork_length_cm").mean())
        .isCloseTo(mean, within(1e-9));
    for (Row r : rows) {
      double x = r.getAs("fork_length_cm");
      if (sd > 0) {
        assertThat(r.<Double>getAs("f_fork_length_cm")).isCloseTo((x - mean) / sd, within(1e-9));
      }
    }
    assertThat(out.features())
        .containsExactly(
            "f_distance",
            "f_sin_bearing",
            "f_cos_bearing",
            "f_stay_put",
            "f_sin_doy",
            "f_cos_doy",
            "f_fork_length_cm");
  }

  @Test
  void choicesWithoutCovariatesAreRemovedAndCountedAndTheirDecisionsDroppedWithAReason()
      throws IOException {
    long a1 = cell(55.0, -145.0);
    long a1Next = cell(55.3, -145.6);
    List<Row> cov = new ArrayList<>();
    for (long c : new ChoiceSets(100).of(a1).cells()) {
      if (c != a1Next) {
        cov.add(RowFactory.create(H3Cells.address(c), Date.valueOf("2020-05-01"), 10.0));
      }
    }
    ChoiceSet a2 = new ChoiceSets(100).of(a1Next);
    List<Long> kept = new ArrayList<>(List.of(a1Next));
    for (long c : a2.cells()) {
      if (kept.size() < 4 && c != a1Next) {
        kept.add(c);
      }
    }
    for (int i = 0; i < kept.size(); i++) {
      cov.add(
          RowFactory.create(H3Cells.address(kept.get(i)), Date.valueOf("2020-05-02"), 10.0 + i));
    }
    Dataset<Row> covariates =
        spark.createDataFrame(
            cov,
            org.apache.spark.sql.types.DataTypes.createStructType(
                List.of(
                    org.apache.spark.sql.types.DataTypes.createStructField(
                        Cols.CELL, org.apache.spark.sql.types.DataTypes.StringType, false),
                    org.apache.spark.sql.types.DataTypes.createStructField(
                        Cols.DATE, org.apache.spark.sql.types.DataTypes.DateType, false),
                    org.apache.spark.sql.types.DataTypes.createStructField(
                        "sst", org.apache.spark.sql.types.DataTypes.DoubleType, false))));
    Expansion.Output out =
        Expansion.run(
            spark,
            params(Map.of("sst", Transform.IDENTITY), Map.of()),
            covariates,
            null,
            null,
            null);
    ExpandReport r = ExpandReport.of(out);
    assertThat(r.decisions()).isEqualTo(1); // only A's stay on May 2 keeps its next cell
    assertThat(r.decisionsDropped())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(ExpandDecisions.BEYOND_RADIUS, 1L, ExpandDecisions.NO_COVARIATES, 3L));
    assertThat(r.choiceRows()).isEqualTo(4);
    assertThat(r.choicesRemovedWithoutCovariates()).isEqualTo(a2.size() - 4);
    assertThat(r.balances()).isTrue();
    List<Row> rows = out.choices().orderBy(Cols.CHOICE).collectAsList();
    for (Row row : rows) {
      int i = kept.indexOf(H3Cells.parse(row.getAs(Cols.CELL)));
      assertThat(row.<Double>getAs("sst")).isEqualTo(10.0 + i);
      assertThat(row.<Double>getAs("f_sst")).isEqualTo(10.0 + i);
    }
  }

  @Test
  void failPolicyNamesTheMissingCellAndDate() throws IOException {
    Dataset<Row> covariates =
        spark.sql("select '84283473fffffff' as cell, date'2020-05-01' as date, 1.0d as sst");
    ExpandParams p = params(Map.of());
    ExpandParams failing =
        new ExpandParams(
            p.tracks(),
            p.dailyRule(),
            Step.DAILY,
            4,
            100,
            ExpandDecisions.MissingCovariates.FAIL,
            p.baseFeatures(),
            Map.of(),
            p.attributeTransforms(),
            8,
            0.5);
    assertThatThrownBy(() -> Expansion.run(spark, failing, covariates, null, null, null))
        .hasMessageContaining("no covariates for choice cell")
        .hasMessageMatching("(?s).*on 2020-05-0\\d.*");
  }

  @Test
  void anUnknownColumnIsNamedWithTheFileAndTheColumnsThatExist() throws IOException {
    ExpandParams p = params(Map.of());
    TrackSource wrong =
        new TrackSource(
            TrackFormat.CSV,
            p.tracks().path(),
            "tag",
            "timestamp",
            "latitude",
            "longitude",
            List.of(),
            List.of(),
            null);
    ExpandParams bad =
        new ExpandParams(
            wrong,
            p.dailyRule(),
            Step.DAILY,
            4,
            100,
            p.missingCovariates(),
            p.baseFeatures(),
            Map.of(),
            Map.of(),
            8,
            0.5);
    assertThatThrownBy(() -> Expansion.run(spark, bad, null, null, null, null))
        .hasMessageContaining("the individual column 'tag' is not in " + p.tracks().path())
        .hasMessageContaining("set shoal.expand.tracks.columns.individual = <column>")
        .hasMessageContaining("individual_id");
  }

  @Test
  void aSplitFileDecidesTheSideAndIndividualsMissingFromItAreDropped() throws IOException {
    Dataset<Row> splits =
        spark.sql("select 'A' as individual, 'validation' as split union all select 'B', 'train'");
    Expansion.Output out =
        Expansion.run(spark, params(Map.of(), Map.of()), null, null, splits, null);
    ExpandReport r = ExpandReport.of(out);
    assertThat(r.decisionsBySplit())
        .containsOnlyKeys(Split.TRAIN.label(), Split.VALIDATION.label());
    assertThat(r.decisionsBySplit().get(Split.VALIDATION.label())).isEqualTo(2);
    assertThat(r.decisionsBySplit().get(Split.TRAIN.label())).isEqualTo(2);
    assertThat(r.balances()).isTrue();
  }

  @Test
  void anAttributesTableJoinsByIndividualAndItsNumbersCanBeFeatures() throws IOException {
    Dataset<Row> attributes =
        spark.sql(
            "select 'A' as individual, 4.5d as weight_kg union all select 'B', 3.0d union all select 'C', 6.0d");
    ExpandParams p = params(Map.of(), Map.of("weight_kg", Transform.IDENTITY));
    Expansion.Output out = Expansion.run(spark, p, null, attributes, null, null);
    for (Row r :
        out.choices()
            .select(Cols.INDIVIDUAL, "weight_kg", "f_weight_kg")
            .distinct()
            .collectAsList()) {
      double expected = r.getString(0).equals("A") ? 4.5 : 3.0;
      assertThat(r.<Double>getAs("weight_kg")).isEqualTo(expected);
      assertThat(r.<Double>getAs("f_weight_kg")).isEqualTo(expected);
    }
    assertThat(out.features()).contains("f_weight_kg");
    // D's only valid-looking rows have no attributes row and no fork length: still rejected, not
    // dropped silently
    assertThat(ExpandReport.of(out).balances()).isTrue();
    Dataset<Row> noId = spark.sql("select 'A' as tag, 1.0d as weight_kg");
    assertThatThrownBy(() -> Expansion.run(spark, p, null, noId, null, null))
        .hasMessageContaining("'individual' column");
  }

  private static ExpandParams plain(TrackSource source, Step step, double validationFraction) {
    return new ExpandParams(
        source,
        DailyPositions.Rule.LAST,
        step,
        4,
        100,
        ExpandDecisions.MissingCovariates.DROP,
        List.of(ChoiceFeatures.Base.values()),
        Map.of(),
        Map.of(),
        8,
        validationFraction);
  }

  /**
   * An acoustic ping heard at the same second at two stations is merged by the step rule, not
   * rejected.
   */
  @Test
  void simultaneousFixesAtTwoPositionsAreMergedAndIdenticalOnesRejected() {
    TrackSource source = TrackSource.of(TrackFormat.CSV, TrackFixtures.path("simultaneous.csv"));
    Expansion.Output out =
        Expansion.run(spark, plain(source, Step.DAILY, 0), null, null, null, null);
    ExpandReport r = ExpandReport.of(out);
    // three positions at 10:00 (two sharing a latitude), one of them twice
    assertThat(r.fixesIn()).isEqualTo(5);
    assertThat(r.fixesRejected())
        .containsExactly(Map.entry(FixValidation.Problem.DUPLICATE_FIX.text(), 1L));
    assertThat(r.fixesSimultaneous()).isEqualTo(2);
    assertThat(r.fixesMergedIntoPositions()).isEqualTo(2);
    assertThat(r.positions()).isEqualTo(2);
    assertThat(r.balances()).isTrue();
    // the last fix of the day, ties broken by position (the larger latitude), whatever the row
    // order
    Row first = out.positions().orderBy(Cols.STEP).first();
    assertThat(first.<Double>getAs(Cols.LATITUDE)).isEqualTo(-0.30);
    assertThat(first.<Double>getAs(Cols.LONGITUDE)).isEqualTo(-91.60);
  }

  /**
   * One tagged animal whose hash falls in validation still trains: training is never left empty.
   */
  @Test
  void aSingleAnimalIsATrainingIndividualWhateverItsHash() {
    TrackSource source =
        TrackSource.of(TrackFormat.GPE3, TrackFixtures.path("gpe3-one-animal.csv"));
    assertThat(Splits.side("14P0911", 8, 0.999)).isEqualTo(Split.VALIDATION.label());
    ExpandReport r =
        ExpandReport.of(
            Expansion.run(spark, plain(source, Step.DAILY, 0.999), null, null, null, null));
    assertThat(r.decisions()).isEqualTo(11);
    assertThat(r.individualsWithDecisionsBySplit()).isEqualTo(Map.of(Split.TRAIN.label(), 1L));
  }

  /**
   * Steps shorter than a day: four 6-hourly fixes are four positions and three decisions, all dated
   * that day.
   */
  @Test
  void sixHourStepsMakeFourPositionsOfOneDay() throws IOException {
    Path f = dir.resolve("gps.csv");
    Files.writeString(
        f,
        String.join(
                "\n",
                "individual_id,timestamp,latitude,longitude",
                "G,2021-06-01T00:10:00Z,48.50,-125.00",
                "G,2021-06-01T06:10:00Z,48.60,-125.20",
                "G,2021-06-01T12:10:00Z,48.70,-125.40",
                "G,2021-06-01T18:10:00Z,48.80,-125.60")
            + "\n");
    TrackSource source = TrackSource.of(TrackFormat.CSV, f.toString());
    Expansion.Output sixHours =
        Expansion.run(spark, plain(source, Step.parse("6h"), 0), null, null, null, null);
    ExpandReport r = ExpandReport.of(sixHours);
    assertThat(r.positions()).isEqualTo(4);
    assertThat(r.decisions()).isEqualTo(3);
    assertThat(sixHours.choices().select(Cols.DATE).distinct().collectAsList())
        .extracting(row -> row.get(0).toString())
        .containsExactly("2021-06-01");
    ExpandReport daily =
        ExpandReport.of(Expansion.run(spark, plain(source, Step.DAILY, 0), null, null, null, null));
    assertThat(daily.positions()).isEqualTo(1);
    assertThat(daily.decisions()).isZero();
    assertThat(daily.noDecisionsReason()).isEqualTo("the only individual has a single position");
  }
}
