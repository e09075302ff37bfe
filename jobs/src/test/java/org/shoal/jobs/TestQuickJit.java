package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

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
