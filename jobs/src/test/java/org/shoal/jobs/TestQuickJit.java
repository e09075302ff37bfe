package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class TestQuickJit {
  @Test
  void theDirectiveExcludingC2IsAddedToThisJvm() throws Exception {
    assertThat(directives()).doesNotContain("Exclude:true");
    assertThat(QuickJit.c1Only()).isTrue();
    try {
      // HotSpot lists the directives, newest first, each with its options for C1, then for C2
      String added = directives().split("Directive: \\(default\\)")[0];
      assertThat(added).contains("matching: *.*");
      String c1 = added.substring(added.indexOf("c1 directives"), added.indexOf("c2 directives"));
      String c2 = added.substring(added.indexOf("c2 directives"));
      assertThat(c1).contains("Exclude:false");
      assertThat(c2).contains("Exclude:true");
    } finally {
      diagnostic("compilerDirectivesRemove"); // the newest directive: this test's
    }
    assertThat(directives()).doesNotContain("Exclude:true");
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
