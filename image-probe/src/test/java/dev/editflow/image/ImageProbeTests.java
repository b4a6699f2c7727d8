package dev.editflow.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.editflow.testsupport.TestImages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Type from magic bytes, dimensions from the header only. */
class ImageProbeTests {

  @Test
  void readsPngDimensions() {
    byte[] png = TestImages.png(64, 48);

    assertThat(ImageProbe.probe(png, png.length)).isEqualTo(new ImageHeader(ImageType.PNG, 64, 48));
  }

  @Test
  void readsJpegDimensions() {
    byte[] jpeg = TestImages.jpeg(40, 30);

    assertThat(ImageProbe.probe(jpeg, jpeg.length))
        .isEqualTo(new ImageHeader(ImageType.JPEG, 40, 30));
  }

  @Test
  void readsDimensionsFromTheHeaderWithoutTheImageData() {
    byte[] png = TestImages.png(2000, 1000);
    byte[] jpeg = TestImages.jpeg(2000, 1000);

    assertThat(ImageProbe.probe(png, 64)).isEqualTo(new ImageHeader(ImageType.PNG, 2000, 1000));
    assertThat(ImageProbe.probe(Arrays.copyOf(jpeg, 1024), 1024))
        .isEqualTo(new ImageHeader(ImageType.JPEG, 2000, 1000));
  }

  @Test
  void readsLosslessWebpDimensions() {
    assertThat(ImageProbe.probe(TestImages.WEBP_1X1, TestImages.WEBP_1X1.length))
        .isEqualTo(new ImageHeader(ImageType.WEBP, 1, 1));
  }

  @Test
  void readsLossyWebpDimensions() {
    ByteBuffer webp = riff("VP8 ", 30);
    webp.position(20).put(new byte[] {0, 0, 0, (byte) 0x9D, 0x01, 0x2A});
    webp.putShort((short) 640).putShort((short) 480);

    assertThat(ImageProbe.probe(webp.array(), webp.capacity()))
        .isEqualTo(new ImageHeader(ImageType.WEBP, 640, 480));
  }

  @Test
  void readsExtendedWebpCanvasSize() {
    ByteBuffer webp = riff("VP8X", 30);
    webp.position(24);
    putUint24(webp, 4095);
    putUint24(webp, 2999);

    assertThat(ImageProbe.probe(webp.array(), webp.capacity()))
        .isEqualTo(new ImageHeader(ImageType.WEBP, 4096, 3000));
  }

  @Test
  void refusesHtmlAndOtherFormats() {
    for (String text : new String[] {"<!doctype html><html>", "GIF89a....", "{\"detail\":\"x\"}"}) {
      byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
      assertThat(ImageProbe.sniff(bytes, bytes.length)).as(text).isEmpty();
      assertThatThrownBy(() -> ImageProbe.probe(bytes, bytes.length))
          .as(text)
          .isInstanceOf(NotAnImage.class);
    }
  }

  @Test
  void refusesAnImageWhoseHeaderIsCutOff() {
    byte[] png = TestImages.png(64, 48);
    byte[] jpeg = TestImages.jpeg(64, 48);

    assertThatThrownBy(() -> ImageProbe.probe(png, 20)).isInstanceOf(NotAnImage.class);
    assertThatThrownBy(() -> ImageProbe.probe(jpeg, 40)).isInstanceOf(NotAnImage.class);
    assertThatThrownBy(() -> ImageProbe.probe(TestImages.WEBP_1X1, 16))
        .isInstanceOf(NotAnImage.class);
  }

  @Test
  void refusesAWebpWithAnUnknownChunk() {
    ByteBuffer webp = riff("ALPH", 30);

    assertThatThrownBy(() -> ImageProbe.probe(webp.array(), webp.capacity()))
        .isInstanceOf(NotAnImage.class);
  }

  @Test
  void namesDeclaredTypesWithAliases() {
    assertThat(ImageType.ofMediaType("image/jpg")).contains(ImageType.JPEG);
    assertThat(ImageType.ofMediaType("IMAGE/PNG; charset=binary")).contains(ImageType.PNG);
    assertThat(ImageType.ofMediaType("image/svg+xml")).isEmpty();
    assertThat(ImageType.ofMediaType(null)).isEmpty();
  }

  private static ByteBuffer riff(String chunk, int length) {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(length - 8);
    buffer.put("WEBP".getBytes(StandardCharsets.US_ASCII));
    buffer.put(chunk.getBytes(StandardCharsets.US_ASCII)).putInt(length - 20);
    return buffer;
  }

  private static void putUint24(ByteBuffer buffer, int value) {
    buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
  }
}
