package org.shoal.pipeline.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The track files in pipeline/src/test/resources/tracks, each reproducing a case from real exports
 * (mixed column orders, simultaneous detections, a header-only file, a Darwin-Core OTN export, a
 * one-animal GPE3 file, a text file named .parquet). Tests of either module read them in place.
 */
public final class TrackFixtures {
  private TrackFixtures() {}

  public static String path(String name) {
    return resource("tracks", name);
  }

  /** A file of pipeline/src/test/resources/{@code folder}, from either module. */
  public static String resource(String folder, String name) {
    URL url = TrackFixtures.class.getResource("/" + folder + "/" + name);
    try {
      if (url != null && "file".equals(url.getProtocol())) {
        return Path.of(url.toURI()).toString();
      }
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    // From the jobs module the fixtures sit in the pipeline's test jar: read the source folder
    // instead.
    Path source =
        Path.of("..", "pipeline", "src", "test", "resources", folder, name)
            .toAbsolutePath()
            .normalize();
    if (!Files.exists(source)) {
      throw new IllegalStateException("fixture not found: " + folder + "/" + name);
    }
    return source.toString();
  }
}
