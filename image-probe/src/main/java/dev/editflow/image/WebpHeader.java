package dev.editflow.image;

/**
 * Reads the canvas size from a WebP's RIFF header (the JDK has no WebP reader). The first chunk is
 * one of {@code VP8 } (lossy), {@code VP8L} (lossless) or {@code VP8X} (extended), each storing the
 * size differently; see RFC 9649.
 */
final class WebpHeader {

  private WebpHeader() {}

  static ImageHeader read(byte[] b, int length) {
    if (length < 30) {
      throw new NotAnImage("WebP shorter than its header (" + length + " bytes)");
    }
    if (ImageProbe.ascii(b, 12, "VP8 ")) {
      // Frame tag (3 bytes) then the start code 9d 01 2a, then 14-bit width and height.
      if ((b[23] & 0xFF) != 0x9D || (b[24] & 0xFF) != 0x01 || (b[25] & 0xFF) != 0x2A) {
        throw new NotAnImage("WebP VP8 chunk without its start code");
      }
      int width = le16(b, 26) & 0x3FFF;
      int height = le16(b, 28) & 0x3FFF;
      return new ImageHeader(ImageType.WEBP, width, height);
    }
    if (ImageProbe.ascii(b, 12, "VP8L")) {
      if ((b[20] & 0xFF) != 0x2F) {
        throw new NotAnImage("WebP VP8L chunk without its signature byte");
      }
      long bits = le32(b, 21);
      int width = (int) (bits & 0x3FFF) + 1;
      int height = (int) ((bits >>> 14) & 0x3FFF) + 1;
      return new ImageHeader(ImageType.WEBP, width, height);
    }
    if (ImageProbe.ascii(b, 12, "VP8X")) {
      int width = le24(b, 24) + 1;
      int height = le24(b, 27) + 1;
      return new ImageHeader(ImageType.WEBP, width, height);
    }
    throw new NotAnImage("WebP with an unknown first chunk");
  }

  private static int le16(byte[] b, int offset) {
    return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8;
  }

  private static int le24(byte[] b, int offset) {
    return le16(b, offset) | (b[offset + 2] & 0xFF) << 16;
  }

  private static long le32(byte[] b, int offset) {
    return (le24(b, offset) | (long) (b[offset + 3] & 0xFF) << 24) & 0xFFFFFFFFL;
  }
}
