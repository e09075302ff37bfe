package org.shoal.pipeline.simulate;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.shoal.pipeline.h3.ChoiceSet;
import org.shoal.pipeline.h3.H3Cells;
import org.shoal.pipeline.schema.Schemas;

/**
 * The simulator's true model as a transition table, in the same shape as {@code
 * diffuse.Transitions.build}.
 */
public final class TrueTransitions {

  private TrueTransitions() {}

  /**
   * Every ocean cell on each of {@code days} days from {@code from}, for a fish of the given fork
   * length.
   */
  public static Dataset<Row> build(
      org.apache.spark.sql.SparkSession spark,
      SimulateWorld.Setup setup,
      LocalDate from,
      int days,
      double forkLengthCm) {
    long cells = new SyntheticWorld(setup.world()).oceanCells().length;
    return spark
        .range(0, cells * days, 1, Math.max(1, (int) (cells * days / 20_000) + 1))
        .flatMap(new Rows(setup, from, forkLengthCm), Encoders.row(Schemas.TRANSITIONS));
  }

  private static final class Rows implements FlatMapFunction<Long, Row> {
    private final SimulateWorld.Setup setup;
    private final LocalDate from;
    private final double forkLength;
    private transient SyntheticWorld world;
    private transient TrackSimulator simulator;

    Rows(SimulateWorld.Setup setup, LocalDate from, double forkLength) {
      this.setup = setup;
      this.from = from;
      this.forkLength = forkLength;
    }

    @Override
    public java.util.Iterator<Row> call(Long index) {
      if (world == null) {
        world = new SyntheticWorld(setup.world());
        simulator = new TrackSimulator(world, setup.model(), setup.simulation());
      }
      long[] ocean = world.oceanCells();
      long origin = ocean[(int) (index % ocean.length)];
      int day = (int) (index / ocean.length);
      LocalDate date = from.plusDays(day);
      TrackSimulator.Step step = simulator.step(origin, date, forkLength, 0);
      ChoiceSet c = step.choices();
      List<Row> out = new ArrayList<>(c.size());
      String o = H3Cells.address(origin);
      for (int i = 0; i < c.size(); i++) {
        out.add(
            RowFactory.create(
                o,
                H3Cells.address(c.cells()[i]),
                Date.valueOf(date),
                day,
                step.probabilities()[i]));
      }
      return out.iterator();
    }
  }
}
