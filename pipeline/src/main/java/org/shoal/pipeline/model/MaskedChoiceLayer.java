package org.shoal.pipeline.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A parameter-free layer from per-choice log-odds to masked logits: input φ as [batch, 1, choices]
 * (the shared dense stack's output, reshaped by a FeedForwardToRnnPreProcessor) and the feature
 * mask [batch, choices]; output [batch, choices] = φ + (mask − 1)·offset. It consumes the mask, so
 * the following softmax loss runs across the choices of each decision and padded choices get
 * probability 0. Plain Java on purpose: DL4J 1.0.0-M2's SameDiff layers return wrong gradients.
 */
public class MaskedChoiceLayer extends NoParamLayer {
  private int maxChoices;
  private double offset = 1e4;

  /** For Jackson: the configuration travels as JSON (Spark broadcasts, saved models). */
  public MaskedChoiceLayer() {}

  public MaskedChoiceLayer(int maxChoices, double offset) {
    this.maxChoices = maxChoices;
    this.offset = offset;
  }

  public int getMaxChoices() {
    return maxChoices;
  }

  public void setMaxChoices(int maxChoices) {
    this.maxChoices = maxChoices;
  }

  public double getOffset() {
    return offset;
  }

  public void setOffset(double offset) {
    this.offset = offset;
  }

  @Override
  public Layer instantiate(
      NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners,
      int layerIndex,
      INDArray paramsView,
      boolean initializeParams,
      DataType dataType) {
    return LayerWiring.wire(
        new MaskedChoiceLayerImpl(conf, dataType),
        this,
        conf,
        listeners,
        layerIndex,
        paramsView,
        initializeParams);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward(maxChoices);
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    return inputType.getType() == InputType.Type.FF ? new FeedForwardToRnnPreProcessor() : null;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    return new LayerMemoryReport.Builder(
            layerName, MaskedChoiceLayer.class, inputType, getOutputType(-1, inputType))
        .standardMemory(0, 0)
        .workingMemory(0, 0, 0, 0)
        .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
        .build();
  }

  @Override
  public MaskedChoiceLayer clone() {
    return (MaskedChoiceLayer) super.clone();
  }
}
