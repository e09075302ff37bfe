package org.shoal.pipeline.model;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One training run: the features, the network and the fitting plan. Its id is a hash of all three
 * and the data.
 */
public record RunSpec(List<String> features, NetworkSpec network, Training.Plan plan, String data)
    implements Serializable {
  public RunSpec {
    features = List.copyOf(features);
  }

  /**
   * sha256 of the run's resolved configuration: the same configuration gets the same id on every
   * machine.
   */
  public String runId() {
    String canonical =
        "features="
            + features
            + ";hidden="
            + network.hidden()
            + ";activation="
            + network.activation()
            + ";dropout="
            + network.dropout()
            + ";learningRate="
            + network.learningRate()
            + ";seed="
            + network.seed()
            + ";batchSize="
            + plan.batchSize()
            + ";epochs="
            + plan.epochs()
            + ";patience="
            + plan.patience()
            + ";data="
            + data;
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
