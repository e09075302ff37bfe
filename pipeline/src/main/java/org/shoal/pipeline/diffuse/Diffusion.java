package org.shoal.pipeline.diffuse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.shoal.pipeline.schema.Cols;

/**
 * Propagates an abundance distribution through daily transitions in memory: mass(d+1)[to] = Σ
 * mass(d)[from] · P_d(from → to). Mass arriving in a cell that has no transitions the next day
 * (outside the region, or without covariates) leaves the system and is reported as that day's loss,
 * so mass in = mass kept + losses exactly.
 */
public final class Diffusion {
  private Diffusion() {}

  /** One origin's outgoing probabilities on one day. */
  public record Move(String destination, double probability) {}

  /** The state after a day: the density, and the mass that left the region that day. */
  public record Day(int day, Map<String, Double> density, double mass, double lost) {}

  /**
   * @param transitions per day (0, 1, ...): origin -> moves
   * @param initial mass per cell on day 0
   */
  public static List<Day> run(
      Map<String, Double> initial, List<Map<String, List<Move>>> transitions) {
    List<Day> days = new ArrayList<>();
    Map<String, Double> mass = new TreeMap<>(initial);
    days.add(new Day(0, mass, total(mass), 0.0));
    for (int d = 0; d < transitions.size(); d++) {
      Map<String, List<Move>> today = transitions.get(d);
      Map<String, Double> next = new HashMap<>();
      double lost = 0;
      for (Map.Entry<String, Double> e : mass.entrySet()) {
        List<Move> moves = today.get(e.getKey());
        if (moves == null) {
          lost += e.getValue();
          continue;
        }
        for (Move m : moves) {
          next.merge(m.destination(), e.getValue() * m.probability(), Double::sum);
        }
      }
      Map<String, Double> sorted = new TreeMap<>(next);
      days.add(new Day(d + 1, sorted, total(sorted), lost));
      mass = sorted;
    }
    return days;
  }

  /** Transition rows (origin_cell, destination, day, probability) grouped per day and origin. */
  public static List<Map<String, List<Move>>> byDay(
      Iterable<org.apache.spark.sql.Row> rows, int days) {
    List<Map<String, List<Move>>> out = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      out.add(new HashMap<>());
    }
    for (org.apache.spark.sql.Row r : rows) {
      int day = r.getAs(Cols.DAY);
      if (day >= 0 && day < days) {
        out.get(day)
            .computeIfAbsent(
                r.getAs(org.shoal.pipeline.schema.Cols.ORIGIN_CELL), k -> new ArrayList<>())
            .add(
                new Move(
                    r.getAs(Cols.DESTINATION),
                    r.getAs(org.shoal.pipeline.schema.Cols.PROBABILITY)));
      }
    }
    return out;
  }

  public static double total(Map<String, Double> mass) {
    // Kahan summation: conservation is checked to 1e-9
    double sum = 0;
    double c = 0;
    for (double v : mass.values()) {
      double y = v - c;
      double t = sum + y;
      c = (t - sum) - y;
      sum = t;
    }
    return sum;
  }

  /** Total-variation distance between two densities normalised to mass 1. */
  public static double totalVariation(Map<String, Double> a, Map<String, Double> b) {
    double ta = total(a);
    double tb = total(b);
    java.util.Set<String> cells = new java.util.HashSet<>(a.keySet());
    cells.addAll(b.keySet());
    double tv = 0;
    for (String c : cells) {
      tv += Math.abs(a.getOrDefault(c, 0.0) / ta - b.getOrDefault(c, 0.0) / tb);
    }
    return tv / 2;
  }
}
