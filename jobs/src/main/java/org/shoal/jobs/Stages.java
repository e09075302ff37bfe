package org.shoal.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

/**
 * Stage fingerprints for incremental runs. A stage's fingerprint hashes its own configuration
 * subtree and the listing (path, size, modification time) of every input it reads, upstream outputs
 * included. The marker {@code _shoal_stage.json} is written last into the stage's output folder and
 * removed before the stage starts, so a stage killed half-way never looks finished.
 */
final class Stages {
  static final String MARKER = "_shoal_stage.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Stages() {}

  /**
   * What a stage is to its bookkeeping: its name (its config subtree is shoal.<name>), output and
   * inputs.
   */
  record Stage(String name, String output, List<String> inputs) {}

  /**
   * A stage's inputs as found on the file system, listed once: per input, its files ({@link
   * #listing}). Both the fingerprint and the input size are read from it.
   */
  record Listing(Map<String, Map<String, FileState>> byInput) {
    static Listing of(SparkSession spark, Stage stage) throws IOException {
      return of(spark.sparkContext().hadoopConfiguration(), stage);
    }

    /** The same listing before any SparkSession exists, through {@code hadoop}'s file systems. */
    static Listing of(Configuration hadoop, Stage stage) throws IOException {
      Map<String, Map<String, FileState>> byInput = new java.util.LinkedHashMap<>();
      for (String input : stage.inputs()) {
        byInput.put(input, listing(hadoop, input));
      }
      return new Listing(byInput);
    }

    /** The total size of the listed files in bytes (missing inputs count 0). */
    long bytes() {
      return byInput.values().stream()
          .flatMap(files -> files.values().stream())
          .mapToLong(FileState::size)
          .sum();
    }
  }

  /** A listed file's size and modification time, written "size mtime" in fingerprints. */
  record FileState(long size, long modified) {
    /** What a missing input lists as (written as nothing). */
    static final FileState MISSING = new FileState(0, -1);

    @Override
    public String toString() {
      return this == MISSING ? "" : size + " " + modified;
    }
  }

  static String fingerprint(Config config, Stage stage, Listing inputs) {
    // The shoal version too: a new release reruns every stage (snapshot builds share one version:
    // use --force).
    StringBuilder b =
        new StringBuilder(stage.name()).append(' ').append(Version.current()).append('\n');
    b.append(resolved(config, stage)).append('\n');
    for (Map.Entry<String, Map<String, FileState>> input : inputs.byInput().entrySet()) {
      b.append(input.getKey()).append('\n');
      for (Map.Entry<String, FileState> f : input.getValue().entrySet()) {
        b.append("  ").append(f.getKey()).append(' ').append(f.getValue()).append('\n');
      }
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every data file under {@code path} (or the file itself), by relative name. */
  static Map<String, FileState> listing(SparkSession spark, String path) throws IOException {
    return listing(spark.sparkContext().hadoopConfiguration(), path);
  }

  private static Map<String, FileState> listing(Configuration hadoop, String path)
      throws IOException {
    Map<String, FileState> out = new TreeMap<>();
    Path root = new Path(path);
    FileSystem fs = root.getFileSystem(hadoop);
    if (!fs.exists(root)) {
      out.put("(missing)", FileState.MISSING);
      return out;
    }
    FileStatus top = fs.getFileStatus(root);
    if (top.isFile()) {
      out.put(root.getName(), new FileState(top.getLen(), top.getModificationTime()));
      return out;
    }
    String prefix = fs.makeQualified(root).toString();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
    while (files.hasNext()) {
      LocatedFileStatus f = files.next();
      if (!isData(f.getPath().getName())) {
        continue;
      }
      out.put(
          f.getPath().toString().substring(prefix.length()),
          new FileState(f.getLen(), f.getModificationTime()));
    }
    return out;
  }

  /** Whether a listed file is data: not hidden (Hadoop's checksums) and not the stage marker. */
  private static boolean isData(String name) {
    return !name.startsWith(".") && !name.equals(MARKER);
  }

  /**
   * The bytes {@link #listing} counts under {@code path}, local paths read through java.nio
   * (starting Hadoop's file systems takes about a second before Spark starts), others through
   * {@code hadoop}.
   */
  static long bytes(String path, Configuration hadoop) throws IOException {
    java.net.URI uri = new Path(path).toUri();
    if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
      return listing(hadoop, path).values().stream().mapToLong(FileState::size).sum();
    }
    java.nio.file.Path local = java.nio.file.Path.of(uri.getPath());
    if (!java.nio.file.Files.exists(local)) {
      return 0;
    }
    if (java.nio.file.Files.isRegularFile(local)) {
      return java.nio.file.Files.size(local);
    }
    try (var files = java.nio.file.Files.walk(local)) {
      long bytes = 0;
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
        if (java.nio.file.Files.isRegularFile(f) && isData(f.getFileName().toString())) {
          bytes += java.nio.file.Files.size(f);
        }
      }
      return bytes;
    }
  }

  /** The stage's resolved configuration (its shoal.<name> subtree), as JSON. */
  private static String resolved(Config config, Stage stage) {
    return config.getConfig("shoal." + stage.name()).root().render(ConfigRenderOptions.concise());
  }

  /** The marker ({@link Marker}) of the stage's last completed run, or null. */
  static JsonNode marker(SparkSession spark, Stage stage) throws IOException {
    Path marker = new Path(stage.output(), MARKER);
    FileSystem fs = marker.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(marker)) {
      return null;
    }
    return JSON.readTree(Inputs.text(spark, marker.toString(), "stage marker"));
  }

  static void forget(SparkSession spark, Stage stage) throws IOException {
    Path marker = new Path(stage.output(), MARKER);
    marker.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(marker, false);
  }

  /** A finished stage's marker: what ran, on which inputs, with which configuration, when. */
  record Marker(
      String stage,
      String fingerprint,
      List<String> inputs,
      JsonNode config,
      double seconds,
      double inputMb,
      double peakHeapMb,
      double peakLiveHeapMb,
      String finished) {}

  /**
   * What a stage cost: wall seconds, the size of what it read, and the most heap in use while it
   * ran (garbage not yet collected included).
   */
  record Measures(double seconds, double inputMb, double peakHeapMb, double peakLiveHeapMb) {
    static Measures of(long startNanos, long inputBytes) {
      return new Measures(
          (System.nanoTime() - startNanos) / 1e9,
          inputBytes / 1048576.0,
          HeapWatch.peakMb(),
          HeapWatch.peakLiveMb());
    }
  }

  /**
   * Marks the stage finished: its fingerprint, inputs, time and resolved configuration (every key
   * it ran with, defaults included) in {@link #MARKER}.
   */
  static void record(
      SparkSession spark, Config config, Stage stage, String fingerprint, Measures measures)
      throws IOException {
    Marker marker =
        new Marker(
            stage.name(),
            fingerprint,
            List.copyOf(stage.inputs()),
            JSON.readTree(resolved(config, stage)),
            measures.seconds(),
            measures.inputMb(),
            measures.peakHeapMb(),
            measures.peakLiveHeapMb(),
            java.time.Instant.now().toString());
    Outputs.json(spark, marker, stage.output() + "/" + MARKER);
  }
}
