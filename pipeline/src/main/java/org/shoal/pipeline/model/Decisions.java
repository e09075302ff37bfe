package org.shoal.pipeline.model;

import static org.apache.spark.sql.functions.col;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.shoal.pipeline.schema.Cols;
import org.shoal.pipeline.util.SparkOrder;

/**
 * Decisions in memory for training: each decision's choices as feature rows (compressed: {@code
 * start[d]} to {@code start[d+1]}) and the index of its selected choice. Works for any long-format
 * choice table with individual, decision, choice, selected and numeric feature columns.
 *
 * <p>{@link #pairwise} decisions are draws of contrast pairs ({@link #collectDraws}): each holds
 * the selected choice once and every alternative it was paired with, and stands for that many
 * pairs, trained with {@link PairwiseLoss}; a pair's selected choice is then not computed once per
 * pair. Batch sizes and losses count pairs.
 */
public final class Decisions implements java.io.Serializable {
  private final int features;
  private final int[] start;
  private final float[] x;
  private final int[] selected;
  private final int maxChoices;
  private final boolean pairwise;

  Decisions(int features, int[] start, float[] x, int[] selected) {
    this(features, start, x, selected, false);
  }

  Decisions(int features, int[] start, float[] x, int[] selected, boolean pairwise) {
    this.features = features;
    this.start = start;
    this.x = x;
    this.selected = selected;
    this.pairwise = pairwise;
    int max = 0;
    for (int d = 0; d < selected.length; d++) {
      max = Math.max(max, start[d + 1] - start[d]);
    }
    this.maxChoices = max;
  }

  public int size() {
    return selected.length;
  }

  public int features() {
    return features;
  }

  public int maxChoices() {
    return maxChoices;
  }

  public int choices(int d) {
    return start[d + 1] - start[d];
  }

  public int selected(int d) {
    return selected[d];
  }

  public float feature(int d, int choice, int f) {
    return x[(start[d] + choice) * features + f];
  }

  public long choiceRows() {
    return start[selected.length];
  }

  /** Whether these are draws of contrast pairs (see the class comment). */
  public boolean pairwise() {
    return pairwise;
  }

  /** The decisions these stand for: the pairs of pairwise draws, else one each. */
  public long pairsOrDecisions() {
    return pairwise ? choiceRows() - size() : size();
  }

  /**
   * How many of these make a minibatch of {@code batchSize} decisions, a pair counting as one: a
   * draw of A pairs counts A (on average).
   */
  int perBatch(int batchSize) {
    if (!pairwise || size() == 0) {
      return batchSize;
    }
    return (int) Math.max(1, Math.round((double) batchSize * size() / pairsOrDecisions()));
  }

  /**
   * These decisions with only the features {@code wanted}, in that order; {@code held} names the
   * features they hold, in order. Wanting exactly {@code held} returns them as they are.
   */
  public Decisions select(List<String> held, List<String> wanted) {
    if (held.size() != features) {
      throw new IllegalArgumentException(
          "these decisions hold " + features + " features, not the " + held.size() + " " + held);
    }
    if (wanted.equals(held)) {
      return this;
    }
    int[] index = new int[wanted.size()];
    for (int f = 0; f < index.length; f++) {
      index[f] = held.indexOf(wanted.get(f));
      if (index[f] < 0) {
        throw new IllegalArgumentException(
            "feature '" + wanted.get(f) + "' is not among the collected " + held);
      }
    }
    int rows = start[selected.length];
    float[] out = new float[rows * index.length];
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < index.length; f++) {
        out[r * index.length + f] = x[r * features + index[f]];
      }
    }
    return new Decisions(index.length, start, out, selected, pairwise);
  }

  /**
   * The features whose mean or standard deviation over every choice row exceeds {@code limit} in
   * absolute value, each as "name (mean m, sd s)", in feature order; {@code names} names the
   * features. A network starts far from any optimum on such features (Xavier initialisation assumes
   * inputs of about unit scale) and learns them slowly.
   */
  public List<String> farFromUnitScale(List<String> names, double limit) {
    int rows = (int) choiceRows();
    // two passes in the array's row-major order, every feature at once
    double[] mean = new double[features];
    double[] squares = new double[features];
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < features; f++) {
        mean[f] += x[r * features + f];
      }
    }
    for (int f = 0; f < features; f++) {
      mean[f] /= Math.max(1, rows);
    }
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < features; f++) {
        double d = x[r * features + f] - mean[f];
        squares[f] += d * d;
      }
    }
    List<String> far = new ArrayList<>();
    for (int f = 0; f < features && rows > 0; f++) {
      double sd = Math.sqrt(squares[f] / rows);
      if (Math.abs(mean[f]) > limit || sd > limit) {
        far.add(
            String.format(
                java.util.Locale.ROOT, "%s (mean %.3g, sd %.3g)", names.get(f), mean[f], sd));
      }
    }
    return far;
  }

  /**
   * At most {@code n} of these decisions, evenly spaced through them in their order (decision
   * {@code floor(i * size / n)} for i below n); all of them, as they are, when there are no more.
   */
  public Decisions spaced(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a sample needs at least one decision, got " + n);
    }
    if (n >= size()) {
      return this;
    }
    int[] picked = new int[n];
    int rows = 0;
    for (int i = 0; i < n; i++) {
      picked[i] = (int) ((long) i * size() / n);
      rows += choices(picked[i]);
    }
    int[] sampleStart = new int[n + 1];
    int[] sampleSelected = new int[n];
    float[] sampleX = new float[rows * features];
    for (int i = 0; i < n; i++) {
      int d = picked[i];
      sampleStart[i + 1] = sampleStart[i] + choices(d);
      sampleSelected[i] = selected[d];
      System.arraycopy(
          x, start[d] * features, sampleX, sampleStart[i] * features, choices(d) * features);
    }
    return new Decisions(features, sampleStart, sampleX, sampleSelected, pairwise);
  }

  /**
   * At most {@code n} of the pairs these pairwise draws stand for, evenly spaced through them in
   * their order (pair {@code floor(i * pairs / n)}), as draws: the picked alternatives of a draw
   * with its selected choice. The same pairs {@link #spaced} picks from the pairs as decisions; a
   * sample of whole draws would hold fewer draws, and its loss vary more, since a draw's pairs
   * share their selected choice.
   */
  public Decisions spacedPairs(long n) {
    if (!pairwise) {
      throw new IllegalStateException("these are decisions, not pairwise draws");
    }
    long pairs = pairsOrDecisions();
    if (n < 1) {
      throw new IllegalArgumentException("a sample needs at least one pair, got " + n);
    }
    if (n >= pairs) {
      return this;
    }
    List<Integer> starts = new ArrayList<>(List.of(0));
    List<Integer> sampleSelected = new ArrayList<>();
    // n alternatives and at most one selected choice per alternative
    float[] sampleX = new float[(int) Math.min(2 * n, choiceRows()) * features];
    int rows = 0;
    int d = 0;
    long before = 0; // pairs in the draws before d
    int lastDraw = -1;
    for (long i = 0; i < n; i++) {
      long p = i * pairs / n;
      while (p >= before + choices(d) - 1) {
        before += choices(d) - 1;
        d++;
      }
      if (d != lastDraw && lastDraw >= 0) {
        rows = closeSampledDraw(lastDraw, sampleX, rows, starts, sampleSelected);
      }
      lastDraw = d;
      int slot = (int) (p - before);
      int row = slot < selected[d] ? slot : slot + 1; // the slot-th row that is not the selected
      System.arraycopy(x, (start[d] + row) * features, sampleX, rows * features, features);
      rows++;
    }
    rows = closeSampledDraw(lastDraw, sampleX, rows, starts, sampleSelected);
    return draws(features, starts, sampleX, rows, sampleSelected);
  }

  /**
   * Pairwise draws from lists: {@code rows} rows of {@code x}, each draw's first row and selected.
   */
  private static Decisions draws(
      int features, List<Integer> starts, float[] x, int rows, List<Integer> selected) {
    return new Decisions(
        features,
        starts.stream().mapToInt(Integer::intValue).toArray(),
        Arrays.copyOf(x, rows * features),
        selected.stream().mapToInt(Integer::intValue).toArray(),
        true);
  }

  /** Ends a sampled draw with draw d's selected choice; the rows written so far. */
  private int closeSampledDraw(
      int d, float[] sampleX, int rows, List<Integer> starts, List<Integer> sampleSelected) {
    System.arraycopy(x, (start[d] + selected[d]) * features, sampleX, rows * features, features);
    sampleSelected.add(rows - starts.get(starts.size() - 1));
    starts.add(rows + 1);
    return rows + 1;
  }

  /**
   * Collects {@code table} in (individual, decision, choice) order. Every decision must have
   * exactly one selected choice and no missing feature; the error names the first that does not.
   */
  public static Decisions collect(Dataset<Row> table, List<String> featureColumns) {
    return collect(table, featureColumns, false);
  }

  /**
   * Collects a table of contrast pairs (shoal contrasts' {@code pairs} mode: two choices per
   * decision, the selected one repeated in every pair of its {@code draw}) as {@link #pairwise}
   * draws. Every pair must have one selected and one unselected choice, and the pairs of a draw the
   * same selected features; the error names the first that does not.
   */
  public static Decisions collectDraws(Dataset<Row> table, List<String> featureColumns) {
    return collect(table, featureColumns, true);
  }

  private static Decisions collect(Dataset<Row> table, List<String> featureColumns, boolean draws) {
    List<String> names = List.copyOf(featureColumns);
    String group = draws ? Cols.DRAW : Cols.DECISION;
    // Range-partitioned by decision or draw (never straddling two partitions) and built on the
    // executors, partition by partition in key order: the driver only concatenates float arrays.
    try {
      List<Decisions> parts =
          table
              .repartitionByRange(col(Cols.INDIVIDUAL), col(group))
              .sortWithinPartitions(Cols.INDIVIDUAL, group, Cols.DECISION, Cols.CHOICE)
              .select(draws ? drawColumns(names) : columns(names))
              .javaRDD()
              .mapPartitions(
                  (Iterator<Row> rows) ->
                      List.of(draws ? buildDraws(rows, names) : build(rows, names)).iterator())
              .collect();
      return concat(names.size(), parts, draws);
    } catch (Exception e) {
      throw badDecision(e);
    }
  }

  /**
   * {@link #collect(Dataset, List)} ({@code draws}: {@link #collectDraws}) without a shuffle, for a
   * table whose partitions each hold whole individuals sorted by individual and decision, as a
   * choice table shoal wrote does when read one whole file per partition: each partition builds its
   * individuals one by one and the driver puts them in key order, so the result equals {@code
   * collect}'s. Null when the table was not so (an individual in two partitions, or its decisions
   * out of order): collect it with the shuffle then.
   */
  public static Decisions collectSorted(
      Dataset<Row> table, List<String> featureColumns, boolean draws) {
    List<String> names = List.copyOf(featureColumns);
    try {
      List<Individual> parts =
          table
              .select(draws ? drawColumns(names) : columns(names))
              .javaRDD()
              .mapPartitions((Iterator<Row> rows) -> byIndividual(rows, names, draws))
              .collect();
      Map<String, Decisions> ordered = new TreeMap<>(SparkOrder::compare);
      for (Individual p : parts) {
        if (p.decisions() == null || ordered.put(p.id(), p.decisions()) != null) {
          return null;
        }
      }
      return concat(names.size(), new ArrayList<>(ordered.values()), draws);
    } catch (Exception e) {
      throw badDecision(e);
    }
  }

  /** One individual's decisions; null decisions: the partition's rows were out of order. */
  private record Individual(String id, Decisions decisions) implements java.io.Serializable {}

  /**
   * A partition's rows, individual by individual, each built as {@link #build} or {@link
   * #buildDraws} would; a single {@link Individual} without decisions when the rows are not grouped
   * by individual with their decisions (and draws) in increasing order.
   */
  private static Iterator<Individual> byIndividual(
      Iterator<Row> rows, List<String> names, boolean draws) {
    List<Individual> out = new ArrayList<>();
    List<Row> mine = new ArrayList<>();
    int decision = draws ? 3 + names.size() : 1;
    Row previous = null;
    while (rows.hasNext()) {
      Row r = rows.next();
      if (r.isNullAt(0) || r.isNullAt(1) || r.isNullAt(decision)) {
        return List.of(new Individual(null, null)).iterator();
      }
      if (previous != null && !r.getString(0).equals(previous.getString(0))) {
        out.add(built(mine, names, draws));
        mine.clear();
      } else if (previous != null
          && (SparkOrder.compare(r.get(1), previous.get(1)) < 0
              || SparkOrder.compare(r.get(decision), previous.get(decision)) < 0)) {
        return List.of(new Individual(null, null)).iterator();
      }
      mine.add(r);
      previous = r;
    }
    if (!mine.isEmpty()) {
      out.add(built(mine, names, draws));
    }
    return out.iterator();
  }

  /**
   * An individual's rows built, or without decisions when they do not build: part of a decision may
   * be in another partition, and collecting with the shuffle names a decision that is truly bad.
   */
  private static Individual built(List<Row> rows, List<String> names, boolean draws) {
    try {
      return new Individual(
          rows.get(0).getString(0),
          draws ? buildDraws(rows.iterator(), names) : build(rows.iterator(), names));
    } catch (IllegalArgumentException incomplete) {
      return new Individual(null, null);
    }
  }

  /** A bad decision fails its task: its sentence, not Spark's stage failure, is the message. */
  private static RuntimeException badDecision(Exception e) {
    for (Throwable c = e; c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof IllegalArgumentException bad) {
        return new IllegalArgumentException(bad.getMessage(), e);
      }
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }

  /** Decisions one after the other, in the list's order. */
  static Decisions concat(int features, List<Decisions> parts, boolean pairwise) {
    int decisions = 0;
    long rows = 0;
    for (Decisions p : parts) {
      decisions += p.size();
      rows += p.choiceRows();
    }
    if (rows * features > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          rows
              + " choice rows of "
              + features
              + " features do not fit one array in this JVM; train with mode = spark");
    }
    int[] start = new int[decisions + 1];
    int[] selected = new int[decisions];
    float[] x = new float[(int) (rows * features)];
    int d = 0;
    int row = 0;
    for (Decisions p : parts) {
      for (int i = 0; i < p.size(); i++) {
        start[d + i] = row + p.start[i];
      }
      System.arraycopy(p.selected, 0, selected, d, p.size());
      System.arraycopy(p.x, 0, x, row * features, (int) p.choiceRows() * features);
      d += p.size();
      row += (int) p.choiceRows();
    }
    start[decisions] = row;
    return new Decisions(features, start, x, selected, pairwise);
  }

  /** The columns {@link #build} reads, in its order. */
  public static Column[] columns(List<String> featureColumns) {
    return keyedColumns(Cols.DECISION, featureColumns).toArray(Column[]::new);
  }

  /** individual, {@code key}, selected, then the features as floats. */
  private static List<Column> keyedColumns(String key, List<String> featureColumns) {
    List<Column> cols =
        new ArrayList<>(List.of(col(Cols.INDIVIDUAL), col(key), col(Cols.SELECTED)));
    for (String f : featureColumns) {
      cols.add(col("`" + f + "`").cast("float"));
    }
    return cols;
  }

  /**
   * From rows of (individual, decision, selected, features...) in (individual, decision, choice)
   * order.
   */
  public static Decisions build(Iterator<Row> rows, List<String> featureColumns) {
    int nf = featureColumns.size();
    List<Integer> starts = new ArrayList<>();
    List<Integer> sel = new ArrayList<>();
    float[] x = new float[1024 * Math.max(1, nf)];
    int n = 0;
    String individual = null;
    Object decision = null;
    int selectedHere = -1;
    int choiceHere = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      String ind = r.getString(0);
      Object dec = r.get(1);
      if (!ind.equals(individual) || !dec.equals(decision)) {
        if (individual != null) {
          close(individual, decision, selectedHere, sel);
        }
        individual = ind;
        decision = dec;
        selectedHere = -1;
        choiceHere = 0;
        starts.add(n);
      }
      if (r.getBoolean(2)) {
        if (selectedHere >= 0) {
          throw new IllegalArgumentException(
              "decision " + dec + " of individual '" + ind + "' has more than one selected choice");
        }
        selectedHere = choiceHere;
      }
      if ((n + 1) * nf > x.length) {
        x = Arrays.copyOf(x, x.length * 2);
      }
      for (int f = 0; f < nf; f++) {
        if (r.isNullAt(3 + f)) {
          throw missingFeature(featureColumns.get(f), dec, ind);
        }
        x[n * nf + f] = r.getFloat(3 + f);
      }
      n++;
      choiceHere++;
    }
    if (individual != null) {
      close(individual, decision, selectedHere, sel);
    }
    starts.add(n);
    return new Decisions(
        nf,
        starts.stream().mapToInt(Integer::intValue).toArray(),
        Arrays.copyOf(x, n * nf),
        sel.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The columns {@link #buildDraws} reads, in its order. */
  public static Column[] drawColumns(List<String> featureColumns) {
    List<Column> cols = keyedColumns(Cols.DRAW, featureColumns);
    cols.add(col(Cols.DECISION));
    return cols.toArray(Column[]::new);
  }

  /**
   * Pairwise draws from rows of (individual, draw, selected, features..., decision) in (individual,
   * draw, decision) order: each draw's alternatives in order, then its selected choice.
   */
  public static Decisions buildDraws(Iterator<Row> rows, List<String> featureColumns) {
    DrawBuilder b = new DrawBuilder(featureColumns);
    rows.forEachRemaining(b::add);
    return b.finish();
  }

  /** {@link #buildDraws}, row by row. */
  private static final class DrawBuilder {
    private final List<String> names;
    private final int nf;
    private final List<Integer> starts = new ArrayList<>();
    private final List<Integer> sel = new ArrayList<>();
    private final float[] row;
    private final float[] chosen;
    private float[] x;
    private int n;
    private String individual;
    private Object draw;
    private Object pair;
    private Object chosenIn;
    private int pairRows;
    private int pairSelected;
    private int alternatives;

    DrawBuilder(List<String> names) {
      this.names = names;
      this.nf = names.size();
      this.row = new float[nf];
      this.chosen = new float[nf];
      this.x = new float[1024 * Math.max(1, nf)];
    }

    void add(Row r) {
      String ind = r.getString(0);
      Object drw = r.get(1);
      Object dec = r.get(3 + nf);
      if (!ind.equals(individual) || !drw.equals(draw)) {
        closeDraw();
        individual = ind;
        draw = drw;
        chosenIn = null;
        alternatives = 0;
        starts.add(n);
      }
      if (!dec.equals(pair)) {
        closePair();
        pair = dec;
        pairRows = 0;
        pairSelected = 0;
      }
      pairRows++;
      for (int f = 0; f < nf; f++) {
        if (r.isNullAt(3 + f)) {
          throw missingFeature(names.get(f), dec, ind);
        }
        row[f] = r.getFloat(3 + f);
      }
      if (!r.getBoolean(2)) {
        append(row);
        alternatives++;
        return;
      }
      if (++pairSelected > 1) {
        throw badPair();
      }
      if (chosenIn == null) {
        System.arraycopy(row, 0, chosen, 0, nf);
        chosenIn = dec;
      } else if (!Arrays.equals(row, chosen)) {
        throw new IllegalArgumentException(
            "pairs "
                + chosenIn
                + " and "
                + dec
                + " of individual '"
                + ind
                + "' are in draw "
                + drw
                + " but their selected choices differ; a draw's pairs share one selected choice");
      }
    }

    private void append(float[] values) {
      if ((n + 1) * nf > x.length) {
        x = Arrays.copyOf(x, Math.max(x.length * 2, (n + 1) * nf));
      }
      System.arraycopy(values, 0, x, n * nf, nf);
      n++;
    }

    private void closePair() {
      if (pair != null && (pairRows != 2 || pairSelected != 1)) {
        throw badPair();
      }
    }

    private IllegalArgumentException badPair() {
      return new IllegalArgumentException(
          "pair "
              + pair
              + " of individual '"
              + individual
              + "' has "
              + pairRows
              + " choice(s), "
              + pairSelected
              + " selected; a contrast pair has one selected and one unselected choice");
    }

    private void closeDraw() {
      closePair();
      pair = null;
      if (individual == null) {
        return;
      }
      append(chosen); // every pair was checked to have one selected choice
      sel.add(alternatives);
    }

    Decisions finish() {
      closeDraw();
      starts.add(n);
      return draws(nf, starts, x, n, sel);
    }
  }

  /** A missing feature value's sentence (the windows' path states it as a Column). */
  static IllegalArgumentException missingFeature(
      String feature, Object decision, Object individual) {
    return new IllegalArgumentException(
        "feature '"
            + feature
            + "' is missing in decision "
            + decision
            + " of individual '"
            + individual
            + "'");
  }

  private static void close(String individual, Object decision, int selected, List<Integer> sel) {
    if (selected < 0) {
      throw new IllegalArgumentException(
          "decision " + decision + " of individual '" + individual + "' has no selected choice");
    }
    sel.add(selected);
  }

  /**
   * Decisions {@code order[from..to)} as features [B, F, M], mask [B, M] and one-hot labels [B, M],
   * M the largest choice count among them; for pairwise draws the labels of padded slots are −1
   * ({@link PairwiseLoss}).
   */
  public DataSet batch(int[] order, int from, int to, DataType dataType) {
    int b = to - from;
    int m = 0;
    for (int i = from; i < to; i++) {
      m = Math.max(m, choices(order[i]));
    }
    float[] fx = new float[b * features * m];
    float[] fm = new float[b * m];
    float[] fy = new float[b * m];
    if (pairwise) {
      Arrays.fill(fy, -1f);
    }
    for (int i = 0; i < b; i++) {
      int d = order[from + i];
      int n = choices(d);
      int row = start[d] * features;
      // feature-major, as the array is laid out: the writes run in order
      for (int f = 0; f < features; f++) {
        int out = (i * features + f) * m;
        for (int j = 0; j < n; j++) {
          fx[out + j] = x[row + j * features + f];
        }
      }
      Arrays.fill(fm, i * m, i * m + n, 1f);
      Arrays.fill(fy, i * m, i * m + n, 0f);
      fy[i * m + selected[d]] = 1f;
    }
    INDArray xs = floats(fx, b, features, m).castTo(dataType);
    INDArray mask = floats(fm, b, m).castTo(dataType);
    INDArray ys = floats(fy, b, m).castTo(dataType);
    return new DataSet(xs, ys, mask, null);
  }

  /**
   * {@code values} as a C-ordered float array of {@code shape}, copied in bulk: ND4J's {@code
   * create(float[])} copies element by element, which took as long as building the batch.
   */
  static INDArray floats(float[] values, long... shape) {
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    out.data().asNioFloat().put(values);
    return out;
  }

  /**
   * Minibatches of {@code batchSize} decisions (a pair counting as one) in a seeded random order
   * (or in order when {@code shuffleSeed} is null), each built when it is read.
   */
  public List<DataSet> batches(int batchSize, Long shuffleSeed, DataType dataType) {
    int[] order = identity(size());
    if (shuffleSeed != null) {
      shuffle(order, new Random(shuffleSeed));
    }
    return inBatches(order, perBatch(batchSize), null, dataType);
  }

  /**
   * Minibatches of decisions with similar choice counts, so each is padded only to its own largest
   * decision: padded choices are network work for nothing (the mean decision often has two thirds
   * of the largest one's choices). The decisions are shuffled, stably sorted by choice count, cut
   * into batches, and the batches shuffled; with a null seed, sorted and cut only (for scoring
   * passes, where order does not matter). Each batch is built when it is read, so going through an
   * epoch holds one batch at a time besides the decisions; copy the list to keep them.
   */
  public List<DataSet> bucketedBatches(int batchSize, Long shuffleSeed, DataType dataType) {
    Random rng = shuffleSeed == null ? null : new Random(shuffleSeed);
    int[] shuffled = identity(size());
    if (rng != null) {
      shuffle(shuffled, rng);
    }
    int[] order =
        Arrays.stream(shuffled)
            .boxed()
            .sorted(Comparator.comparingInt(this::choices))
            .mapToInt(Integer::intValue)
            .toArray();
    return inBatches(order, perBatch(batchSize), rng, dataType);
  }

  /**
   * Decisions {@code order} cut into batches of {@code batchSize}, the batches in random order with
   * {@code rng} (in order without), each built when it is read.
   */
  private List<DataSet> inBatches(int[] order, int batchSize, Random rng, DataType dataType) {
    List<Integer> starts = new ArrayList<>();
    for (int from = 0; from < order.length; from += batchSize) {
      starts.add(from);
    }
    if (rng != null) {
      Collections.shuffle(starts, rng);
    }
    return new AbstractList<>() {
      @Override
      public DataSet get(int i) {
        int from = starts.get(i);
        return batch(order, from, Math.min(order.length, from + batchSize), dataType);
      }

      @Override
      public int size() {
        return starts.size();
      }
    };
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  private static void shuffle(int[] order, Random rng) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
