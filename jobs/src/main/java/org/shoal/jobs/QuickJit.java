package org.shoal.jobs;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The JIT's choice for a short run. On a small input a stage lasts seconds, and HotSpot's
 * optimising compiler (C2) spends them compiling Spark's code for a speed the run never uses: on 2
 * cores it took half the CPU of a 2 300-fix expand. A compiler directive excludes C2, so methods
 * stay with C1 at its full optimisation (HotSpot's tier 1). Only for a JVM that runs that one stage
 * and exits: code C1 compiled this way is never recompiled, which a later large stage would pay
 * for.
 */
final class QuickJit {
  private static final String DIRECTIVE = "[{ match: \"*.*\", c2: { Exclude: true } }]";

  private QuickJit() {}

  /** Adds the directive; false (and nothing changed) when this JVM offers no way to. */
  static boolean c1Only() {
    try {
      Path file = Files.createTempFile("shoal-jit", ".json");
      try {
        Files.writeString(file, DIRECTIVE, StandardCharsets.UTF_8);
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
