package org.shoal.pipeline.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The implementation of {@link DirectDenseLayer}: DL4J's {@code BaseLayer} forward and backward
 * passes (without layer normalisation, which shoal never configures), with every matrix product a
 * {@code Nd4j.gemm} into its destination instead of {@code mmuli}'s product-then-copy. With ReLU or
 * identity, backpropagation reuses the forward pass's output instead of recomputing the layer: both
 * derivatives read the same from the output as from the pre-activation (ReLU's is 1 exactly where
 * the output is positive).
 */
public class DirectDenseLayerImpl extends DenseLayer {
  /** This layer's output in the current training pass, when the derivative can be read from it. */
  private INDArray trainingOutput;

  public DirectDenseLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** A row of ones as long as the last minibatch, kept between minibatches of one size. */
  private transient INDArray ones;

  private INDArray ones(long examples, DataType type) {
    if (ones == null || ones.size(1) != examples || ones.dataType() != type) {
      // outside DL4J's workspaces, which recycle their memory every minibatch
      try (org.nd4j.linalg.api.memory.MemoryWorkspace detached =
          Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        ones = Nd4j.ones(type, 1, examples);
      }
    }
    return ones;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaces) {
    INDArray out = super.activate(training, workspaces);
    trainingOutput = training && derivativeFromOutput() ? out : null;
    return out;
  }

  private boolean derivativeFromOutput() {
    IActivation f = layerConf().getActivationFn();
    return f instanceof ActivationIdentity
        || (f instanceof ActivationReLU relu
            && relu.getMax() == null
            && relu.getThreshold() == null
            && relu.getNegativeSlope() == null);
  }

  @Override
  protected Pair<INDArray, INDArray> preOutputWithPreNorm(
      boolean training, boolean forBackprop, LayerWorkspaceMgr workspaces) {
    if (hasLayerNorm()) {
      return super.preOutputWithPreNorm(training, forBackprop, workspaces);
    }
    assertInputSet(forBackprop);
    applyDropOutIfNecessary(training, workspaces);
    INDArray w = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaces);
    INDArray b = getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaces);
    INDArray in = input.castTo(w.dataType());
    if (in.rank() != 2 || in.columns() != w.rows()) {
      // the stock layer's checks and messages
      return super.preOutputWithPreNorm(training, forBackprop, workspaces);
    }
    INDArray out =
        workspaces.createUninitialized(
            ArrayType.ACTIVATIONS, w.dataType(), new long[] {in.size(0), w.size(1)}, 'c');
    Nd4j.gemm(in, w, out, false, false, 1.0, 0.0);
    if (hasBias()) {
      out.addiRowVector(b);
    }
    if (maskArray != null) {
      applyMask(out);
    }
    return new Pair<>(out, out);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaces) {
    if (hasLayerNorm()) {
      return super.backpropGradient(epsilon, workspaces);
    }
    assertInputSet(true);
    INDArray z =
        trainingOutput != null && trainingOutput.size(0) == input.size(0)
            ? trainingOutput
            : preOutputWithPreNorm(true, true, workspaces).getFirst();
    trainingOutput = null;
    INDArray delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
    if (maskArray != null) {
      applyMask(delta);
    }
    Gradient gradient = new DefaultGradient();
    if (hasBias()) {
      // the column sums of delta as a product with a row of ones: ND4J's sum along dimension 0
      // walks a C-ordered [examples, units] array column by column, several times slower
      INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
      Nd4j.gemm(ones(delta.size(0), delta.dataType()), delta, biasGrad, false, false, 1.0, 0.0);
      gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);
    }
    INDArray w = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, workspaces);
    // dL/dinput = delta · Wᵀ, [examples, inputs]
    INDArray epsilonNext =
        workspaces.createUninitialized(
            ArrayType.ACTIVATION_GRAD,
            delta.dataType(),
            new long[] {delta.size(0), w.size(0)},
            'c');
    Nd4j.gemm(delta, w, epsilonNext, false, true, 1.0, 0.0);
    INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
    Nd4j.gemm(input.castTo(weightGrad.dataType()), delta, weightGrad, true, false, 1.0, 0.0);
    gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
    weightNoiseParams.clear();
    return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
  }
}
