package org.shoal.pipeline.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.shoal.pipeline.schema.Cols;

/**
 * Batch inference: the log-odds of every choice row from a {@link LogOddsScorer} (broadcast, so each executor
 * deserialises it once), then the probability as the softmax within each decision, with the decision's maximum
 * subtracted before exponentiating so large log-odds cannot overflow.
 */
public final class Inference {
  public static final String RUN_ID = "run_id";

  private Inference() {}

  /** A model to score with, and the columns its log-odds and probabilities go to. */
  public record Scored(LogOddsScorer scorer, String logOddsColumn, String probabilityColumn) implements java.io.Serializable {}

  public static Dataset<Row> apply(Dataset<Row> choices, LogOddsScorer scorer, String runId) {
    return apply(choices, List.of(new Scored(scorer, Cols.LOG_ODDS, Cols.PROBABILITY))).withColumn(RUN_ID, lit(runId));
  }

  /**
   * Several models in one pass over the choices: each row is read once and scored by every model, and every
   * model's softmax uses the same window over the decision (one shuffle whatever the number of models).
   */
  public static Dataset<Row> apply(Dataset<Row> choices, List<Scored> models) {
    List<String> names = Arrays.asList(choices.columns());
    StructType schema = choices.schema();
    int[][] index = new int[models.size()][];
    List<LogOddsScorer> scorers = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      LogOddsScorer scorer = models.get(m).scorer();
      for (String f : scorer.features()) {
        if (!names.contains(f)) {
          throw new IllegalArgumentException("the model needs feature '" + f + "', which the choices lack; columns: " + names);
        }
      }
      index[m] = scorer.features().stream().mapToInt(f -> choices.schema().fieldIndex(f)).toArray();
      scorers.add(scorer);
      schema = schema.add(DataTypes.createStructField(models.get(m).logOddsColumn(), DataTypes.DoubleType, false));
    }
    Broadcast<List<LogOddsScorer>> broadcast =
        JavaSparkContext.fromSparkContext(choices.sparkSession().sparkContext()).broadcast(scorers);
    Dataset<Row> scored = choices.mapPartitions(new Score(broadcast, index), Encoders.row(schema));
    WindowSpec decision = Window.partitionBy(Cols.INDIVIDUAL, Cols.DECISION);
    for (Scored m : models) {
      Column lo = col(m.logOddsColumn());
      scored =
          scored
              .withColumn("_odds", exp(lo.minus(max(lo).over(decision))))
              .withColumn(m.probabilityColumn(), col("_odds").divide(sum(col("_odds")).over(decision)))
              .drop("_odds");
    }
    return scored;
  }

  private static final class Score implements MapPartitionsFunction<Row, Row> {
    private final Broadcast<List<LogOddsScorer>> models;
    private final int[][] index;

    Score(Broadcast<List<LogOddsScorer>> models, int[][] index) {
      this.models = models;
      this.index = index;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      List<LogOddsScorer> scorers = models.value();
      double[][] x = new double[index.length][];
      for (int m = 0; m < index.length; m++) {
        x[m] = new double[index[m].length];
      }
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          List<Object> values = new ArrayList<>(r.length() + index.length);
          for (int i = 0; i < r.length(); i++) {
            values.add(r.get(i));
          }
          for (int m = 0; m < index.length; m++) {
            for (int i = 0; i < index[m].length; i++) {
              if (r.isNullAt(index[m][i])) {
                throw new IllegalArgumentException(
                    "feature '" + r.schema().fieldNames()[index[m][i]] + "' is missing in decision "
                        + r.getAs(Cols.DECISION) + " of individual '" + r.getAs(Cols.INDIVIDUAL) + "'");
              }
              x[m][i] = ((Number) r.get(index[m][i])).doubleValue();
            }
            values.add(scorers.get(m).logOdds(x[m]));
          }
          return RowFactory.create(values.toArray());
        }
      };
    }
  }
}
