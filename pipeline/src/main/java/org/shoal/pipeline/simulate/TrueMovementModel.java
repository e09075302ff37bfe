package org.shoal.pipeline.simulate;

import java.io.Serializable;

/**
 * The log-odds model that moves the synthetic fish; trained models are judged against it. With d
 * the step length in units of 100 km, b its great-circle bearing, T and P the candidate cell's
 * temperature and net primary production that day, and L the fish's fork length:
 *
 * <pre>
 *   phi = stayPut * [d == 0]
 *       + distance * d + distanceSquared * d^2 + forkLengthDistance * d * (L - 75) / 10
 *       + heading * cos(b - preferredBearingDeg)            (moves only)
 *       - temperature * ((T - preferredTemperature) / 3)^2
 *       + productivity * ln(P)
 * </pre>
 *
 * Linear terms a conditional logit can learn, plus a quadratic thermal preference and a size
 * interaction that need the hidden layers.
 */
public record TrueMovementModel(
    double stayPut,
    double distance,
    double distanceSquared,
    double forkLengthDistance,
    double heading,
    double preferredBearingDeg,
    double temperature,
    double preferredTemperature,
    double productivity)
    implements Serializable {

  public double logOdds(
      double distanceKm, double bearingDeg, double temperatureC, double npp, double forkLengthCm) {
    double d = distanceKm / 100.0;
    double phi = 0.0;
    if (distanceKm == 0.0) {
      phi += stayPut;
    } else {
      phi += heading * Math.cos(Math.toRadians(bearingDeg - preferredBearingDeg));
    }
    phi +=
        distance * d
            + distanceSquared * d * d
            + forkLengthDistance * d * (forkLengthCm - 75.0) / 10.0;
    double t = (temperatureC - preferredTemperature) / 3.0;
    phi -= temperature * t * t;
    phi += productivity * Math.log(npp);
    return phi;
  }
}
