package dev.editflow.falsim.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Grows encoded images to a minimum size with data decoders ignore, so benchmarks can move large
 * (e.g. 25 MB) outputs without rendering huge images. The filler is random so transport compression
 * cannot shrink it.
 */
final class FilePadding {

  private static final byte[] FILLER = new byte[64 * 1024];
  private static final byte[] PNG_IEND = {
    0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82
  };
  // Ancillary, private, safe-to-copy chunk type: PNG decoders skip it.
  private static final byte[] PNG_PAD_TYPE = {'f', 's', 'P', 'd'};
  private static final int JPEG_MAX_SEGMENT = 65533;

  static {
    new Random(42).nextBytes(FILLER);
  }

  private FilePadding() {}

  /**
   * Pads {@code file} (written as {@code format}) to at least {@code minSize} bytes if possible.
   */
  static void pad(Path file, String format, long minSize) throws IOException {
    long size = Files.size(file);
    if (minSize <= size) {
      return;
    }
    switch (format) {
      case "png" -> padPng(file, size, minSize);
      case "jpeg" -> padJpeg(file, size, minSize);
      default -> {
        // WebP padding would need RIFF rewriting; not worth it for benchmarks that can use PNG.
      }
    }
  }

  private static void padPng(Path file, long size, long minSize) throws IOException {
    long dataLength = Math.max(0, minSize - size - 12);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size - PNG_IEND.length);
      channel.position(size - PNG_IEND.length);
      try (OutputStream out =
          new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 65536)) {
        out.write(ByteBuffer.allocate(4).putInt((int) dataLength).array());
        var crc = new CRC32();
        crc.update(PNG_PAD_TYPE);
        out.write(PNG_PAD_TYPE);
        long left = dataLength;
        while (left > 0) {
          int n = (int) Math.min(FILLER.length, left);
          out.write(FILLER, 0, n);
          crc.update(FILLER, 0, n);
          left -= n;
        }
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        out.write(PNG_IEND);
      }
    }
  }

  private static void padJpeg(Path file, long size, long minSize) throws IOException {
    Path padded = file.resolveSibling(file.getFileName() + ".pad");
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(padded), 65536)) {
      out.write(in.readNBytes(2)); // SOI
      long left = minSize - size;
      while (left > 4) {
        int payload = (int) Math.min(JPEG_MAX_SEGMENT, left - 4);
        out.write(0xFF);
        out.write(0xFE); // COM segment
        out.write((payload + 2) >> 8);
        out.write((payload + 2) & 0xFF);
        out.write(FILLER, 0, Math.min(payload, FILLER.length));
        if (payload > FILLER.length) {
          out.write(FILLER, 0, payload - FILLER.length);
        }
        left -= payload + 4;
      }
      in.transferTo(out);
    }
    Files.move(padded, file, StandardCopyOption.REPLACE_EXISTING);
  }
}
