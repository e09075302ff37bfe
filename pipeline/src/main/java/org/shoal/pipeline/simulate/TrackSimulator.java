package org.shoal.pipeline.simulate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.shoal.pipeline.geo.GeoPoint;
import org.shoal.pipeline.h3.ChoiceSet;

/**
 * Moves one synthetic fish day by day by drawing its next cell from the true model's choice
 * probabilities.
 */
public final class TrackSimulator {
  private final SyntheticWorld world;
  private final TrueMovementModel model;
  private final SimulationSpec spec;

  public TrackSimulator(SyntheticWorld world, TrueMovementModel model, SimulationSpec spec) {
    this.world = world;
    this.model = model;
    this.spec = spec;
  }

  /** The attributes and release of one fish. */
  public record Individual(
      String id,
      long releaseCell,
      LocalDate releaseDate,
      int days,
      double forkLengthCm,
      String region) {}

  /** One daily decision: the choices, their true log-odds and probabilities, and the one drawn. */
  public record Step(
      LocalDate date, ChoiceSet choices, double[] logOdds, double[] probabilities, int selected) {
    public long origin() {
      return choices.origin();
    }

    public long destination() {
      return choices.cells()[selected];
    }
  }

  public record Track(Individual individual, List<Step> steps) {}

  public Track simulate(long index) {
    SplittableRandom rng = spec.random(index);
    long[] ocean = world.oceanCells();
    long release = ocean[rng.nextInt(ocean.length)];
    LocalDate releaseDate = spec.startDate().plusDays(rng.nextInt(spec.releaseWindowDays() + 1));
    int days = spec.minDays() + rng.nextInt(spec.maxDays() - spec.minDays() + 1);
    double forkLength =
        Math.max(40.0, spec.meanForkLengthCm() + spec.sdForkLengthCm() * gaussian(rng));
    Individual ind =
        new Individual(
            SimulationSpec.individualId(index),
            release,
            releaseDate,
            days,
            forkLength,
            releaseRegion(world.centroid(release)));

    List<Step> steps = new ArrayList<>(days);
    long here = release;
    for (int day = 0; day < days; day++) {
      LocalDate date = releaseDate.plusDays(day);
      Step step = step(here, date, forkLength, rng.nextDouble());
      steps.add(step);
      here = step.destination();
    }
    return new Track(ind, steps);
  }

  /**
   * Scores every choice of {@code origin} on {@code date}; {@code u} in [0,1) picks the
   * destination.
   */
  public Step step(long origin, LocalDate date, double forkLengthCm, double u) {
    ChoiceSet choices = world.choices(origin);
    int n = choices.size();
    int doy = date.getDayOfYear();
    double[] phi = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      GeoPoint c = world.centroid(choices.cells()[i]);
      phi[i] =
          model.logOdds(
              choices.distanceKm()[i],
              choices.bearingDeg()[i],
              SyntheticEnvironment.temperature(c.lat(), c.lon(), doy),
              SyntheticEnvironment.netPrimaryProduction(c.lat(), c.lon(), doy),
              forkLengthCm);
      max = Math.max(max, phi[i]);
    }
    double[] p = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      p[i] = Math.exp(phi[i] - max);
      sum += p[i];
    }
    int selected = 0;
    double target = u * sum;
    double cumulative = p[0];
    while (cumulative <= target && selected < n - 1) {
      cumulative += p[++selected];
    }
    for (int i = 0; i < n; i++) {
      p[i] /= sum;
    }
    return new Step(date, choices, phi, p, selected);
  }

  private String releaseRegion(GeoPoint p) {
    double v = world.spec().region().v(p.lat());
    return v < 1.0 / 3 ? "south" : v < 2.0 / 3 ? "central" : "north";
  }

  private static double gaussian(SplittableRandom rng) {
    // Box-Muller on the individual's own stream, so fork lengths stay reproducible.
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
