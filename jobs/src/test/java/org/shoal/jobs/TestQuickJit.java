package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.management.ObjectName;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shoal.jobs.config.SparkConfig;

class TestQuickJit {
  @Test
  void theDirectiveExcludingC2IsAddedToThisJvm() throws Exception {
    withAdded(
        QuickJit::c1Only,
        added -> {
          assertThat(added).contains("matching: *.*");
          String c1 =
              added.substring(added.indexOf("c1 directives"), added.indexOf("c2 directives"));
          String c2 = added.substring(added.indexOf("c2 directives"));
          assertThat(c1).contains("Exclude:false");
          assertThat(c2).contains("Exclude:true");
        });
  }

  @Test
  void planningCodeIsExcludedFromC2AndTheRowPathIsNot() throws Exception {
    withAdded(
        QuickJit::planningOnC1,
        added -> {
          for (String p : QuickJit.PLANNING) {
            assertThat(added).contains(p);
          }
          assertThat(added.substring(added.indexOf("c2 directives"))).contains("Exclude:true");
        });
    // Spark's generated row code, Parquet and the expressions evaluated per row stay with C2
    for (String rowPath :
        List.of(
            "org/apache/spark/sql/catalyst/expressions/",
            "org/apache/parquet/",
            "org/apache/spark/sql/execution/datasources/")) {
      assertThat(QuickJit.PLANNING).noneMatch(p -> rowPath.startsWith(p.replace("*.*", "")));
    }
  }

  @Test
  void aStageStartedOnC1StartsAgainWithBothCompilersUnlessItsInputsAreSmall() {
    long fourMb = 4L * 1024 * 1024;
    SparkConfig spark = new SparkConfig("local[2]", "shoal", Map.of(), 0, fourMb, true);
    assertThat(QuickJit.restartWithC2(spark, 1_000_000)).isFalse();
    assertThat(QuickJit.restartWithC2(spark, fourMb)).isFalse();
    assertThat(QuickJit.restartWithC2(spark, fourMb + 1)).isTrue();
    assertThat(QuickJit.restartWithC2(spark, 0)).as("no inputs: sized by its settings").isTrue();
    assertThat(QuickJit.restartWithC2(spark, -1)).as("inputs not listed").isTrue();
    SparkConfig off = new SparkConfig("local[2]", "shoal", Map.of(), 0, 0, true);
    assertThat(QuickJit.restartWithC2(off, 1_000)).as("quick-jit-mb = 0").isTrue();
  }

  /**
   * `shoal run` stays on C1 while its first stage's inputs are small (each later stage checks its
   * own as it starts, ITLauncher); a run that simulates first starts again at once.
   */
  @Test
  void aRunStartsOnC1OnlyWhenItsFirstStageReadsSmallInputs() {
    String tracks = org.shoal.pipeline.testing.TrackFixtures.path("gpe3-one-animal.csv");
    Map<String, String> own = Map.of("expand.tracks.path", tracks, "expand.tracks.format", "gpe3");
    assertThat(tooLargeForC1(own)).isNull();
    Map<String, String> tiny = new java.util.HashMap<>(own);
    tiny.put("spark.quick-jit-mb", "0.0001"); // 105 bytes; the file has 1 047
    assertThat(tooLargeForC1(tiny))
        .isEqualTo("stage expand, input 0.0 MB, above shoal.spark.quick-jit-mb");
    assertThat(tooLargeForC1(Map.of()))
        .as("the synthetic world")
        .isEqualTo("stage simulate, sized by its settings, not by inputs");
  }

  @Test
  void theLaunchTimeIsReadAsBashWritesIt() {
    assertThat(RunJob.launchedAt("1795930887.123456"))
        .isEqualTo(java.time.Instant.parse("2026-11-29T05:41:27.123456Z"));
    assertThat(RunJob.launchedAt("1795930887,5")) // a locale with a decimal comma
        .isEqualTo(java.time.Instant.parse("2026-11-29T05:41:27.500Z"));
    assertThat(RunJob.launchedAt("1795930887"))
        .isEqualTo(java.time.Instant.parse("2026-11-29T05:41:27Z"));
    assertThat(RunJob.launchedAt(null)).as("not started by bin/shoal").isNull();
    assertThat(RunJob.launchedAt("yesterday")).isNull();
  }

  private static String tooLargeForC1(Map<String, String> overrides) {
    var settings = org.shoal.jobs.config.ConfigLoader.settings(null, overrides);
    RunJob run = new RunJob();
    run.configure(settings);
    return run.tooLargeForC1(SparkConfig.from(settings));
  }

  @Test
  void localInputsCountTheBytesHadoopsListingCounts(@TempDir Path dir) throws Exception {
    Path table = Files.createDirectories(dir.resolve("table/split=train"));
    Files.write(table.resolve("part-0.parquet"), new byte[100]);
    Files.write(table.resolve(".part-0.parquet.crc"), new byte[10]);
    Files.write(dir.resolve("table/" + Stages.MARKER), new byte[20]);
    Files.write(dir.resolve("table/features.json"), new byte[7]);
    Path file = Files.write(dir.resolve("tracks.csv"), new byte[33]);
    List<String> inputs =
        List.of(dir.resolve("table").toString(), file.toString(), dir.resolve("none").toString());
    long hadoop =
        Stages.Listing.of(new Configuration(), new Stages.Stage("x", "out", inputs)).bytes();
    assertThat(hadoop).isEqualTo(100 + 7 + 33);
    long local = 0;
    for (String input : inputs) {
      local += Stages.bytes(input, new Configuration());
    }
    assertThat(local).isEqualTo(hadoop);
    assertThat(Stages.bytes("file://" + file, new Configuration())).isEqualTo(33);
  }

  /**
   * Adds a directive with {@code add}, checks the newest directive (HotSpot lists them newest
   * first, each with its options for C1, then for C2), then removes it: this JVM's directives are
   * as before.
   */
  private static void withAdded(BooleanSupplier add, Consumer<String> check) throws Exception {
    String before = directives();
    assertThat(add.getAsBoolean()).isTrue();
    try {
      check.accept(directives().split("Directive:")[1]);
    } finally {
      diagnostic("compilerDirectivesRemove"); // the newest directive: this test's
    }
    assertThat(directives()).isEqualTo(before);
  }

  private static String directives() throws Exception {
    return diagnostic("compilerDirectivesPrint");
  }

  private static String diagnostic(String command) throws Exception {
    return String.valueOf(
        ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                command,
                new Object[] {new String[0]},
                new String[] {String[].class.getName()}));
  }
}
