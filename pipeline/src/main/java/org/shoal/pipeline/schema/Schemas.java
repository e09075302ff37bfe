package org.shoal.pipeline.schema;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/** Spark schemas of shoal's tables, declared once. */
public final class Schemas {
  private Schemas() {}

  /**
   * Environmental covariates, one row per (ocean cell, day). Any number of extra variables may
   * follow.
   */
  public static final List<String> SYNTHETIC_COVARIATES =
      List.of(
          Cols.MIXED_LAYER_THICKNESS, Cols.NET_PRIMARY_PRODUCTION, Cols.SALINITY, Cols.TEMPERATURE);

  /** The leading columns of the raw-fix table every track reader produces (strings, as read). */
  public static final List<String> RAW_FIXES =
      List.of(
          Cols.SOURCE_FILE,
          Cols.INDIVIDUAL_TEXT,
          Cols.TIMESTAMP_TEXT,
          Cols.LATITUDE_TEXT,
          Cols.LONGITUDE_TEXT);

  public static final StructType TRACKS =
      createStructType(
          List.of(
              createStructField(Cols.INDIVIDUAL_ID, StringType, false),
              createStructField(Cols.TIMESTAMP, TimestampType, false),
              createStructField(Cols.LATITUDE, DoubleType, false),
              createStructField(Cols.LONGITUDE, DoubleType, false),
              createStructField(Cols.FORK_LENGTH_CM, DoubleType, true),
              createStructField(Cols.RELEASE_REGION, StringType, true)));

  public static final StructType COVARIATES =
      createStructType(
          List.of(
              createStructField(Cols.CELL, StringType, false),
              createStructField(Cols.DATE, DateType, false),
              createStructField(Cols.MIXED_LAYER_THICKNESS, DoubleType, false),
              createStructField(Cols.NET_PRIMARY_PRODUCTION, DoubleType, false),
              createStructField(Cols.SALINITY, DoubleType, false),
              createStructField(Cols.TEMPERATURE, DoubleType, false)));

  public static final StructType CELLS =
      createStructType(
          List.of(
              createStructField(Cols.CELL, StringType, false),
              createStructField(Cols.LATITUDE, DoubleType, false),
              createStructField(Cols.LONGITUDE, DoubleType, false),
              createStructField(Cols.LAND, BooleanType, false)));

  /**
   * The simulator's truth: every choice of every simulated step with its true log-odds and
   * probability.
   */
  public static final StructType TRUTH =
      createStructType(
          List.of(
              createStructField(Cols.INDIVIDUAL, StringType, false),
              createStructField(Cols.DATE, DateType, false),
              createStructField(Cols.ORIGIN_CELL, StringType, false),
              createStructField(Cols.CELL, StringType, false),
              createStructField(Cols.SELECTED, BooleanType, false),
              createStructField(Cols.LOG_ODDS, DoubleType, false),
              createStructField(Cols.PROBABILITY, DoubleType, false)));

  /**
   * Evaluation metrics, one row per model, dataset (decisions or contrasts), subset and group of a
   * grouping set: D-NLP is the mean over individuals of each individual's mean log-probability of
   * the selected choice, GMP its exponential, mean_ll the plain mean over decisions (C-NLP on
   * contrast pairs), uniform_* the same for 1/choices.
   */
  public static final StructType METRICS =
      createStructType(
          List.of(
              createStructField("model", StringType, true),
              createStructField("dataset", StringType, true),
              createStructField("subset", StringType, true),
              createStructField("grouping", StringType, true),
              createStructField("group", StringType, true),
              createStructField("decisions", LongType, true),
              createStructField("individuals", LongType, true),
              createStructField("d_nlp", DoubleType, true),
              createStructField("mean_ll", DoubleType, true),
              createStructField("gmp", DoubleType, true),
              createStructField("uniform_d_nlp", DoubleType, true),
              createStructField("uniform_gmp", DoubleType, true)));

  /**
   * Daily transition probabilities: from an origin cell on a date, the probability of each
   * destination.
   */
  public static final StructType TRANSITIONS =
      createStructType(
          List.of(
              createStructField(Cols.ORIGIN_CELL, StringType, false),
              createStructField(Cols.DESTINATION, StringType, false),
              createStructField(Cols.DATE, DateType, false),
              createStructField(Cols.DAY, IntegerType, false),
              createStructField(Cols.PROBABILITY, DoubleType, false)));

  /** Diffused abundance: the mass in each cell on each day. */
  public static final StructType DENSITIES =
      createStructType(
          List.of(
              createStructField(Cols.DAY, IntegerType, false),
              createStructField(Cols.CELL, StringType, false),
              createStructField("mass", DoubleType, false)));

  /**
   * Training history: one row per run and epoch, losses as mean negative log-likelihood per
   * decision.
   */
  public static final StructType HISTORY =
      createStructType(
          List.of(
              createStructField("run_id", StringType, false),
              createStructField("epoch", IntegerType, false),
              createStructField("train_loss", DoubleType, false),
              createStructField("validation_loss", DoubleType, false),
              createStructField("seconds", DoubleType, false),
              createStructField("choice_rows_per_second", DoubleType, false)));
}
