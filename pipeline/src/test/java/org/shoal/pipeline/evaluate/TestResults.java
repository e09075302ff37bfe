package org.shoal.pipeline.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The results table from metric rows, and its bootstrap intervals: plain Java, hand-made rows. */
class TestResults {
  private static Results.Metric decisions(String model, String split, double dNlp, double uniform) {
    return new Results.Metric(
        model,
        "decisions",
        "all",
        "split",
        "split=" + split,
        10L,
        3L,
        dNlp,
        dNlp - 0.01,
        Math.exp(dNlp),
        uniform,
        Math.exp(uniform));
  }

  private static Results.Metric contrasts(String model, String split, double meanLl) {
    return new Results.Metric(
        model,
        "contrasts",
        "all",
        "split",
        "split=" + split,
        10L,
        3L,
        meanLl,
        meanLl,
        Math.exp(meanLl),
        Math.log(0.5),
        0.5);
  }

  @Test
  void perSplitEveryModelThenUniformWithContrastsWhereScored() {
    List<Results.Metric> metrics =
        List.of(
            decisions("net", "train", -1.6, -3.0),
            decisions("distance", "train", -1.7, -3.0),
            contrasts("net", "train", -0.5),
            decisions("net", "validation", -1.65, -3.1),
            // another grouping's row of the same model must not be taken for the split's
            new Results.Metric(
                "net",
                "decisions",
                "all",
                "moved",
                "moved=true",
                4L,
                2L,
                -9.0,
                -9.0,
                0.0,
                -3.0,
                0.05));
    List<Results.Result> table = Results.table(metrics, "net");
    assertThat(table)
        .extracting(Results.Result::model, Results.Result::split)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("net", "train"),
            org.assertj.core.groups.Tuple.tuple("distance", "train"),
            org.assertj.core.groups.Tuple.tuple("uniform", "train"),
            org.assertj.core.groups.Tuple.tuple("net", "validation"),
            org.assertj.core.groups.Tuple.tuple("uniform", "validation"));
    assertThat(table.get(0).cNlp()).isEqualTo(-0.5);
    assertThat(table.get(0).dNlp()).isEqualTo(-1.6);
    assertThat(table.get(1).cNlp()).isNaN(); // distance has no contrast column
    assertThat(table.get(2).cNlp()).isCloseTo(Math.log(0.5), within(1e-15));
    assertThat(table.get(2).dNlp()).isEqualTo(-3.0);
    assertThat(table.get(4).dNlp()).isEqualTo(-3.1);
  }

  @Test
  void aSplitWithoutDecisionsIsShownUnavailableNotHidden() {
    List<Results.Result> table =
        Results.table(List.of(decisions("net", "train", -1.6, -3.0)), "net");
    Results.Result last = table.get(table.size() - 1);
    assertThat(last.split()).isEqualTo("validation");
    assertThat(last.model()).isEqualTo("net");
    assertThat(last.decisions()).isZero();
    assertThat(last.dNlp()).isNaN();
  }

  @Test
  void intervalsComeFromThePairedBootstrapAgainstTheBestBaseline() throws Exception {
    List<Results.Result> table =
        Results.table(
            List.of(
                decisions("net", "train", -1.0, -3.0), decisions("distance", "train", -2.0, -3.0)),
            "net");
    Map<String, Double> net = new LinkedHashMap<>(Map.of("a", -0.9, "b", -1.1, "c", -1.0));
    Map<String, Double> distance = new LinkedHashMap<>(Map.of("a", -2.1, "b", -1.9, "c", -2.0));
    Map<String, Double> uniform = new LinkedHashMap<>(Map.of("a", -3.0, "b", -3.0, "c", -3.0));
    Map<String, Map<String, Double>> train = new LinkedHashMap<>();
    train.put("net", new java.util.TreeMap<>(net));
    train.put("distance", new java.util.TreeMap<>(distance));
    train.put("uniform", new java.util.TreeMap<>(uniform));
    List<Results.Result> withIntervals =
        Results.withIntervals(
            table, Map.of("train", train), "net", List.of("uniform", "distance"), 200, 7);
    // independent: the same bootstrap on the same matrix, distance (index 1) the best baseline
    double[][] values = {{-0.9, -1.1, -1.0}, {-2.1, -1.9, -2.0}, {-3.0, -3.0, -3.0}};
    Bootstrap.Interval[][] expected = Bootstrap.dNlp(values, 1, 200, 7);
    Results.Result netRow = withIntervals.get(0);
    assertThat(netRow.dNlpLow()).isEqualTo(expected[0][0].low());
    assertThat(netRow.vsBestBaseline()).isCloseTo(1.0, within(1e-12));
    assertThat(netRow.vsBestBaselineHigh()).isEqualTo(expected[0][1].high());
    assertThat(netRow.bestBaseline()).isEqualTo("distance");
    assertThat(netRow.beyondNoise()).isTrue();
    Results.Result distanceRow = withIntervals.get(1);
    assertThat(distanceRow.beyondNoise()).as("the best baseline is not beyond itself").isFalse();
    // summary.json keeps the research's column names, intervals only when bootstrapped
    ObjectMapper json = new ObjectMapper();
    JsonNode plain = json.valueToTree(table.get(0));
    assertThat(new ArrayList<String>(iterable(plain)))
        .containsExactly("model", "split", "decisions", "individuals", "c_nlp", "d_nlp", "gmp");
    assertThat(json.valueToTree(netRow).at("/vs_best_baseline_low").asDouble())
        .isEqualTo(expected[0][1].low());
  }

  @Test
  void oneIndividualGivesNoIntervalRatherThanAZeroWidthOne() {
    List<Results.Result> table =
        Results.table(
            List.of(
                decisions("net", "train", -1.0, -3.0), decisions("distance", "train", -2.0, -3.0)),
            "net");
    Map<String, Map<String, Double>> train = new LinkedHashMap<>();
    train.put("net", Map.of("a", -1.0));
    train.put("distance", Map.of("a", -2.0));
    train.put("uniform", Map.of("a", -3.0));
    List<Results.Result> rows =
        Results.withIntervals(
            table, Map.of("train", train), "net", List.of("uniform", "distance"), 200, 7);
    assertThat(rows).allSatisfy(r -> assertThat(r.dNlpLow()).isNaN());
    assertThat(rows).noneMatch(Results.Result::beyondNoise);
  }

  private static List<String> iterable(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void csvQuotesCellsWithCommasAndPrintsTenDigits() {
    String csv =
        Results.csv(
            List.of(
                new Results.Metric(
                    "a,b",
                    "decisions",
                    "all",
                    "g",
                    "x",
                    1L,
                    1L,
                    -1.0 / 3,
                    null,
                    null,
                    null,
                    null)));
    assertThat(csv.lines().toList().get(1))
        .isEqualTo("\"a,b\",decisions,all,g,x,1,1,-0.3333333333,null,null,null,null");
  }
}
