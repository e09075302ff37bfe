package org.shoal.jobs;

import java.io.File;
import java.util.List;
import java.util.Optional;

/**
 * Finds optional external programs (Chromium, Jupyter) the way a shell would, on PATH, before
 * anything tries to start them: {@code ProcessBuilder.start} throws on a missing program instead of
 * returning a non-zero code.
 */
final class ExternalPrograms {
  private ExternalPrograms() {}

  /**
   * The first executable among {@code names} in the directories of {@code path} (a PATH-style
   * list).
   */
  static Optional<String> find(String path, List<String> names) {
    for (String name : names) {
      for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
        File candidate = new File(dir.isEmpty() ? "." : dir, name);
        if (!dir.isEmpty() && candidate.isFile() && candidate.canExecute()) {
          return Optional.of(candidate.getPath());
        }
      }
    }
    return Optional.empty();
  }

  /** The program on this process's PATH. */
  static Optional<String> find(String... names) {
    return find(System.getenv("PATH"), List.of(names));
  }

  static Optional<String> chromium() {
    return find("chromium", "chromium-browser", "google-chrome");
  }

  static Optional<String> jupyter() {
    return find("jupyter");
  }

  /**
   * Whether a check that needs {@code program} runs: yes when it is installed; when it is not, the
   * check is skipped unless {@code requiredBy} (an environment variable CI sets) demands it, which
   * is then a failure.
   */
  static boolean runCheck(
      Optional<String> program, String name, String requiredBy, String requiredValue) {
    if (program.isPresent()) {
      return true;
    }
    if (requiredValue != null) {
      throw new AssertionError(
          name + " is not installed, but " + requiredBy + " requires its check");
    }
    System.out.println(name + " is not installed: its check is skipped");
    return false;
  }
}
