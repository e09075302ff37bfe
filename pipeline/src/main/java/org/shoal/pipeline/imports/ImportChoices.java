package org.shoal.pipeline.imports;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.shoal.pipeline.features.Normalisation;
import org.shoal.pipeline.features.Splits;
import org.shoal.pipeline.features.Transform;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.schema.Split;

/**
 * Any long discrete-choice table (one row per alternative of each decision) to shoal's choice
 * dataset: ids as text, {@code selected} as a boolean, numeric features with their transforms
 * (statistics from the training split), and optionally one constant per alternative and
 * alternative-specific interactions. A decision with a bad row, no selected choice or more than one
 * is rejected whole, each of its rows kept with the reason: rows in = rows kept + rows rejected.
 */
public final class ImportChoices {

  private static final String PROBLEM = "_problem";
  private static final String IND = "_individual";
  private static final String DEC = "_decision";
  private static final String SEL = "_selected";
  private static final String ALT = "_alternative";

  private ImportChoices() {}

  /**
   * Source columns; null = absent. {@code individual} null means one decision per individual;
   * {@code choice} null means row order; {@code split} null means a hash split.
   */
  public record Columns(
      String individual,
      String decision,
      String selected,
      String choice,
      String alternative,
      String split)
      implements java.io.Serializable {}

  /**
   * @param features source column -> transform; each becomes {@code f_<column>}
   * @param alternativeConstants add {@code asc_<alternative>} for every alternative but the base
   * @param baseAlternative the alternative without a constant; null = the first in sort order
   * @param interactions decision-level columns multiplied by each non-base alternative's indicator
   */
  public record Params(
      Columns columns,
      Map<String, Transform> features,
      boolean alternativeConstants,
      String baseAlternative,
      List<String> interactions,
      long splitSeed,
      double validationFraction) {
    public Params {
      features = new LinkedHashMap<>(features);
      interactions = List.copyOf(interactions);
    }
  }

  /**
   * @param choices the choice table: individual, decision, choice, selected, split, [alternative],
   *     the source feature columns, the derived ones, then the {@code f_*} features
   * @param rejected every row of a rejected decision: row, the source columns as text, reason
   * @param rejectedDecisions individual, decision and the reason's kind (without value and row),
   *     once per decision
   * @param features the model's features, in order
   * @param alternatives every alternative, the base first (empty without an alternative column)
   */
  public record Output(
      Dataset<Row> rowsIn,
      Dataset<Row> choices,
      Dataset<Row> rejected,
      Dataset<Row> rejectedDecisions,
      Normalisation normalisation,
      List<String> features,
      List<String> alternatives) {}

  /** Parses 0/1, true/false, yes/no, t/f, y/n (any case); null for anything else. */
  public static Boolean parseSelected(String text) {
    if (text == null) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "1", "1.0", "true", "t", "yes", "y" -> true;
      case "0", "0.0", "false", "f", "no", "n" -> false;
      default -> null;
    };
  }

  public static Output run(SparkSession spark, Dataset<Row> table, Params p) {
    Columns c = p.columns();
    List<String> available = List.of(table.columns());
    Dataset<Row> numbered = numbered(spark, table);

    // Every source column as text, so a bad value can be named exactly as written.
    List<Column> problems = new ArrayList<>();
    Column decisionText = text(c.decision());
    problems.add(when(decisionText.isNull(), lit("missing decision id")));
    Column selectedText = text(c.selected());
    Column selected =
        org.apache
            .spark
            .sql
            .functions
            .udf(
                (org.apache.spark.sql.api.java.UDF1<String, Boolean>) ImportChoices::parseSelected,
                DataTypes.BooleanType)
            .apply(selectedText);
    problems.add(
        when(
            selected.isNull(),
            org.apache.spark.sql.functions.concat(
                lit(c.selected() + " = '"),
                coalesce(selectedText, lit("")),
                lit("' is not a boolean (0/1, true/false, yes/no)"))));
    List<String> numeric = new ArrayList<>(p.features().keySet());
    for (String i : p.interactions()) {
      if (!numeric.contains(i)) {
        numeric.add(i);
      }
    }
    for (String f : numeric) {
      Column t = text(f);
      problems.add(when(t.isNull(), lit("missing " + f)));
      problems.add(
          when(
              t.cast("double").isNull(),
              org.apache.spark.sql.functions.concat(lit(f + " = '"), t, lit("' is not a number"))));
    }
    Column alternativeText =
        c.alternative() == null ? lit(null).cast("string") : text(c.alternative());
    if (c.alternative() != null) {
      problems.add(when(alternativeText.isNull(), lit("missing alternative")));
    }
    Column splitText = c.split() == null ? lit(null).cast("string") : lower(text(c.split()));
    if (c.split() != null) {
      problems.add(
          when(
              splitText
                  .isNull()
                  .or(splitText.isin(Split.TRAIN.label(), Split.VALIDATION.label()).unary_$bang()),
              org.apache.spark.sql.functions.concat(
                  lit(c.split() + " = '"),
                  coalesce(splitText, lit("")),
                  lit("' is not train or validation"))));
    }
    if (c.choice() != null) {
      problems.add(
          when(text(c.choice()).cast("int").isNull(), lit(c.choice() + " is not a whole number")));
    }

    Column individualText = c.individual() == null ? decisionText : text(c.individual());
    problems.add(when(individualText.isNull(), lit("missing individual")));
    // Derived values under private names, so the source columns stay as written for rejected/.
    Dataset<Row> checked =
        numbered
            .withColumn(IND, individualText)
            .withColumn(DEC, decisionText)
            .withColumn(SEL, selected)
            .withColumn(ALT, alternativeText)
            .withColumn("_split", splitText)
            .withColumn(
                "_choice",
                c.choice() == null ? lit(null).cast("int") : text(c.choice()).cast("int"))
            // null when the row is fine (concat of a null is null)
            .withColumn(
                PROBLEM,
                org.apache.spark.sql.functions.concat(
                    coalesce(problems.toArray(Column[]::new)),
                    lit(" (row "),
                    col(Cols.ROW).cast("string"),
                    lit(")")));

    // A decision's fate: its first bad row, else the number of selected choices.
    var decision = Window.partitionBy(IND, DEC);
    Column firstProblem =
        min_by(col(PROBLEM), when(col(PROBLEM).isNotNull(), col(Cols.ROW))).over(decision);
    Column selectedCount = sum(when(col(SEL), 1).otherwise(0)).over(decision);
    Dataset<Row> judged =
        checked
            .withColumn(
                Cols.REASON,
                coalesce(
                    firstProblem,
                    when(selectedCount.equalTo(0), lit("no selected choice")),
                    when(
                        selectedCount.gt(1),
                        org.apache.spark.sql.functions.concat(
                            selectedCount.cast("string"), lit(" selected choices")))))
            .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());

    List<Column> rawText = new ArrayList<>();
    rawText.add(col(Cols.ROW));
    for (String a : available) {
      rawText.add(col("`" + a + "`").cast("string").as(a));
    }
    rawText.add(col(Cols.REASON));
    Dataset<Row> bad = judged.filter(col(Cols.REASON).isNotNull());
    Dataset<Row> rejected = bad.select(rawText.toArray(Column[]::new));
    Dataset<Row> rejectedDecisions =
        bad.select(
                col(IND).as(Cols.INDIVIDUAL),
                col(DEC).as(Cols.DECISION),
                reasonKind(col(Cols.REASON)).as(Cols.REASON))
            .distinct();
    Dataset<Row> kept =
        judged
            .filter(col(Cols.REASON).isNull())
            .drop(
                Cols.INDIVIDUAL,
                Cols.DECISION,
                Cols.SELECTED,
                Cols.ALTERNATIVE,
                Cols.CHOICE,
                Cols.SPLIT)
            .withColumnRenamed(IND, Cols.INDIVIDUAL)
            .withColumnRenamed(DEC, Cols.DECISION)
            .withColumnRenamed(SEL, Cols.SELECTED)
            .withColumnRenamed(ALT, Cols.ALTERNATIVE);
    for (String f : numeric) {
      kept = kept.withColumn(f, col("`" + f + "`").cast("double"));
    }
    kept =
        kept.withColumn(
            Cols.CHOICE,
            c.choice() == null
                ? row_number()
                    .over(Window.partitionBy(Cols.INDIVIDUAL, Cols.DECISION).orderBy(Cols.ROW))
                : col("_choice"));

    // Alternative constants and interactions: one column per non-base alternative.
    List<String> alternatives = new ArrayList<>();
    Map<String, Transform> transforms = new LinkedHashMap<>(p.features());
    if (c.alternative() != null) {
      alternatives.addAll(
          kept.select(Cols.ALTERNATIVE).distinct().as(Encoders.STRING()).collectAsList());
      alternatives.sort(null);
      String base =
          p.baseAlternative() == null
              ? (alternatives.isEmpty() ? null : alternatives.get(0))
              : p.baseAlternative();
      if (base != null && !alternatives.isEmpty() && !alternatives.contains(base)) {
        throw new IllegalArgumentException(
            "base alternative '" + base + "' is not among the alternatives " + alternatives);
      }
      alternatives.remove(base);
      if (base != null) {
        alternatives.add(0, base);
      }
      for (String alt :
          alternatives.subList(Math.min(1, alternatives.size()), alternatives.size())) {
        Column is = col(Cols.ALTERNATIVE).equalTo(alt);
        if (p.alternativeConstants()) {
          String name = "asc_" + alt;
          kept = kept.withColumn(name, when(is, 1.0).otherwise(0.0));
          transforms.put(name, Transform.IDENTITY);
        }
        for (String i : p.interactions()) {
          String name = i + "_" + alt;
          kept = kept.withColumn(name, when(is, col("`" + i + "`")).otherwise(0.0));
          transforms.put(name, Transform.IDENTITY);
        }
      }
    } else if (p.alternativeConstants() || !p.interactions().isEmpty()) {
      throw new IllegalArgumentException(
          "alternative constants and interactions need an alternative column (shoal.import.columns.alternative)");
    }

    Dataset<Row> splits =
        c.split() != null
            ? kept.select(col(Cols.INDIVIDUAL), col("_split").as(Cols.SPLIT))
            : Splits.byHash(
                kept.select(Cols.INDIVIDUAL).distinct(), p.splitSeed(), p.validationFraction());
    if (c.split() != null) {
      kept = kept.withColumn(Cols.SPLIT, col("_split"));
      long mixed =
          splits.distinct().groupBy(Cols.INDIVIDUAL).count().filter(col("count").gt(1)).count();
      if (mixed > 0) {
        throw new IllegalArgumentException(
            mixed
                + " individual(s) have rows in both splits in column '"
                + c.split()
                + "'; a split is per individual");
      }
    } else {
      kept = kept.join(splits, Cols.INDIVIDUAL);
    }

    Normalisation normalisation = Normalisation.fit(kept.filter(Split.TRAIN.rows()), transforms);
    kept = normalisation.apply(kept);
    List<String> features = new ArrayList<>();
    transforms.keySet().forEach(t -> features.add(Normalisation.featureName(t)));

    List<Column> out = new ArrayList<>();
    for (String n :
        List.of(Cols.INDIVIDUAL, Cols.DECISION, Cols.CHOICE, Cols.SELECTED, Cols.SPLIT)) {
      out.add(col(n));
    }
    if (c.alternative() != null) {
      out.add(col(Cols.ALTERNATIVE));
    }
    for (String t : transforms.keySet()) {
      out.add(col("`" + t + "`"));
    }
    for (String f : features) {
      out.add(col("`" + f + "`"));
    }
    return new Output(
        numbered,
        kept.select(out.toArray(Column[]::new)),
        rejected,
        rejectedDecisions,
        normalisation,
        features,
        alternatives);
  }

  /**
   * A rejection's kind, for counting: the reason without the value and the row ("ic is not a
   * number").
   */
  public static Column reasonKind(Column reason) {
    return org.apache.spark.sql.functions.regexp_replace(
        org.apache.spark.sql.functions.regexp_replace(reason, " = '.*' is ", " is "),
        " \\(row \\d+\\)$",
        "");
  }

  private static Column text(String column) {
    Column t = trim(col("`" + column + "`").cast("string"));
    return when(t.equalTo("").or(lower(t).isin("na", "null", "nan")), lit(null).cast("string"))
        .otherwise(t);
  }

  /** The table with its 1-based row number in read order (file order for one file). */
  private static Dataset<Row> numbered(SparkSession spark, Dataset<Row> table) {
    StructType schema = table.schema().add(Cols.ROW, DataTypes.LongType, false);
    JavaRDD<Row> rows =
        table
            .javaRDD()
            .zipWithIndex()
            .map(
                t -> {
                  Object[] v = new Object[t._1().length() + 1];
                  for (int i = 0; i < t._1().length(); i++) {
                    v[i] = t._1().get(i);
                  }
                  v[v.length - 1] = t._2() + 1;
                  return RowFactory.create(v);
                });
    return spark.createDataFrame(rows, schema);
  }
}
