import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference for `bin/benchmark compare` train: the matrix products alone of one epoch of the shared-weight
 * network, as ND4J sgemm calls on the same shapes (float): for every minibatch of ROWS_PER_BATCH choice rows
 * and every dense layer IN -> OUT, the forward product X W, and the backward products dY W^T and X^T dY, into
 * preallocated results. No
 * activation, loss, mask, update or data movement: a floor no trainer of this network can beat on this
 * machine. Its results are checked against a plain-Java product on the first batch before timing.
 *
 * <p>java -cp shoal.jar bin/MatmulReference.java CHOICE_ROWS ROWS_PER_BATCH LAYER_SIZES (e.g. 11,32,32,32,1)
 *
 * <p>Prints one line: "matmul SECONDS_PER_EPOCH GFLOPS" (the median of 3 epochs after one warm-up).
 */
public class MatmulReference {
  public static void main(String[] args) {
    long rows = Long.parseLong(args[0]);
    int batch = Integer.parseInt(args[1]);
    String[] sizes = args[2].split(",");
    List<INDArray> weights = new ArrayList<>();
    List<INDArray> inputs = new ArrayList<>();
    List<INDArray> gradients = new ArrayList<>();
    List<INDArray[]> outputs = new ArrayList<>();
    Nd4j.getRandom().setSeed(1);
    for (int l = 0; l + 1 < sizes.length; l++) {
      int in = Integer.parseInt(sizes[l]);
      int out = Integer.parseInt(sizes[l + 1]);
      weights.add(Nd4j.rand(DataType.FLOAT, in, out));
      inputs.add(Nd4j.rand(DataType.FLOAT, batch, in));
      gradients.add(Nd4j.rand(DataType.FLOAT, batch, out));
      // Preallocated results, as a trainer's workspace holds them: allocating each product's result
      // costs more than the product on these thin shapes.
      outputs.add(
          new INDArray[] {
            Nd4j.create(DataType.FLOAT, batch, out),
            Nd4j.create(DataType.FLOAT, batch, in),
            Nd4j.create(DataType.FLOAT, in, out)
          });
    }
    check(inputs.get(0), weights.get(0));
    long batches = (rows + batch - 1) / batch;
    double flops = 0;
    for (INDArray w : weights) {
      flops += 3.0 * 2.0 * batch * w.size(0) * w.size(1);
    }
    flops *= batches;
    double[] seconds = new double[4];
    for (int e = 0; e < seconds.length; e++) {
      long start = System.nanoTime();
      for (long b = 0; b < batches; b++) {
        for (int l = 0; l < weights.size(); l++) {
          INDArray x = inputs.get(l);
          INDArray w = weights.get(l);
          INDArray dy = gradients.get(l);
          INDArray[] o = outputs.get(l);
          Nd4j.gemm(x, w, o[0], false, false, 1.0, 0.0);
          Nd4j.gemm(dy, w, o[1], false, true, 1.0, 0.0);
          Nd4j.gemm(x, dy, o[2], true, false, 1.0, 0.0);
        }
      }
      seconds[e] = (System.nanoTime() - start) / 1e9;
    }
    double[] timed = {seconds[1], seconds[2], seconds[3]};
    java.util.Arrays.sort(timed);
    System.out.printf(Locale.ROOT, "matmul %.3f %.1f%n", timed[1], flops / timed[1] / 1e9);
  }

  /** ND4J's product equals a plain-Java one (float rounding aside) on the first layer's shapes. */
  static void check(INDArray x, INDArray w) {
    INDArray y = x.mmul(w);
    float[][] xs = x.toFloatMatrix();
    float[][] ws = w.toFloatMatrix();
    for (int i = 0; i < Math.min(50, xs.length); i++) {
      for (int j = 0; j < ws[0].length; j++) {
        double s = 0;
        for (int k = 0; k < ws.length; k++) {
          s += (double) xs[i][k] * ws[k][j];
        }
        if (Math.abs(s - y.getDouble(i, j)) > 1e-4 * Math.max(1, Math.abs(s))) {
          throw new IllegalStateException("sgemm differs from the plain product at " + i + "," + j);
        }
      }
    }
  }
}
