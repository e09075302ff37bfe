package org.shoal.pipeline.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.shoal.pipeline.geo.GeoPoint;
import org.shoal.pipeline.h3.ChoiceSet;
import org.shoal.pipeline.h3.ChoiceSets;

class TestTrackSimulator {
  private static final SyntheticWorld WORLD = new SyntheticWorld(Worlds.SMALL);

  private static List<TrackSimulator.Track> simulate(long seed, int n) {
    TrackSimulator sim = new TrackSimulator(WORLD, Worlds.MODEL, Worlds.simulation(seed, n));
    List<TrackSimulator.Track> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(sim.simulate(i));
    }
    return out;
  }

  @Test
  void theWorldHasLandAndOcean() {
    assertThat(WORLD.oceanCells().length).isGreaterThan(200);
    assertThat(WORLD.regionCells().length - WORLD.oceanCells().length).isGreaterThan(20);
  }

  @Test
  void fishNeverLandOnLandAndAlwaysChooseWithinTheRadius() {
    ChoiceSets unrestricted = new ChoiceSets(Worlds.SMALL.radiusKm());
    for (TrackSimulator.Track t : simulate(3, 60)) {
      assertThat(WORLD.isOcean(t.individual().releaseCell())).isTrue();
      long here = t.individual().releaseCell();
      for (TrackSimulator.Step s : t.steps()) {
        assertThat(s.origin()).isEqualTo(here);
        long to = s.destination();
        assertThat(WORLD.isLand(to)).as("destination on land").isFalse();
        assertThat(WORLD.inRegion(to)).isTrue();
        assertThat(unrestricted.of(s.origin()).contains(to)).as("inside the radius").isTrue();
        assertThat(s.choices().contains(to)).isTrue();
        here = to;
      }
    }
  }

  @Test
  void probabilitiesAreTheSoftmaxOfTheTrueLogOdds() {
    TrackSimulator.Step s = simulate(5, 1).get(0).steps().get(0);
    ChoiceSet c = s.choices();
    double z = 0;
    for (double phi : s.logOdds()) {
      z += Math.exp(phi);
    }
    double total = 0;
    for (int i = 0; i < c.size(); i++) {
      assertThat(s.probabilities()[i]).isCloseTo(Math.exp(s.logOdds()[i]) / z, within(1e-12));
      total += s.probabilities()[i];
    }
    assertThat(total).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void logOddsFollowTheDocumentedFormula() {
    TrackSimulator.Track t = simulate(8, 1).get(0);
    TrackSimulator.Step s = t.steps().get(0);
    int doy = s.date().getDayOfYear();
    for (int i = 0; i < s.choices().size(); i++) {
      GeoPoint c = WORLD.centroid(s.choices().cells()[i]);
      double d = s.choices().distanceKm()[i] / 100;
      double temp = SyntheticEnvironment.temperature(c.lat(), c.lon(), doy);
      double npp = SyntheticEnvironment.netPrimaryProduction(c.lat(), c.lon(), doy);
      double expected =
          (d == 0 ? 2.4 : 0.6 * Math.cos(Math.toRadians(s.choices().bearingDeg()[i] - 135)))
              - 1.0 * d
              - 1.5 * d * d
              + 0.5 * d * (t.individual().forkLengthCm() - 75) / 10
              - 0.5 * Math.pow((temp - 9.0) / 3, 2)
              + 0.5 * Math.log(npp);
      assertThat(s.logOdds()[i]).isCloseTo(expected, within(1e-12));
    }
  }

  @Test
  void theStayPutRateMatchesTheTrueModelWithinSamplingError() {
    long steps = 0;
    long stayed = 0;
    double expected = 0;
    double variance = 0;
    for (TrackSimulator.Track t : simulate(11, 150)) {
      for (TrackSimulator.Step s : t.steps()) {
        double p = s.probabilities()[s.choices().indexOf(s.origin())];
        expected += p;
        variance += p * (1 - p);
        stayed += s.destination() == s.origin() ? 1 : 0;
        steps++;
      }
    }
    double sd = Math.sqrt(variance) / steps;
    double rate = stayed / (double) steps;
    assertThat(rate).isCloseTo(expected / steps, within(4 * sd));
    // the default model is tuned to stay put on about two thirds of days, like the salmon
    assertThat(expected / steps).isBetween(0.55, 0.75);
  }

  @Test
  void aSeedGivesTheSameTracksAndAnotherSeedDifferentOnes() {
    List<TrackSimulator.Track> a = simulate(21, 5);
    List<TrackSimulator.Track> b = simulate(21, 5);
    List<TrackSimulator.Track> c = simulate(22, 5);
    for (int i = 0; i < 5; i++) {
      assertThat(destinations(a.get(i))).isEqualTo(destinations(b.get(i)));
      assertThat(a.get(i).individual()).isEqualTo(b.get(i).individual());
    }
    assertThat(a.stream().map(TestTrackSimulator::destinations).toList())
        .isNotEqualTo(c.stream().map(TestTrackSimulator::destinations).toList());
  }

  private static List<Long> destinations(TrackSimulator.Track t) {
    return t.steps().stream().map(TrackSimulator.Step::destination).toList();
  }
}
