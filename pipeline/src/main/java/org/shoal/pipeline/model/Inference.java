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

  public static Dataset<Row> apply(Dataset<Row> choices, LogOddsScorer scorer, String runId) {
    List<String> names = Arrays.asList(choices.columns());
    for (String f : scorer.features()) {
      if (!names.contains(f)) {
        throw new IllegalArgumentException("the model needs feature '" + f + "', which the choices lack; columns: " + names);
      }
    }
    Broadcast<LogOddsScorer> model =
        JavaSparkContext.fromSparkContext(choices.sparkSession().sparkContext()).broadcast(scorer);
    StructType schema = choices.schema().add(DataTypes.createStructField(Cols.LOG_ODDS, DataTypes.DoubleType, false));
    int[] index = scorer.features().stream().mapToInt(f -> choices.schema().fieldIndex(f)).toArray();
    Dataset<Row> scored = choices.mapPartitions(new Score(model, index), Encoders.row(schema));
    WindowSpec decision = Window.partitionBy(Cols.INDIVIDUAL, Cols.DECISION);
    return scored
        .withColumn("_odds", exp(col(Cols.LOG_ODDS).minus(max(col(Cols.LOG_ODDS)).over(decision))))
        .withColumn(Cols.PROBABILITY, col("_odds").divide(sum(col("_odds")).over(decision)))
        .drop("_odds")
        .withColumn(RUN_ID, lit(runId));
  }

  private static final class Score implements MapPartitionsFunction<Row, Row> {
    private final Broadcast<LogOddsScorer> model;
    private final int[] index;

    Score(Broadcast<LogOddsScorer> model, int[] index) {
      this.model = model;
      this.index = index;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      LogOddsScorer scorer = model.value();
      double[] x = new double[index.length];
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          for (int i = 0; i < index.length; i++) {
            if (r.isNullAt(index[i])) {
              throw new IllegalArgumentException(
                  "feature '" + r.schema().fieldNames()[index[i]] + "' is missing in decision "
                      + r.getAs(Cols.DECISION) + " of individual '" + r.getAs(Cols.INDIVIDUAL) + "'");
            }
            x[i] = ((Number) r.get(index[i])).doubleValue();
          }
          List<Object> values = new ArrayList<>(r.length() + 1);
          for (int i = 0; i < r.length(); i++) {
            values.add(r.get(i));
          }
          values.add(scorer.logOdds(x));
          return RowFactory.create(values.toArray());
        }
      };
    }
  }
}
