package org.shoal.jobs.config;

import java.util.List;

/**
 * A stage's validated configuration: what it reads and where it writes (its marker and fingerprint
 * use both).
 */
public interface StageConfig {
  /** The folder the stage writes. */
  String output();

  /** The files and folders the stage reads; their listings are part of the stage's fingerprint. */
  List<String> inputs();

  /** A stage that reads one folder, {@link #input()}. */
  interface OneInput extends StageConfig {
    String input();

    @Override
    default List<String> inputs() {
      return List.of(input());
    }
  }

  /** The paths that are set (optional inputs are null when not configured). */
  static List<String> present(String... paths) {
    return java.util.Arrays.stream(paths).filter(java.util.Objects::nonNull).toList();
  }
}
