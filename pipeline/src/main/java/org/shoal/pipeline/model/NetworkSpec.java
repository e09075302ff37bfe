package org.shoal.pipeline.model;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The shared-weight log-odds network: {@code hidden} dense layers (same weights for every choice),
 * a linear scalar φ per choice, the masked-choice layer, and softmax cross-entropy across each
 * decision's choices (or, for draws of contrast pairs, {@link PairwiseLoss}). No hidden layer makes
 * it an exact conditional (multinomial) logit.
 */
public record NetworkSpec(
    List<Integer> hidden, String activation, double dropout, double learningRate, long seed)
    implements Serializable {
  public static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid", "identity");

  public NetworkSpec {
    hidden = List.copyOf(hidden);
    if (hidden.stream().anyMatch(h -> h < 1)) {
      throw new IllegalArgumentException("hidden layer sizes must be >= 1, got " + hidden);
    }
    if (!ACTIVATIONS.contains(activation.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "activation must be one of " + ACTIVATIONS + ", got '" + activation + "'");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
    }
  }

  Activation dl4jActivation() {
    return Activation.valueOf(activation.toUpperCase(Locale.ROOT));
  }

  /**
   * The network for whole decisions ({@code pairwise} false: softmax cross-entropy across each
   * decision's choices) or for draws of contrast pairs sharing their selected choice ({@link
   * PairwiseLoss}).
   */
  public MultiLayerConfiguration configuration(int features, int maxChoices, boolean pairwise) {
    return configuration(
        features, maxChoices, new Adam(learningRate), DataType.FLOAT, 1e4, pairwise);
  }

  /** For whole decisions, with another updater, precision or mask offset (tests). */
  public MultiLayerConfiguration configuration(
      int features, int maxChoices, IUpdater updater, DataType dataType, double maskOffset) {
    return configuration(features, maxChoices, updater, dataType, maskOffset, false);
  }

  /**
   * The full form, for tests: another updater, double precision, a finite mask offset for gradient
   * checks.
   */
  public MultiLayerConfiguration configuration(
      int features,
      int maxChoices,
      IUpdater updater,
      DataType dataType,
      double maskOffset,
      boolean pairwise) {
    NeuralNetConfiguration.ListBuilder b =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(dataType)
            .updater(updater)
            .weightInit(WeightInit.XAVIER)
            .list();
    for (int h : hidden) {
      b.layer(new DirectDenseLayer(h, dl4jActivation(), dropout));
    }
    b.layer(new DirectDenseLayer(1, Activation.IDENTITY, 0));
    b.layer(new MaskedChoiceLayer(maxChoices, maskOffset));
    b.layer(
        pairwise
            ? new LossLayer.Builder()
                .lossFunction(new PairwiseLoss())
                .activation(Activation.IDENTITY)
                .build()
            : new LossLayer.Builder()
                .lossFunction(new LossMCXENT())
                .activation(Activation.SOFTMAX)
                .build());
    b.setInputType(InputType.recurrent(features, maxChoices));
    return b.build();
  }
}
