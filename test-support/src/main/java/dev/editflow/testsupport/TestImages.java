package dev.editflow.testsupport;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Real image files for tests, made on the fly. */
public final class TestImages {

  /** A 1x1 lossless WebP. */
  public static final byte[] WEBP_1X1 =
      Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");

  private TestImages() {}

  public static byte[] png(int width, int height) {
    return encode("png", width, height);
  }

  public static byte[] jpeg(int width, int height) {
    return encode("jpeg", width, height);
  }

  /**
   * A valid PNG of {@code width x height} padded to at least {@code minBytes} with a private
   * ancillary chunk of random bytes, which decoders skip: a large file without a slow encode.
   */
  public static byte[] largePng(int width, int height, int minBytes) {
    byte[] png = png(width, height);
    int afterIhdr = 8 + 25;
    byte[] data = new byte[Math.max(0, minBytes - png.length - 12)];
    new Random(42).nextBytes(data);
    ByteBuffer out = ByteBuffer.allocate(png.length + data.length + 12);
    out.put(png, 0, afterIhdr);
    byte[] type = {'e', 'd', 'F', 'x'};
    out.putInt(data.length).put(type).put(data);
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(data);
    out.putInt((int) crc.getValue());
    out.put(png, afterIhdr, png.length - afterIhdr);
    return out.array();
  }

  private static byte[] encode(String format, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(120, 40, 200));
    g.fillRect(0, 0, width, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("No ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A PNG whose header claims {@code width} x {@code height} but that holds no pixel data: what a
   * decompression bomb looks like to a header check.
   */
  public static byte[] pngClaiming(int width, int height) {
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(name);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
