package dev.editflow.falsim.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Writes a line of text on a dark band along the bottom of an image, so an output shows the prompt
 * it was made for. The glyphs come from a small bitmap atlas (printable ASCII, DejaVu Sans Mono
 * Bold rendered at 13 px into 8×16 cells), not from the platform's fonts: a headless JVM may have
 * none.
 */
final class Caption {

  static final int GLYPH_WIDTH = 8;
  static final int GLYPH_HEIGHT = 16;
  private static final int FIRST = 32;
  private static final int LAST = 126;
  private static final BufferedImage ATLAS = load();

  private Caption() {}

  /** The band's height for an image of this height: an eighth, at least one glyph. */
  static int bandHeight(int imageHeight) {
    return Math.min(imageHeight, Math.max(GLYPH_HEIGHT, imageHeight / 8));
  }

  /** Darkens the bottom band of {@code image} and writes {@code text} on it in white. */
  static void draw(BufferedImage image, String text) {
    int width = image.getWidth();
    int height = image.getHeight();
    int band = bandHeight(height);
    int top = height - band;
    for (int y = top; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = image.getRGB(x, y);
        // A quarter of the picture shows through, so the band reads as a caption over it.
        int r = ((p >> 16) & 0xFF) / 4;
        int g = ((p >> 8) & 0xFF) / 4;
        int b = (p & 0xFF) / 4;
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    int scale = Math.max(1, band * 3 / 4 / GLYPH_HEIGHT);
    int margin = Math.max(1, scale * 2);
    String line = fit(text, (width - 2 * margin) / (GLYPH_WIDTH * scale));
    int y0 = top + (band - GLYPH_HEIGHT * scale) / 2;
    for (int i = 0; i < line.length(); i++) {
      drawGlyph(image, line.charAt(i), margin + i * GLYPH_WIDTH * scale, y0, scale);
    }
  }

  /** Printable ASCII only, cut to {@code columns} characters with "..." when longer. */
  static String fit(String text, int columns) {
    StringBuilder ascii = new StringBuilder(text.length());
    text.strip()
        .codePoints()
        .forEach(c -> ascii.append(c >= FIRST && c <= LAST ? (char) c : c == '\n' ? ' ' : '?'));
    if (columns <= 0) {
      return "";
    }
    if (ascii.length() <= columns) {
      return ascii.toString();
    }
    return columns <= 3 ? ascii.substring(0, columns) : ascii.substring(0, columns - 3) + "...";
  }

  private static void drawGlyph(BufferedImage image, char c, int x0, int y0, int scale) {
    int cell = (c - FIRST) * GLYPH_WIDTH;
    for (int gy = 0; gy < GLYPH_HEIGHT; gy++) {
      for (int gx = 0; gx < GLYPH_WIDTH; gx++) {
        if ((ATLAS.getRGB(cell + gx, gy) & 0xFFFFFF) == 0) {
          continue;
        }
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            int x = x0 + gx * scale + dx;
            int y = y0 + gy * scale + dy;
            if (x >= 0 && y >= 0 && x < image.getWidth() && y < image.getHeight()) {
              image.setRGB(x, y, 0xFFFFFF);
            }
          }
        }
      }
    }
  }

  private static BufferedImage load() {
    try (InputStream in = Caption.class.getResourceAsStream("/caption-font.png")) {
      if (in == null) {
        throw new IllegalStateException("caption-font.png is missing from the simulator's jar");
      }
      BufferedImage atlas = ImageIO.read(in);
      if (atlas.getWidth() != (LAST - FIRST + 1) * GLYPH_WIDTH
          || atlas.getHeight() != GLYPH_HEIGHT) {
        throw new IllegalStateException("caption-font.png has the wrong size");
      }
      return atlas;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
