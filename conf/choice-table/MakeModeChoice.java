import java.util.Locale;
import java.util.Random;

/**
 * Writes the example discrete-choice table of the README: 300 travellers x 3 trips, each a choice among car, bus,
 * train and bike, drawn from a known multinomial logit. Run with Java alone (no build):
 *
 * <pre>java conf/choice-table/MakeModeChoice.java > conf/choice-table/mode-choice.csv</pre>
 *
 * True utilities (car is the base): -0.05 per minute, -0.40 per dollar, constants bus -0.5, train -0.2, bike -1.0,
 * and income (k$/year) per alternative: bus -0.02, train +0.01, bike 0.
 */
public class MakeModeChoice {
  static final String[] MODES = {"car", "bus", "train", "bike"};
  static final double TIME = -0.05;
  static final double COST = -0.40;
  static final double[] CONSTANT = {0, -0.5, -0.2, -1.0};
  static final double[] INCOME = {0, -0.02, 0.01, 0};

  public static void main(String[] args) {
    Random rng = new Random(2026);
    StringBuilder out = new StringBuilder("traveller,trip,mode,time_min,cost_usd,income_k,chosen\n");
    for (int t = 1; t <= 300; t++) {
      double income = 20 + 100 * rng.nextDouble();
      for (int trip = 1; trip <= 3; trip++) {
        double distance = 2 + 25 * rng.nextDouble();
        double[] time = {distance * (1.5 + rng.nextDouble()), 10 + distance * (2.5 + rng.nextDouble()),
            15 + distance * (1.2 + rng.nextDouble()), distance * (3.5 + 2 * rng.nextDouble())};
        double[] cost = {0.3 * distance + 2 * rng.nextDouble(), 2.5, 1.5 + 0.15 * distance, 0};
        double[] weight = new double[4];
        double total = 0;
        for (int m = 0; m < 4; m++) {
          weight[m] = Math.exp(CONSTANT[m] + TIME * time[m] + COST * cost[m] + INCOME[m] * income);
          total += weight[m];
        }
        double r = rng.nextDouble() * total;
        int chosen = 0;
        while (r > weight[chosen] && chosen < 3) {
          r -= weight[chosen++];
        }
        for (int m = 0; m < 4; m++) {
          out.append(String.format(Locale.ROOT, "T%03d,%d,%s,%.1f,%.2f,%.1f,%s%n",
              t, trip, MODES[m], time[m], cost[m], income, m == chosen ? "yes" : "no"));
        }
      }
    }
    System.out.print(out);
  }
}
