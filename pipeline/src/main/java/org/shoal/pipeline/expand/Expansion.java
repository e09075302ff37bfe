package org.shoal.pipeline.expand;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.shoal.pipeline.features.ChoiceFeatures;
import org.shoal.pipeline.features.Normalisation;
import org.shoal.pipeline.features.Splits;
import org.shoal.pipeline.h3.ChoiceTable;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Schemas;
import org.shoal.pipeline.schema.Split;
import org.shoal.pipeline.tracks.DailyPositions;
import org.shoal.pipeline.tracks.FixValidation;
import org.shoal.pipeline.tracks.TrackReader;
import org.shoal.pipeline.tracks.TrackSource;

/**
 * The expand stage as one library call: read and validate fixes, regularise to daily positions,
 * expand into decisions and choices, add features, split by individual and normalise with training
 * statistics.
 */
public final class Expansion {
  public static final String NOT_IN_SPLIT_FILE = "individual not in split file";

  private Expansion() {}

  /**
   * @param tracks what was read: files, the columns found, which column identified individuals
   * @param fixesIn every fix read, one row each, with its validation outcome (persisted)
   * @param rejected fixes that failed validation or duplicated a timestamp, with raw text and
   *     reason
   * @param simultaneous kept fixes that share individual and time with another at a different
   *     position
   * @param positions one row per individual and step (persisted)
   * @param choices the decision/choice table with ids, raw values and {@code f_*} features
   * @param dropped decisions that could not be kept, with reason
   * @param decisions every decision considered, kept or not: its ids, cells, split, {@code
   *     candidates} (the choices it had before any was removed for missing covariates) and {@code
   *     reason} (null when kept; persisted)
   * @param splits individual, split
   * @param normalisation the statistics used (fitted on training rows, or reused)
   * @param features the model's feature columns, in order
   * @param covariates the covariates' variable columns carried into the choices
   * @param cached the intermediate tables kept in memory (or on local disk) while the outputs are
   *     written
   */
  public record Output(
      TrackReader.Tracks tracks,
      Dataset<Row> fixesIn,
      Dataset<Row> rejected,
      Dataset<Row> simultaneous,
      Dataset<Row> positions,
      Dataset<Row> choices,
      Dataset<Row> dropped,
      Dataset<Row> decisions,
      Dataset<Row> splits,
      Normalisation normalisation,
      List<String> features,
      List<String> covariates,
      List<Dataset<Row>> cached) {
    /**
     * The columns that take a new value on nearly every row: the covariates (by cell and day) and
     * the features made from them.
     */
    public Set<String> continuousColumns() {
      Set<String> columns = new LinkedHashSet<>(covariates);
      for (String c : covariates) {
        columns.add(Normalisation.featureName(c));
      }
      return columns;
    }

    /** Frees the cached intermediate tables once every output is written and counted. */
    public void release() {
      cached.forEach(Dataset::unpersist);
    }
  }

  /**
   * How the choices are laid out for their write: {@code partition} hash-partitions them (adding
   * any column it partitions by), and {@code clusteredBy} names those columns, which must depend on
   * the individual alone. The choices are numbered after it, so their sort serves the write too.
   */
  public record Layout(UnaryOperator<Dataset<Row>> partition, List<String> clusteredBy) {
    /** No partitioning: numbered per decision wherever the rows are. */
    public static final Layout NONE = new Layout(UnaryOperator.identity(), List.of());
  }

  /**
   * @param covariates (cell, date, variables...) or null
   * @param attributes (individual, attribute columns...) joined by individual id, or null
   * @param splitTable (individual, split) with split in {train, validation}, or null to split by
   *     hash
   * @param reuse statistics to reuse instead of fitting, or null
   */
  public static Output run(
      SparkSession spark,
      ExpandParams p,
      Dataset<Row> covariates,
      Dataset<Row> attributes,
      Dataset<Row> splitTable,
      Normalisation reuse) {
    return run(
        p,
        TrackReader.read(spark, p.tracks()),
        covariates,
        attributes,
        splitTable,
        reuse,
        Layout.NONE);
  }

  /**
   * As above, on tracks already read (the caller may adapt its settings to the columns found), the
   * choices laid out by {@code layout}.
   */
  public static Output run(
      ExpandParams p,
      TrackReader.Tracks tracks,
      Dataset<Row> covariates,
      Dataset<Row> attributes,
      Dataset<Row> splitTable,
      Normalisation reuse,
      Layout layout) {
    Dataset<Row> raw = tracks.raw();
    List<String> attributeNames = new ArrayList<>(tracks.source().attributes());
    if (attributes != null) {
      if (!java.util.Arrays.asList(attributes.columns()).contains(Cols.INDIVIDUAL)) {
        throw new IllegalArgumentException(
            "the attributes table needs an '"
                + Cols.INDIVIDUAL
                + "' column; its columns are "
                + java.util.Arrays.toString(attributes.columns()));
      }
      Dataset<Row> table = attributes.withColumnRenamed(Cols.INDIVIDUAL, "_attribute_individual");
      for (String c : attributes.columns()) {
        if (!c.equals(Cols.INDIVIDUAL)) {
          table = table.withColumn(c, col("`" + c + "`").cast("string"));
          attributeNames.add(c);
        }
      }
      table =
          table.withColumn("_attribute_individual", col("_attribute_individual").cast("string"));
      raw =
          raw.join(
                  table,
                  raw.col(Cols.INDIVIDUAL_TEXT).equalTo(table.col("_attribute_individual")),
                  "left")
              .drop("_attribute_individual");
    }
    TrackSource source = tracks.source().withAttributes(attributeNames);
    for (String a : p.attributeTransforms().keySet()) {
      if (!attributeNames.contains(a)) {
        throw new IllegalArgumentException(
            "attribute feature '"
                + a
                + "' is not a track or attributes-table column "
                + attributeNames);
      }
    }
    Dataset<Row> checked =
        FixValidation.apply(raw, source, List.copyOf(p.attributeTransforms().keySet()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    // Hash-partitioned by individual once: deduplication, daily positions, segments and decision
    // numbers all group within an individual, so none of them shuffles again. Persisted: read
    // four times (positions, the rejected write, two counts).
    DailyPositions.Deduplicated unique =
        DailyPositions.deduplicate(
                checked.filter(col(Cols.REASON).isNull()).repartition(col(Cols.INDIVIDUAL)))
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> rejected =
        checked
            .filter(col(Cols.REASON).isNotNull())
            .unionByName(
                unique
                    .duplicates()
                    .withColumn(Cols.REASON, lit(FixValidation.Problem.DUPLICATE_FIX.text())))
            .select(rawColumns(source));

    Dataset<Row> positions =
        DailyPositions.apply(
                unique.unique(), p.dailyRule(), p.step(), p.resolution(), attributeNames)
            .persist(StorageLevel.MEMORY_AND_DISK());

    // Whether a decision can be kept is settled on the decision table, before any choice exists.
    Dataset<Row> decisions =
        ExpandDecisions.decisions(positions, covariates, p.radiusKm(), p.missingCovariates());
    Dataset<Row> splits;
    if (splitTable == null) {
      splits =
          Splits.byHash(
              positions.select(Cols.INDIVIDUAL).distinct(),
              // individuals with a decision to make (positions is cached)
              positions.filter(col(Cols.NEXT_CELL).isNotNull()).select(Cols.INDIVIDUAL).distinct(),
              p.splitSeed(),
              p.validationFraction());
    } else {
      splits =
          splitTable.select(col(Cols.INDIVIDUAL).cast("string"), col(Cols.SPLIT).cast("string"));
    }
    decisions =
        decisions
            .join(splits, Cols.INDIVIDUAL, "left")
            .withColumn(
                Cols.REASON,
                when(
                        col(Cols.REASON).isNull().and(col(Cols.SPLIT).isNull()),
                        lit(NOT_IN_SPLIT_FILE))
                    .otherwise(col(Cols.REASON)))
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> dropped = ExpandDecisions.dropped(decisions);
    Dataset<Row> choices =
        ChoiceFeatures.add(
            ExpandDecisions.choices(
                ExpandDecisions.kept(decisions), covariates, p.radiusKm(), p.missingCovariates()),
            p.radiusKm());

    Normalisation normalisation =
        reuse != null
            ? reuse
            : Normalisation.fit(choices.filter(Split.TRAIN.rows()), p.transforms());
    choices =
        ExpandDecisions.numbered(
            layout.partition().apply(normalisation.apply(choices)), layout.clusteredBy());

    List<String> features = new ArrayList<>(ChoiceFeatures.columns(p.baseFeatures()));
    for (String c : p.transforms().keySet()) {
      features.add(Normalisation.featureName(c));
    }
    List<String> variables = covariateVariables(covariates);
    return new Output(
        tracks,
        checked,
        rejected,
        unique.simultaneous(),
        positions,
        choices.select(
            outputColumns(choices, features, variables, attributeNames, layout.clusteredBy())),
        dropped,
        decisions,
        splits,
        normalisation,
        features,
        variables,
        List.of(checked, unique.marked(), positions, decisions));
  }

  /** The covariates' columns but the keys (cell and date). */
  private static List<String> covariateVariables(Dataset<Row> covariates) {
    List<String> names = new ArrayList<>();
    if (covariates != null) {
      for (String c : covariates.columns()) {
        if (!c.equals(Cols.CELL) && !c.equals(Cols.DATE)) {
          names.add(c);
        }
      }
    }
    return names;
  }

  private static Column[] rawColumns(TrackSource source) {
    List<Column> cols = new ArrayList<>();
    for (String c : Schemas.RAW_FIXES) {
      cols.add(col(c));
    }
    for (String a : source.attributes()) {
      cols.add(col("`" + a + "`").cast("string"));
    }
    cols.add(col(Cols.REASON));
    return cols.toArray(Column[]::new);
  }

  /** A choice's ids, split and geometry: the first columns of every choice table expand writes. */
  public static final List<String> LEADING_COLUMNS =
      List.of(
          Cols.INDIVIDUAL,
          Cols.DECISION,
          Cols.CHOICE,
          Cols.DATE,
          Cols.ORIGIN_CELL,
          Cols.CELL,
          Cols.NEXT_CELL,
          Cols.SELECTED,
          Cols.SEGMENT,
          Cols.SPLIT,
          ChoiceTable.DISTANCE_KM,
          ChoiceTable.BEARING_DEG);

  /** Ids, then raw values, then the model's features; stable order for readers and notebooks. */
  private static Column[] outputColumns(
      Dataset<Row> choices,
      List<String> features,
      List<String> covariateVariables,
      List<String> attributes,
      List<String> layoutColumns) {
    Set<String> names = new LinkedHashSet<>();
    names.addAll(LEADING_COLUMNS);
    names.addAll(
        List.of(ChoiceFeatures.STAY_PUT, ChoiceFeatures.DAY_OF_YEAR, ChoiceFeatures.MONTH));
    names.addAll(covariateVariables);
    names.addAll(attributes);
    names.addAll(features);
    names.addAll(layoutColumns); // a bucket, last
    List<Column> cols = new ArrayList<>();
    for (String n : names) {
      cols.add(choices.col("`" + n + "`"));
    }
    return cols.toArray(Column[]::new);
  }
}
