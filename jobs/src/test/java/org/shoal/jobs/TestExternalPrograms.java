package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision "not installed → skipped" of the Chromium and Jupyter checks, on a PATH that lacks
 * them.
 */
class TestExternalPrograms {
  @TempDir Path dir;

  @Test
  void aProgramMissingFromPathIsNotFoundAndItsCheckIsSkippedUnlessRequired() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("jupyter"), "not executable");
    String path = bin + ":" + other;

    Optional<String> jupyter = ExternalPrograms.find(path, List.of("jupyter"));
    assertThat(jupyter).isEmpty();
    assertThat(
            ExternalPrograms.find(path, List.of("chromium", "chromium-browser", "google-chrome")))
        .isEmpty();
    assertThat(ExternalPrograms.runCheck(jupyter, "jupyter", "SHOAL_REQUIRE_JUPYTER", null))
        .isFalse();
    assertThatThrownBy(
            () -> ExternalPrograms.runCheck(jupyter, "jupyter", "SHOAL_REQUIRE_JUPYTER", "1"))
        .hasMessage("jupyter is not installed, but SHOAL_REQUIRE_JUPYTER requires its check");
  }

  @Test
  void anExecutableOnPathIsFoundInPathOrder() throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    Path second = Files.createDirectories(dir.resolve("second"));
    for (Path d : List.of(first, second)) {
      Path program = Files.writeString(d.resolve("chromium-browser"), "#!/bin/sh\n");
      Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Optional<String> found =
        ExternalPrograms.find(first + ":" + second, List.of("chromium", "chromium-browser"));
    assertThat(found).contains(first.resolve("chromium-browser").toString());
    assertThat(ExternalPrograms.runCheck(found, "chromium", "SHOAL_REQUIRE_CHROMIUM", "1"))
        .isTrue();
  }
}
