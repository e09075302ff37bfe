package org.shoal.jobs;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.ObjectName;
import org.shoal.jobs.config.SparkConfig;

/**
 * The JIT's choice for a short run. On a small input a stage lasts seconds, and HotSpot's
 * optimising compiler (C2) spends them compiling Spark's code for a speed the run never uses: on 2
 * cores it took half the CPU of a 2 300-fix expand. A compiler directive excludes C2, so methods
 * stay with C1 at its full optimisation (HotSpot's tier 1). Only for a JVM that runs that one stage
 * and exits: code C1 compiled this way is never recompiled, which a later large stage would pay
 * for.
 */
final class QuickJit {
  private static final String EVERYTHING = "[{ match: \"*.*\", c2: { Exclude: true } }]";

  /**
   * Code that runs per query or per task, never per row: Spark's analyser, optimiser and planner,
   * Janino compiling the generated code, ASM reading closures, Java serialization of tasks, class
   * loading. C2 compiled them in every run (about a third of a cold expand's compile time) though
   * each query runs them briefly; C1 runs them fast enough.
   */
  static final List<String> PLANNING =
      List.of(
          "org/apache/spark/sql/catalyst/analysis/*.*",
          "org/apache/spark/sql/catalyst/optimizer/*.*",
          "org/apache/spark/sql/catalyst/trees/*.*",
          "org/apache/spark/sql/catalyst/rules/*.*",
          "org/apache/spark/sql/catalyst/plans/*.*",
          "org/apache/spark/sql/execution/adaptive/*.*",
          "org/codehaus/*.*",
          "org/apache/xbean/*.*",
          "org/apache/spark/util/ClosureCleaner*.*",
          "java/io/Object*.*",
          "jdk/internal/loader/*.*",
          "java/lang/ClassLoader.*",
          "jdk/internal/org/objectweb/*.*",
          "java/lang/invoke/*.*");

  /**
   * Set by bin/shoal when it started a stage or a run with C1 only ({@code
   * -XX:TieredStopAtLevel=1}): such a JVM compiles Spark once, straight to C1's full optimisation,
   * where the directive of {@link #c1Only} comes only after Spark's code has been compiled with
   * profiling for C2. A stage whose inputs are too large for C1 exits with {@link
   * Shoal#EXIT_RESTART_WITH_C2} before Spark starts, and bin/shoal starts it again with both
   * compilers.
   */
  static final String STARTED_ON_C1 = "SHOAL_STARTED_ON_C1";

  private QuickJit() {}

  /** Whether bin/shoal started this JVM with C1 only ({@link #STARTED_ON_C1}). */
  static boolean startedOnC1() {
    return "1".equals(System.getenv(STARTED_ON_C1));
  }

  /**
   * Whether a stage started on C1 only must start again with both compilers: its inputs ({@code
   * inputBytes}, negative when they could not be listed) are not small enough for C1 ({@link
   * SparkConfig#quickJit}).
   */
  static boolean restartWithC2(SparkConfig spark, long inputBytes) {
    return !spark.quickJit(inputBytes); // which holds only for some bytes, never for -1
  }

  /**
   * Why a stage reading {@code inputBytes} (negative when they could not be listed) must not run on
   * C1 only ({@link #restartWithC2}), in words; null when it may.
   */
  static String tooLarge(SparkConfig spark, long inputBytes) {
    if (!restartWithC2(spark, inputBytes)) {
      return null;
    }
    return inputBytes < 0
        ? "inputs not listed before Spark starts"
        : inputBytes == 0
            ? "no input bytes to size the stage by"
            : String.format(
                java.util.Locale.ROOT,
                "input %.1f MB, above shoal.spark.quick-jit-mb",
                inputBytes / 1048576.0);
  }

  /** Adds the directive excluding C2 everywhere; false (and nothing changed) when it cannot. */
  static boolean c1Only() {
    return add(EVERYTHING);
  }

  /** Adds the directive excluding C2 from {@link #PLANNING}; false when it cannot. */
  static boolean planningOnC1() {
    return add(
        PLANNING.stream()
            .map(p -> "\"" + p + "\"")
            .collect(Collectors.joining(", ", "[{ match: [", "], c2: { Exclude: true } }]")));
  }

  /** Adds one directive to this JVM; false (and nothing changed) when this JVM offers no way to. */
  private static boolean add(String directive) {
    try {
      Path file = Files.createTempFile("shoal-jit", ".json");
      try {
        Files.writeString(file, directive, StandardCharsets.UTF_8);
        Object added =
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesAdd",
                    new Object[] {new String[] {file.toString()}},
                    new String[] {String[].class.getName()});
        return added != null && String.valueOf(added).contains("1 compiler directives added");
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException | JMException | RuntimeException e) {
      return false;
    }
  }
}
