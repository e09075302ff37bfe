package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exemplar map: zoomed to the animal, labelled in degrees, and a gap in the track is not drawn
 * as a move.
 */
class TestExemplarMap {
  private static List<double[]> numbers(String svg, String regex) {
    List<double[]> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(svg);
    while (m.find()) {
      double[] v = new double[m.groupCount()];
      for (int i = 0; i < v.length; i++) {
        v[i] = Double.parseDouble(m.group(i + 1));
      }
      out.add(v);
    }
    return out;
  }

  @Test
  void twoSegmentsAreTwoLinesInsideAFrameLabelledInDegrees() {
    // a small acoustic array near the Galápagos: decisions in two parts with a gap between them
    double[] lon = {-91.60, -91.55, -91.50, -91.90, -91.95};
    double[] lat = {-0.30, -0.35, -0.40, 0.10, 0.15};
    double[] diff = {0.5, -0.2, 0.1, 1.0, -1.0};
    List<double[][]> tracks =
        List.of(
            new double[][] {{-91.60, -91.55, -91.50, -91.45}, {-0.30, -0.35, -0.40, -0.45}},
            new double[][] {{-91.90, -91.95, -92.00}, {0.10, 0.15, 0.20}});
    String svg = Html.map(lon, lat, diff, tracks);

    assertThat(numbers(svg, "<polyline")).hasSize(2);
    assertThat(svg)
        .contains("<text x=\"210\" y=\"312\" text-anchor=\"middle\">longitude</text>")
        .contains(">latitude</text>");
    // three ticks per axis; the labels span the animal's range, a little wider, never the whole
    // ocean
    List<double[]> labels = numbers(svg, ">(-?\\d+\\.\\d\\d)°<");
    assertThat(labels).hasSize(6);
    double[] lons = {labels.get(0)[0], labels.get(2)[0], labels.get(4)[0]};
    double[] lats = {labels.get(1)[0], labels.get(3)[0], labels.get(5)[0]};
    assertThat(lons[0]).isBetween(-92.6, -92.0);
    assertThat(lons[2]).isBetween(-91.45, -90.8);
    assertThat(lats[0]).isBetween(-0.6, -0.45);
    assertThat(lats[2]).isBetween(0.2, 0.35);
    // every dot inside the frame (48 px margins of a 420 x 320 picture)
    List<double[]> dots = numbers(svg, "<circle cx=\"([\\d.]+)\" cy=\"([\\d.]+)\"");
    assertThat(dots).hasSize(5);
    assertThat(dots)
        .allSatisfy(
            d -> {
              assertThat(d[0]).isBetween(48.0, 372.0);
              assertThat(d[1]).isBetween(48.0, 272.0);
            });
  }

  @Test
  void aTrackAcrossTheAntimeridianStaysTogether() {
    double[] lon = {179.8, -179.9};
    double[] lat = {50.0, 50.1};
    String svg =
        Html.map(
            lon,
            lat,
            new double[] {0, 0},
            List.<double[][]>of(new double[][] {{179.8, -179.9, -179.7}, {50.0, 50.1, 50.2}}));
    List<double[]> labels = numbers(svg, ">(-?\\d+\\.\\d\\d)°<");
    assertThat(labels.get(0)[0]).isBetween(179.0, 180.0); // left edge just west of 180
    assertThat(labels.get(4)[0]).isBetween(-180.0, -179.0); // right edge just east of it
  }
}
