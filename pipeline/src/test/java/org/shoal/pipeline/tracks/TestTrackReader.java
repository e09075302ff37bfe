package org.shoal.pipeline.tracks;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The built-in readers on small files in the formats of real exports. */
class TestTrackReader {
  private final SparkSession spark = SharedSpark.session();
  @TempDir Path dir;

  private List<Row> validFixes(TrackSource source) {
    return FixValidation.apply(TrackReader.read(spark, source), source, List.of())
        .orderBy(TrackColumns.INDIVIDUAL_TEXT, TrackColumns.TIMESTAMP_TEXT)
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
    assertThat(first.<Timestamp>getAs(Cols.TIMESTAMP).toInstant().toString()).isEqualTo("2016-08-23T05:00:00Z");
    assertThat(first.<Double>getAs(Cols.LATITUDE)).isEqualTo(43.347);
    assertThat(first.<Double>getAs(Cols.LONGITUDE)).isEqualTo(4.332);
    assertThat(first.<String>getAs(TrackColumns.SOURCE_FILE)).endsWith("14P0911-46177-1-GPE3.csv");
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
    assertThat(rows.get(2).<String>getAs("reason")).isEqualTo(FixValidation.MISSING_LONGITUDE);
    assertThat(rows.get(2).<String>getAs(TrackColumns.INDIVIDUAL_TEXT)).isEqualTo("GMR-2");
  }

  @Test
  void readsParquetWithTypedColumns() {
    String path = dir.resolve("tracks.parquet").toString();
    spark
        .sql(
            "select 'f1' as tag, timestamp'2020-04-01 06:00:00' as t, 55.5d as lat, -145.25d as lon")
        .write()
        .parquet(path);
    TrackSource source = new TrackSource(TrackFormat.PARQUET, path, "tag", "t", "lat", "lon", List.of(), null);
    Row r = validFixes(source).get(0);
    assertThat(r.<String>getAs("reason")).isNull();
    assertThat(r.<Timestamp>getAs(Cols.TIMESTAMP).toInstant().toString()).isEqualTo("2020-04-01T06:00:00Z");
    assertThat(r.<Double>getAs(Cols.LONGITUDE)).isEqualTo(-145.25);
  }
}
