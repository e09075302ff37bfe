package org.shoal.pipeline.model;

import java.util.ArrayList;
import java.util.List;

/** The hyper-parameter lists whose Cartesian product is a grid of training runs. */
public record HyperparameterGrid(
    List<List<Integer>> hidden,
    List<Double> learningRates,
    List<Integer> batchSizes,
    List<Double> dropouts,
    List<Long> seeds) {
  public HyperparameterGrid {
    hidden = List.copyOf(hidden);
    learningRates = List.copyOf(learningRates);
    batchSizes = List.copyOf(batchSizes);
    dropouts = List.copyOf(dropouts);
    seeds = List.copyOf(seeds);
  }

  public int size() {
    return hidden.size()
        * learningRates.size()
        * batchSizes.size()
        * dropouts.size()
        * seeds.size();
  }

  /**
   * Every combination as a run on {@code features}: the seed seeds both the weights and the
   * shuffling; epochs, patience and activation come from {@code base}.
   */
  public List<RunSpec> runs(
      List<String> features, String activation, Training.Plan base, String data) {
    List<RunSpec> runs = new ArrayList<>(size());
    for (List<Integer> layers : hidden) {
      for (double lr : learningRates) {
        for (int batch : batchSizes) {
          for (double dropout : dropouts) {
            for (long seed : seeds) {
              NetworkSpec net = new NetworkSpec(layers, activation, dropout, lr, seed);
              runs.add(
                  new RunSpec(
                      features,
                      net,
                      new Training.Plan(batch, base.epochs(), base.patience(), seed),
                      data));
            }
          }
        }
      }
    }
    return runs;
  }
}
