package org.shoal.jobs;

import com.uber.h3core.H3Core;
import com.uber.h3core.util.LatLng;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Density maps as pictures: every cell drawn as its hexagon on a lon/lat plane, dark blue (empty)
 * to yellow.
 */
final class DensityPictures {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 480;
  private final H3Core h3;
  private final double minLon;
  private final double maxLon;
  private final double minLat;
  private final double maxLat;
  private final double maxDensity;

  DensityPictures(Iterable<String> cells, double maxDensity) throws IOException {
    this.h3 = H3Core.newInstance();
    double x0 = 180;
    double x1 = -180;
    double y0 = 90;
    double y1 = -90;
    for (String c : cells) {
      LatLng p = h3.cellToLatLng(c);
      x0 = Math.min(x0, p.lng);
      x1 = Math.max(x1, p.lng);
      y0 = Math.min(y0, p.lat);
      y1 = Math.max(y1, p.lat);
    }
    this.minLon = x0 - 1;
    this.maxLon = x1 + 1;
    this.minLat = y0 - 1;
    this.maxLat = y1 + 1;
    this.maxDensity = maxDensity;
  }

  BufferedImage draw(Map<String, Double> density, String title) {
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    for (Map.Entry<String, Double> e : density.entrySet()) {
      List<LatLng> boundary = h3.cellToBoundary(e.getKey());
      Polygon hex = new Polygon();
      for (LatLng p : boundary) {
        hex.addPoint(x(p.lng), y(p.lat));
      }
      g.setColor(colour(e.getValue() / maxDensity));
      g.fillPolygon(hex);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1));
    g.drawString(title, 10, 18);
    g.drawString(
        String.format(
            java.util.Locale.ROOT, "%.1f..%.1f E, %.1f..%.1f N", minLon, maxLon, minLat, maxLat),
        10,
        HEIGHT - 8);
    g.dispose();
    return img;
  }

  private int x(double lon) {
    return (int) Math.round((lon - minLon) / (maxLon - minLon) * WIDTH);
  }

  private int y(double lat) {
    return (int) Math.round(HEIGHT - (lat - minLat) / (maxLat - minLat) * HEIGHT);
  }

  /** Dark blue → teal → yellow. */
  static Color colour(double t) {
    double v = Math.max(0, Math.min(1, Math.sqrt(t)));
    int r = (int) (255 * Math.max(0, 2 * v - 1));
    int gr = (int) (40 + 200 * v);
    int b = (int) (120 * (1 - v) + 40);
    return new Color(r, Math.min(255, gr), b);
  }

  static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /** An animated GIF that loops, {@code delayMs} per frame. */
  static byte[] gif(List<BufferedImage> frames, int delayMs) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (BufferedImage frame : frames) {
        ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(frame);
        IIOMetadata meta = writer.getDefaultImageMetadata(type, null);
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", String.valueOf(delayMs / 10));
        control.setAttribute("transparentColorIndex", "0");
        root.appendChild(control);
        IIOMetadataNode apps = new IIOMetadataNode("ApplicationExtensions");
        IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
        loop.setAttribute("applicationID", "NETSCAPE");
        loop.setAttribute("authenticationCode", "2.0");
        loop.setUserObject(new byte[] {1, 0, 0});
        apps.appendChild(loop);
        root.appendChild(apps);
        meta.setFromTree(format, root);
        writer.writeToSequence(new IIOImage(frame, null, meta), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
