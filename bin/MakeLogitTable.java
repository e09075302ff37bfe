import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * A long conditional-logit table for benchmarks: DECISIONS decisions (10 per individual) of ALTERNATIVES choices
 * with FEATURES standard-normal features and true coefficients 0.1, -0.2, 0.3, ... (alternating sign, growing by
 * 0.1), drawn with seed 1. Columns: individual, decision, alternative, x1..xF, selected.
 *
 * <pre>java bin/MakeLogitTable.java 1000000 5 10 > table.csv</pre>
 */
public class MakeLogitTable {
  public static void main(String[] args) throws Exception {
    int decisions = Integer.parseInt(args[0]);
    int alternatives = Integer.parseInt(args[1]);
    int features = Integer.parseInt(args[2]);
    double[] beta = new double[features];
    for (int k = 0; k < features; k++) {
      beta[k] = (k % 2 == 0 ? 1 : -1) * 0.1 * (k + 1);
    }
    Random rng = new Random(1);
    try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 20)) {
      StringBuilder header = new StringBuilder("individual,decision,alternative");
      for (int k = 1; k <= features; k++) {
        header.append(",x").append(k);
      }
      out.write(header.append(",selected\n").toString());
      double[][] x = new double[alternatives][features];
      double[] w = new double[alternatives];
      for (int d = 0; d < decisions; d++) {
        double total = 0;
        for (int j = 0; j < alternatives; j++) {
          double phi = 0;
          for (int k = 0; k < features; k++) {
            x[j][k] = rng.nextGaussian();
            phi += beta[k] * x[j][k];
          }
          w[j] = Math.exp(phi);
          total += w[j];
        }
        double r = rng.nextDouble() * total;
        int chosen = 0;
        while (r > w[chosen] && chosen < alternatives - 1) {
          r -= w[chosen++];
        }
        for (int j = 0; j < alternatives; j++) {
          StringBuilder line = new StringBuilder();
          line.append('i').append(d / 10).append(',').append(d).append(",a").append(j);
          for (int k = 0; k < features; k++) {
            line.append(',').append(String.format(Locale.ROOT, "%.4f", x[j][k]));
          }
          out.write(line.append(',').append(j == chosen ? 1 : 0).append('\n').toString());
        }
      }
    }
  }
}
