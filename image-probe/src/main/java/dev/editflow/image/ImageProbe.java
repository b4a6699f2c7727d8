package dev.editflow.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Identifies an image from its first bytes: the magic number decides the type (a declared content
 * type is never trusted), and the header gives the dimensions. Only the header is parsed, never the
 * pixels, so a huge or hostile image costs no more than its first bytes.
 */
public final class ImageProbe {

  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private ImageProbe() {}

  /** The type the magic bytes at the start of {@code head[0..length)} announce, if any. */
  public static Optional<ImageType> sniff(byte[] head, int length) {
    if (startsWith(head, length, PNG_MAGIC)) {
      return Optional.of(ImageType.PNG);
    }
    if (length >= 3
        && (head[0] & 0xFF) == 0xFF
        && (head[1] & 0xFF) == 0xD8
        && (head[2] & 0xFF) == 0xFF) {
      return Optional.of(ImageType.JPEG);
    }
    if (length >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
      return Optional.of(ImageType.WEBP);
    }
    return Optional.empty();
  }

  /**
   * Type and dimensions of the image starting at {@code head[0..length)}.
   *
   * @param length how many bytes of the image are available; the header must lie within them
   * @throws NotAnImage if the bytes are no PNG, JPEG or WebP, or the header cannot be read
   */
  public static ImageHeader probe(byte[] head, int length) {
    ImageType type =
        sniff(head, length)
            .orElseThrow(() -> new NotAnImage("no PNG, JPEG or WebP signature in the first bytes"));
    ImageHeader header =
        switch (type) {
          case PNG, JPEG -> readWithImageIo(type, head, length);
          case WEBP -> WebpHeader.read(head, length);
        };
    if (header.width() <= 0 || header.height() <= 0) {
      throw new NotAnImage(
          type + " header declares " + header.width() + "x" + header.height() + " pixels");
    }
    return header;
  }

  /**
   * Asks the JDK's reader for the dimensions; {@code getWidth}/{@code getHeight} read the header
   * only (IHDR, or the JPEG markers up to the frame header), not the image data.
   */
  private static ImageHeader readWithImageIo(ImageType type, byte[] head, int length) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type.mediaType());
    if (!readers.hasNext()) {
      throw new IllegalStateException("The JDK has no ImageIO reader for " + type);
    }
    ImageReader reader = readers.next();
    // A memory cache over the bounded head: no temp files, no reads beyond what we buffered.
    try (ImageInputStream input =
        new MemoryCacheImageInputStream(new ByteArrayInputStream(head, 0, length))) {
      reader.setInput(input, true, true);
      return new ImageHeader(type, reader.getWidth(0), reader.getHeight(0));
    } catch (IOException | RuntimeException e) {
      throw new NotAnImage(type + " header is unreadable: " + e.getMessage(), e);
    } finally {
      reader.dispose();
    }
  }

  private static boolean startsWith(byte[] bytes, int length, byte[] prefix) {
    if (length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static boolean ascii(byte[] bytes, int offset, String expected) {
    if (bytes.length < offset + expected.length()) {
      return false;
    }
    for (int i = 0; i < expected.length(); i++) {
      if (bytes[offset + i] != (byte) expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
