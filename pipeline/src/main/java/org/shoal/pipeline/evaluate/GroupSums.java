package org.shoal.pipeline.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.shoal.pipeline.schema.Cols;

/**
 * The first half of {@link DecisionTable#metrics}: per grouping set, group and individual, the
 * number of decisions in the set's subset and each model's sum of their log-likelihoods, summed as
 * a partition's decisions stream past. Spark's partial aggregation of the same keys spent most of
 * its time exploding each decision into one row per set and building its group's string; here the
 * group's string is built once per key. Sums are taken as Spark's {@code sum} takes them, from 0 in
 * row order, null when no row had a value, so merging partitions with {@code sum} gives the same
 * figures.
 *
 * <p>Input columns: the individual (a string), the grouping columns as strings (never null), then
 * per set its subset's flag and one log-likelihood per model. Output: {@link #SCHEMA} with one
 * {@code _s<j>} per model.
 */
final class GroupSums implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
  /** A grouping set: where its columns and values are, and what it is called. */
  record Set(
      String subset, String grouping, List<String> groupBy, int[] groupAt, int inAt, int[] llAt)
      implements java.io.Serializable {}

  private final List<Set> sets;
  private final int models;

  GroupSums(List<Set> sets, int models) {
    this.sets = List.copyOf(sets);
    this.models = models;
  }

  /** The output's schema for {@code models} models. */
  static StructType schema(int models) {
    StructType schema =
        new StructType()
            .add("subset", DataTypes.StringType, false)
            .add("grouping", DataTypes.StringType, false)
            .add("group", DataTypes.StringType, false)
            .add(Cols.INDIVIDUAL, DataTypes.StringType, true)
            .add("_n", DataTypes.LongType, false);
    for (int j = 0; j < models; j++) {
      schema = schema.add("_s" + j, DataTypes.DoubleType, true);
    }
    return schema;
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    List<Map<Key, Sums>> bySet = new ArrayList<>();
    sets.forEach(s -> bySet.add(new LinkedHashMap<>()));
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      UTF8String individual = row.isNullAt(0) ? null : row.getUTF8String(0);
      for (int s = 0; s < sets.size(); s++) {
        Set set = sets.get(s);
        UTF8String[] values = new UTF8String[set.groupAt().length];
        for (int i = 0; i < values.length; i++) {
          values[i] = row.getUTF8String(set.groupAt()[i]);
        }
        Key key = new Key(individual, values);
        Sums sums = bySet.get(s).get(key);
        if (sums == null) {
          sums = new Sums(models);
          bySet.get(s).put(key.copy(), sums);
        }
        sums.add(row, set);
      }
    }
    List<InternalRow> out = new ArrayList<>();
    for (int s = 0; s < sets.size(); s++) {
      Set set = sets.get(s);
      UTF8String subset = UTF8String.fromString(set.subset());
      UTF8String grouping = UTF8String.fromString(set.grouping());
      Map<List<UTF8String>, UTF8String> groups = new LinkedHashMap<>();
      for (Map.Entry<Key, Sums> e : bySet.get(s).entrySet()) {
        UTF8String group =
            groups.computeIfAbsent(
                Arrays.asList(e.getKey().values()), values -> group(set, values));
        Object[] cells = new Object[5 + models];
        cells[0] = subset;
        cells[1] = grouping;
        cells[2] = group;
        cells[3] = e.getKey().individual();
        cells[4] = e.getValue().n;
        for (int j = 0; j < models; j++) {
          cells[5 + j] = e.getValue().has[j] ? e.getValue().sums[j] : null;
        }
        out.add(new GenericInternalRow(cells));
      }
    }
    return out.iterator();
  }

  /** "column=value, column=value", or {@link DecisionTable#ALL} for a set without columns. */
  private static UTF8String group(Set set, List<UTF8String> values) {
    if (values.isEmpty()) {
      return UTF8String.fromString(DecisionTable.ALL);
    }
    StringBuilder group = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      group.append(i == 0 ? "" : ", ").append(set.groupBy().get(i)).append('=');
      group.append(values.get(i));
    }
    return UTF8String.fromString(group.toString());
  }

  /** An individual and its group's values, as the scan's reused row holds them until copied. */
  private record Key(UTF8String individual, UTF8String[] values) {
    Key copy() {
      UTF8String[] copied = new UTF8String[values.length];
      for (int i = 0; i < values.length; i++) {
        copied[i] = values[i].clone();
      }
      return new Key(individual == null ? null : individual.clone(), copied);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && java.util.Objects.equals(individual, k.individual)
          && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
      return 31 * java.util.Objects.hashCode(individual) + Arrays.hashCode(values);
    }
  }

  /** One key's count and sums. */
  private static final class Sums {
    private long n;
    private final double[] sums;
    private final boolean[] has;

    Sums(int models) {
      sums = new double[models];
      has = new boolean[models];
    }

    void add(InternalRow row, Set set) {
      if (!row.isNullAt(set.inAt()) && row.getBoolean(set.inAt())) {
        n++;
      }
      for (int j = 0; j < sums.length; j++) {
        int at = set.llAt()[j];
        if (!row.isNullAt(at)) {
          sums[j] += row.getDouble(at); // 0 + x is x: Spark's sum from null
          has[j] = true;
        }
      }
    }
  }
}
