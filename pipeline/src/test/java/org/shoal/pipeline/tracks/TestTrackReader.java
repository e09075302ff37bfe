package org.shoal.pipeline.tracks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.testing.SharedSpark;
import org.shoal.pipeline.testing.TrackFixtures;

/** The built-in readers on small files in the formats of real exports. */
class TestTrackReader {
  private final SparkSession spark = SharedSpark.session();
  @TempDir Path dir;

  private List<Row> validFixes(TrackSource source) {
    TrackReader.Tracks tracks = TrackReader.read(spark, source);
    return FixValidation.apply(tracks.raw(), tracks.source(), List.of())
        .orderBy(Cols.INDIVIDUAL_TEXT, Cols.TIMESTAMP_TEXT)
        .collectAsList();
  }

  @Test
  void readsAWildlifeComputersGpe3Export() throws IOException {
    Path f = dir.resolve("14P0911-46177-1-GPE3.csv");
    Files.writeString(
        f,
        String.join(
                "\n",
                "\"; PTT 46177, Serial 14P0911, Run 1 - 0.25&deg; Grid Size @ 10-Feb-2017 08:21\"",
                "\"; Marine @ 75.0 kilometers/day, Model Score 41.71\"",
                "\"; 0 Status Clock Corrections, 0 Twilights, 0 SSTs, 1 User Locations\"",
                "\"; SST Reference Data Set: NOAA OI SST V2 High Resolution\"",
                "",
                "DeployID,Ptt,Date,Most Likely Latitude,Most Likely Longitude,Observation Type,Observed SST",
                "14P0911,46177,23-Aug-2016 05:00:00,43.347,4.332,User,",
                "14P0911,46177,24-Aug-2016 12:00:00,43.273,4.068,None,",
                "14P0911,46177,25-Aug-2016 18:36:15,43.026,3.985,None,")
            + "\n");
    List<Row> rows = validFixes(TrackSource.of(TrackFormat.GPE3, f.toString()));
    assertThat(rows).hasSize(3);
    Row first = rows.get(0);
    assertThat(first.<String>getAs("reason")).isNull();
    assertThat(first.<String>getAs(Cols.INDIVIDUAL)).isEqualTo("14P0911");
    assertThat(first.<Timestamp>getAs(Cols.TIMESTAMP).toInstant().toString())
        .isEqualTo("2016-08-23T05:00:00Z");
    assertThat(first.<Double>getAs(Cols.LATITUDE)).isEqualTo(43.347);
    assertThat(first.<Double>getAs(Cols.LONGITUDE)).isEqualTo(4.332);
    assertThat(first.<String>getAs(Cols.SOURCE_FILE)).endsWith("14P0911-46177-1-GPE3.csv");
  }

  @Test
  void readsOtnMatchedDetectionsWithNaAsMissing() throws IOException {
    Path f = dir.resolve("detections.csv");
    Files.writeString(
        f,
        String.join(
                "\n",
                "collectioncode,catalognumber,scientificname,commonname,station,datecollected,timezone,longitude,latitude,notes",
                "GMR,GMR-1,Mola alexandrini,shortfin sunfish,Punta Vicente Roca,2016-12-12T00:00:00Z,UTC,-91.56,-0.06,NA",
                "GMR,GMR-1,Mola alexandrini,shortfin sunfish,Roca Redonda,2016-12-13 10:15:00,UTC,-91.62,0.27,\"a, b\"",
                "GMR,GMR-2,Sphyrna lewini,scalloped hammerhead,Darwin,2016-12-13 11:00:00,UTC,NA,1.67,NA")
            + "\n");
    TrackSource source = TrackSource.of(TrackFormat.OTN, f.toString());
    List<Row> rows = validFixes(source);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).<String>getAs("scientificname")).isEqualTo("Mola alexandrini");
    assertThat(rows.get(1).<Double>getAs(Cols.LATITUDE)).isEqualTo(0.27);
    assertThat(rows.get(1).<Timestamp>getAs(Cols.TIMESTAMP).toInstant().toString())
        .isEqualTo("2016-12-13T10:15:00Z");
    assertThat(rows.get(2).<String>getAs("reason"))
        .isEqualTo(FixValidation.Problem.MISSING_LONGITUDE.text());
    assertThat(rows.get(2).<String>getAs(Cols.INDIVIDUAL_TEXT)).isEqualTo("GMR-2");
  }

  @Test
  void readsParquetWithTypedColumns() {
    String path = dir.resolve("tracks.parquet").toString();
    spark
        .sql(
            "select 'f1' as tag, timestamp'2020-04-01 06:00:00' as t, 55.5d as lat, -145.25d as lon")
        .write()
        .parquet(path);
    TrackSource source =
        new TrackSource(
            TrackFormat.PARQUET, path, "tag", "t", "lat", "lon", List.of(), List.of(), null);
    Row r = validFixes(source).get(0);
    assertThat(r.<String>getAs("reason")).isNull();
    assertThat(r.<Timestamp>getAs(Cols.TIMESTAMP).toInstant().toString())
        .isEqualTo("2020-04-01T06:00:00Z");
    assertThat(r.<Double>getAs(Cols.LONGITUDE)).isEqualTo(-145.25);
  }

  /**
   * A folder whose files list their columns in different orders and cases: matched by name in every
   * file.
   */
  @Test
  void columnsAreMatchedByHeaderNameInEveryFileNeverByPosition() {
    List<Row> rows =
        validFixes(TrackSource.of(TrackFormat.CSV, TrackFixtures.path("mixed-columns")));
    assertThat(rows).hasSize(8);
    assertThat(rows).allSatisfy(r -> assertThat(r.<String>getAs("reason")).isNull());
    assertThat(rows)
        .allSatisfy(r -> assertThat(r.<Double>getAs(Cols.LATITUDE)).isBetween(47.0, 50.0));
    assertThat(rows)
        .allSatisfy(r -> assertThat(r.<Double>getAs(Cols.LONGITUDE)).isBetween(-127.0, -123.0));
    Row f2 =
        rows.stream().filter(r -> r.getAs(Cols.INDIVIDUAL).equals("F2")).findFirst().orElseThrow();
    assertThat(f2.<Double>getAs(Cols.LATITUDE)).isEqualTo(47.90);
    assertThat(f2.<Double>getAs(Cols.LONGITUDE)).isEqualTo(-124.00);
    Row f3 =
        rows.stream().filter(r -> r.getAs(Cols.INDIVIDUAL).equals("F3")).findFirst().orElseThrow();
    assertThat(f3.<Double>getAs(Cols.LATITUDE)).isEqualTo(49.10);
    assertThat(f3.<String>getAs(Cols.SOURCE_FILE)).endsWith("part-3.csv");
  }

  /**
   * The same fixes written as a spreadsheet writes CSV where the comma is the decimal separator
   * (semicolons, decimal commas), and tab-separated, read as the comma-separated file: the same
   * coordinates, attributes with decimal commas read as numbers, other text as written.
   */
  @Test
  void semicolonAndTabSeparatedFilesWithDecimalCommasReadAsTheCommaSeparatedOne()
      throws IOException {
    List<String[]> fixes =
        List.of(
            new String[] {"K1", "2021-06-01T00:00:00Z", "48.50", "-125.00", "75.5", "a;b"},
            new String[] {"K1", "2021-06-02T00:00:00Z", "48.6", "-125.30", "75.5", "c"},
            new String[] {"K2", "2021-06-01T00:00:00Z", "-47.95", "124", "81", "1,5 m"});
    String header = "individual_id|timestamp|latitude|longitude|length|note";
    Files.createDirectories(dir.resolve("comma"));
    Files.createDirectories(dir.resolve("other"));
    StringBuilder comma = new StringBuilder(header.replace('|', ',')).append('\n');
    StringBuilder semicolon = new StringBuilder(header.replace('|', ';')).append('\n');
    StringBuilder tab = new StringBuilder(header.replace('|', '\t')).append('\n');
    for (String[] f : fixes) {
      String note = "\"" + f[5] + "\"";
      comma.append(String.join(",", f[0], f[1], f[2], f[3], f[4], note)).append('\n');
      String[] decimalCommas = {f[2], f[3], f[4]};
      for (int i = 0; i < decimalCommas.length; i++) {
        decimalCommas[i] = decimalCommas[i].replace('.', ',');
      }
      semicolon
          .append(
              String.join(
                  ";", f[0], f[1], decimalCommas[0], decimalCommas[1], decimalCommas[2], note))
          .append('\n');
      tab.append(
              String.join(
                  "\t", f[0], f[1], decimalCommas[0], decimalCommas[1], decimalCommas[2], f[5]))
          .append('\n');
    }
    Files.writeString(dir.resolve("comma/a.csv"), comma);
    Files.writeString(dir.resolve("other/b.csv"), semicolon);
    Files.writeString(dir.resolve("other/c.tsv"), tab);
    TrackReader.Tracks other = TrackReader.read(spark, withAttributes(dir.resolve("other")));
    assertThat(other.separators())
        .containsExactly(
            org.assertj.core.api.Assertions.entry(
                dir.resolve("other/b.csv").toString(), "semicolon"),
            org.assertj.core.api.Assertions.entry(dir.resolve("other/c.tsv").toString(), "tab"));
    List<String> expected = texts(TrackReader.read(spark, withAttributes(dir.resolve("comma"))));
    assertThat(expected)
        .containsExactly(
            "K1|2021-06-01T00:00:00Z|48.50|-125.00|75.5|a;b",
            "K1|2021-06-02T00:00:00Z|48.6|-125.30|75.5|c",
            "K2|2021-06-01T00:00:00Z|-47.95|124|81|1,5 m");
    List<String> both = texts(other);
    assertThat(both).hasSize(6);
    for (int i = 0; i < 3; i++) {
      assertThat(both.get(2 * i)).isEqualTo(expected.get(i));
      assertThat(both.get(2 * i + 1)).isEqualTo(expected.get(i));
    }
  }

  private static TrackSource withAttributes(Path folder) {
    return new TrackSource(
        TrackFormat.CSV,
        folder.toString(),
        null,
        null,
        null,
        null,
        List.of("length", "note"),
        List.of(),
        null);
  }

  @Test
  void longitudesFrom0To360AreValidFixesWestOf180() throws IOException {
    Path f = dir.resolve("pacific.csv");
    Files.writeString(
        f,
        "individual_id,timestamp,latitude,longitude\n"
            + "P1,2021-06-01T00:00:00Z,48.5,235.0\n"
            + "P1,2021-06-02T00:00:00Z,48.6,-124.5\n"
            + "P1,2021-06-03T00:00:00Z,48.7,360.5\n");
    List<Row> rows = validFixes(TrackSource.of(TrackFormat.CSV, f.toString()));
    assertThat(rows)
        .extracting(r -> r.<Double>getAs(Cols.LONGITUDE))
        .containsExactly(-125.0, -124.5, null);
    assertThat(rows.get(2).<String>getAs("reason")).isEqualTo("longitude outside [-180, 360]");
  }

  /** Each raw fix as individual|timestamp|latitude|longitude|length|note, in order. */
  private static List<String> texts(TrackReader.Tracks tracks) {
    return tracks
        .raw()
        .orderBy(Cols.INDIVIDUAL_TEXT, Cols.TIMESTAMP_TEXT, Cols.SOURCE_FILE)
        .collectAsList()
        .stream()
        .map(
            r ->
                String.join(
                    "|",
                    r.<String>getAs(Cols.INDIVIDUAL_TEXT),
                    r.<String>getAs(Cols.TIMESTAMP_TEXT),
                    r.<String>getAs(Cols.LATITUDE_TEXT),
                    r.<String>getAs(Cols.LONGITUDE_TEXT),
                    r.<String>getAs("length"),
                    r.<String>getAs("note")))
        .toList();
  }

  @Test
  void aFileLackingARequiredColumnFailsNamingTheFileTheSettingAndTheClosestColumns() {
    assertThatThrownBy(
            () ->
                TrackReader.read(
                    spark, TrackSource.of(TrackFormat.CSV, TrackFixtures.path("missing-latitude"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "the latitude column 'latitude' is not in "
                + TrackFixtures.path("missing-latitude/b.csv"))
        .hasMessageContaining("set shoal.expand.tracks.columns.latitude = <column>")
        .hasMessageContaining("closest columns: lat");
  }

  @Test
  void parquetFilesWithDifferentColumnOrdersAreMatchedByNameAndOneLackingAColumnIsNamed()
      throws IOException {
    Path folder = dir.resolve("tags");
    spark
        .sql("select 'p1' as tag, '2020-04-01 06:00:00' as t, 55.5d as lat, -145.25d as lon")
        .write()
        .parquet(folder.resolve("a").toString());
    spark
        .sql("select -140.0d as lon, 50.0d as lat, '2020-04-02 06:00:00' as t, 'p2' as tag")
        .write()
        .parquet(folder.resolve("b").toString());
    TrackSource source =
        new TrackSource(
            TrackFormat.PARQUET,
            folder.toString(),
            "tag",
            "t",
            "lat",
            "lon",
            List.of(),
            List.of(),
            null);
    List<Row> rows = validFixes(source);
    assertThat(rows).extracting(r -> r.<Double>getAs(Cols.LATITUDE)).containsExactly(55.5, 50.0);
    assertThat(rows)
        .extracting(r -> r.<Double>getAs(Cols.LONGITUDE))
        .containsExactly(-145.25, -140.0);

    spark
        .sql("select 'p3' as tag, '2020-04-03 06:00:00' as t, -141.0d as lon")
        .write()
        .parquet(folder.resolve("c").toString());
    assertThatThrownBy(() -> TrackReader.read(spark, source))
        .hasMessageContaining("the latitude column 'lat' is not in " + folder.resolve("c"))
        .hasMessageContaining("(parquet format)");
  }

  @Test
  void aTextFileNamedParquetIsOneSentenceNamingTheFile() {
    String fake = TrackFixtures.path("fake.parquet");
    assertThatThrownBy(() -> TrackReader.read(spark, TrackSource.of(TrackFormat.PARQUET, fake)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("track file " + fake + " is not a Parquet file (");
  }

  /**
   * The Darwin-Core-style OTN export: camelCase headers, and a catalog number that is a detection
   * id.
   */
  @Test
  void readsADarwinCoreOtnExportAndTakesTheTagAsTheAnimalWhenTheCatalogNumberIsUniquePerRow() {
    TrackReader.Tracks tracks =
        TrackReader.read(
            spark, TrackSource.of(TrackFormat.OTN, TrackFixtures.path("otn-qualified.csv")));
    assertThat(tracks.source().individualColumn()).isEqualTo("tagName");
    assertThat(tracks.source().timestampColumn()).isEqualTo("dateCollectedUTC");
    assertThat(tracks.source().latitudeColumn()).isEqualTo("decimalLatitude");
    assertThat(tracks.individualsFrom())
        .isEqualTo("tagName (catalogNumber is unique per row: a detection id, not an animal)");
    assertThat(tracks.source().attributes()).containsExactly("scientificname");
    assertThat(tracks.attributesLeftOut()).containsExactly("commonname");
    List<Row> rows = FixValidation.apply(tracks.raw(), tracks.source(), List.of()).collectAsList();
    assertThat(rows)
        .extracting(r -> r.<String>getAs(Cols.INDIVIDUAL))
        .containsOnly("A69-9001-1111", "A69-9001-2222");
    assertThat(rows)
        .extracting(r -> r.<String>getAs("scientificname"))
        .containsOnly("Sphyrna lewini");
    assertThat(rows).extracting(r -> r.<String>getAs("reason")).containsOnlyNulls();
  }

  @Test
  void theMatchedDetectionsCatalogNumberStaysTheAnimalWhenItRepeats() throws IOException {
    Path f = dir.resolve("matched.csv");
    Files.writeString(
        f,
        String.join(
                "\n",
                "catalognumber,tagname,datecollected,latitude,longitude",
                "GMR-1,A69-1,2016-12-12T00:00:00Z,-0.06,-91.56",
                "GMR-1,A69-1,2016-12-13T00:00:00Z,-0.07,-91.56")
            + "\n");
    TrackReader.Tracks tracks =
        TrackReader.read(spark, TrackSource.of(TrackFormat.OTN, f.toString()));
    assertThat(tracks.individualsFrom()).isEqualTo("catalognumber");
    assertThat(tracks.raw().select(Cols.INDIVIDUAL_TEXT).distinct().collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("GMR-1");
  }
}
