package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TestHeapWatch {
  private static final int MB = 1 << 20;

  @Test
  void thePeakIsAMomentsUseNeverMoreThanTheHeap() throws IOException, InterruptedException {
    // A small heap, in a JVM of its own: there the pools' peaks, reached at different moments,
    // added up to more than -Xmx.
    Process probe =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m",
                "-XX:+UseG1GC",
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(probe.waitFor()).as(out).isZero();
    String[] figures = out.lines().reduce((a, b) -> b).orElseThrow().split(" ");
    double peak = Double.parseDouble(figures[0]);
    double live = Double.parseDouble(figures[1]);
    double max = Double.parseDouble(figures[2]);
    assertThat(live).as(out).isGreaterThanOrEqualTo(56);
    assertThat(peak).as(out).isGreaterThanOrEqualTo(live).isLessThanOrEqualTo(max);
  }

  /**
   * Churns through garbage with nothing held (the young generation grows to most of the heap), then
   * holds 56 MB (the old generation grows and the young one shrinks); prints the peak, the live
   * peak and the heap, in MB.
   */
  static final class Probe {
    public static void main(String[] args) throws InterruptedException {
      HeapWatch.reset();
      long sink = 0;
      // Quarter-megabyte arrays: G1 gives an array of half a region or more regions of its own.
      for (int i = 0; i < 1600; i++) {
        sink += new byte[MB / 4].length;
      }
      List<byte[]> held = new ArrayList<>();
      for (int i = 0; i < 56 * 4 * 4; i++) {
        byte[] b = new byte[MB / 4];
        sink += b.length;
        if (i % 4 == 0) {
          held.add(b);
        }
      }
      System.gc();
      // Collections are reported on another thread, shortly after.
      for (int wait = 0; wait < 50 && HeapWatch.peakLiveMb() < 56; wait++) {
        Thread.sleep(100);
      }
      System.out.printf(
          Locale.ROOT,
          "%.1f %.1f %.1f %d%n",
          HeapWatch.peakMb(),
          HeapWatch.peakLiveMb(),
          Runtime.getRuntime().maxMemory() / (double) MB,
          sink + held.size());
    }
  }
}
