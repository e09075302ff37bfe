package org.shoal.pipeline.model;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The implementation of {@link MaskedChoiceLayer}. */
public class MaskedChoiceLayerImpl extends AbstractLayer<MaskedChoiceLayer> {
  public MaskedChoiceLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaces) {
    assertInputSet(false);
    long b = input.size(0);
    long m = input.size(2);
    INDArray out =
        workspaces.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {b, m}, 'c');
    out.assign(input.reshape('c', b, m));
    if (maskArray != null) {
      INDArray mask = maskArray.castTo(dataType).reshape('c', b, m);
      out.addi(mask.sub(1.0).muli(layerConf().getOffset()));
    }
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaces) {
    assertInputSet(true);
    long b = input.size(0);
    long m = input.size(2);
    INDArray grad =
        workspaces.createUninitialized(
            ArrayType.ACTIVATION_GRAD, dataType, new long[] {b, 1, m}, 'c');
    grad.assign(epsilon.castTo(dataType).reshape('c', b, 1, m));
    if (maskArray != null) {
      grad.muli(maskArray.castTo(dataType).reshape('c', b, 1, m));
    }
    return new Pair<>(new DefaultGradient(), grad);
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArray(
      INDArray maskArray, MaskState state, int minibatchSize) {
    this.maskArray = maskArray;
    this.maskState = state;
    return new Pair<>(null, null); // consumed: the loss layer sees no mask
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public void clearNoiseWeightParams() {}

  @Override
  public Type type() {
    return Type.FEED_FORWARD;
  }

  @Override
  public double calcRegularizationScore(boolean backpropParamsOnly) {
    return 0;
  }

  @Override
  public long numParams() {
    return 0;
  }
}
