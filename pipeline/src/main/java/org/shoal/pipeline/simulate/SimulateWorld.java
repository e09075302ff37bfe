package org.shoal.pipeline.simulate;

import java.io.Serializable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.shoal.pipeline.geo.GeoPoint;
import org.shoal.pipeline.h3.ChoiceSet;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.schema.Schemas;

/**
 * The synthetic world as Spark tables: cells, covariates, tracks and the truth. Partitioning is
 * derived from the sizes (never from the cluster), and every random draw from (seed, individual),
 * so a seed gives identical rows in identical files on a laptop and on a cluster.
 */
public final class SimulateWorld {
  private static final int COVARIATE_ROWS_PER_PARTITION = 250_000;

  private SimulateWorld() {}

  /** Everything the executors need to rebuild the world and simulate any individual. */
  public record Setup(
      SyntheticWorld.Spec world,
      TrueMovementModel model,
      SimulationSpec simulation,
      int individualsPerPartition)
      implements java.io.Serializable {
    public Setup {
      if (individualsPerPartition < 1) {
        throw new IllegalArgumentException(
            "individuals per partition must be >= 1, got " + individualsPerPartition);
      }
    }

    int partitions() {
      return (simulation.individuals() + individualsPerPartition - 1) / individualsPerPartition;
    }
  }

  /** Every cell of the region with its centroid and land flag. */
  public static Dataset<Row> cells(SparkSession spark, SyntheticWorld world) {
    List<Row> rows = new ArrayList<>();
    for (long c : world.regionCells()) {
      GeoPoint p = world.centroid(c);
      rows.add(RowFactory.create(H3Cells.address(c), p.lat(), p.lon(), world.isLand(c)));
    }
    return spark.createDataFrame(rows, Schemas.CELLS).coalesce(1);
  }

  /**
   * Covariates of every ocean cell on every day the simulation can reach, ordered by (date, cell).
   */
  public static Dataset<Row> covariates(
      SparkSession spark, SyntheticWorld world, SimulationSpec simulation) {
    long[] ocean = world.oceanCells();
    long rows = (long) ocean.length * simulation.coveredDays();
    int partitions =
        (int) Math.max(1, (rows + COVARIATE_ROWS_PER_PARTITION - 1) / COVARIATE_ROWS_PER_PARTITION);
    return spark
        .range(0, rows, 1, partitions)
        .mapPartitions(
            new CovariateRows(ocean, simulation.startDate()), Encoders.row(Schemas.COVARIATES));
  }

  /** The simulated daily positions, in the tracks format users bring. */
  public static Dataset<Row> tracks(SparkSession spark, Setup setup) {
    return individuals(spark, setup)
        .flatMap(new PerIndividual(setup, SimulateWorld::trackRows), Encoders.row(Schemas.TRACKS));
  }

  /** Every choice of every simulated step with the true log-odds and probability. */
  public static Dataset<Row> truth(SparkSession spark, Setup setup) {
    return individuals(spark, setup)
        .flatMap(new PerIndividual(setup, SimulateWorld::truthRows), Encoders.row(Schemas.TRUTH));
  }

  private static Dataset<Long> individuals(SparkSession spark, Setup setup) {
    return spark.range(0, setup.simulation().individuals(), 1, setup.partitions());
  }

  private static final class CovariateRows implements MapPartitionsFunction<Long, Row> {
    private final long[] ocean;
    private final LocalDate start;

    CovariateRows(long[] ocean, LocalDate start) {
      this.ocean = ocean;
      this.start = start;
    }

    @Override
    public Iterator<Row> call(Iterator<Long> indices) {
      String[] addresses = new String[ocean.length];
      GeoPoint[] centroids = new GeoPoint[ocean.length];
      for (int i = 0; i < ocean.length; i++) {
        addresses[i] = H3Cells.address(ocean[i]);
        centroids[i] = H3Cells.centroid(ocean[i]);
      }
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return indices.hasNext();
        }

        @Override
        public Row next() {
          long index = indices.next();
          int cell = (int) (index % ocean.length);
          LocalDate date = start.plusDays(index / ocean.length);
          int doy = date.getDayOfYear();
          double lat = centroids[cell].lat();
          double lon = centroids[cell].lon();
          return RowFactory.create(
              addresses[cell],
              Date.valueOf(date),
              SyntheticEnvironment.mixedLayerThickness(lat, lon, doy),
              SyntheticEnvironment.netPrimaryProduction(lat, lon, doy),
              SyntheticEnvironment.salinity(lat, lon, doy),
              SyntheticEnvironment.temperature(lat, lon, doy));
        }
      };
    }
  }

  /** Rows made from one simulated track; serializable so Spark can ship it to executors. */
  private interface TrackToRows extends Serializable {
    Iterator<Row> rows(TrackSimulator.Track track);
  }

  /** Builds the world and the simulator once per task, lazily on the executor. */
  private static final class PerIndividual implements FlatMapFunction<Long, Row> {
    private final Setup setup;
    private final TrackToRows toRows;
    private transient TrackSimulator simulator;

    PerIndividual(Setup setup, TrackToRows toRows) {
      this.setup = setup;
      this.toRows = toRows;
    }

    @Override
    public Iterator<Row> call(Long index) {
      if (simulator == null) {
        simulator =
            new TrackSimulator(
                new SyntheticWorld(setup.world()), setup.model(), setup.simulation());
      }
      return toRows.rows(simulator.simulate(index));
    }
  }

  /** Each day's position, and the day after the last step's destination. */
  private static Iterator<Row> trackRows(TrackSimulator.Track track) {
    TrackSimulator.Individual ind = track.individual();
    List<Row> rows = new ArrayList<>(track.steps().size() + 1);
    for (TrackSimulator.Step s : track.steps()) {
      rows.add(position(ind, s.date(), s.origin()));
    }
    TrackSimulator.Step last = track.steps().get(track.steps().size() - 1);
    rows.add(position(ind, last.date().plusDays(1), last.destination()));
    return rows.iterator();
  }

  private static Row position(TrackSimulator.Individual ind, LocalDate date, long cell) {
    GeoPoint p = H3Cells.centroid(cell);
    return RowFactory.create(
        ind.id(),
        Timestamp.from(date.atStartOfDay(ZoneOffset.UTC).toInstant()),
        p.lat(),
        p.lon(),
        ind.forkLengthCm(),
        ind.region());
  }

  /** Every choice of every step, with the true log-odds and probability. */
  private static Iterator<Row> truthRows(TrackSimulator.Track track) {
    if (track.steps().isEmpty()) {
      return Collections.emptyIterator();
    }
    List<Row> rows = new ArrayList<>();
    String id = track.individual().id();
    for (TrackSimulator.Step s : track.steps()) {
      ChoiceSet choices = s.choices();
      String origin = H3Cells.address(s.origin());
      Date date = Date.valueOf(s.date());
      for (int i = 0; i < choices.size(); i++) {
        rows.add(
            RowFactory.create(
                id,
                date,
                origin,
                H3Cells.address(choices.cells()[i]),
                i == s.selected(),
                s.logOdds()[i],
                s.probabilities()[i]));
      }
    }
    return rows.iterator();
  }
}
