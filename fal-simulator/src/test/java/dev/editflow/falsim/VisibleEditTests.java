package dev.editflow.falsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A simulated edit visibly follows its request, so a person trying editflow can tell it worked: the
 * requested aspect ratio, a tint from the colour the prompt names, and the prompt written on a
 * caption band. The input is the fixture's orange-to-blue gradient with a white oval in the middle.
 */
class VisibleEditTests extends SimulatorTestSupport {

  private static final int WIDTH = 256;
  private static final int HEIGHT = 144;
  // An eighth of the height.
  private static final int BAND = 18;

  @BeforeEach
  void largerOutputs() {
    settings("{\"output\":{\"long-side\":" + WIDTH + "}}");
  }

  private BufferedImage edit(String prompt) {
    JsonNode submitted =
        submit(PRO, editInput(prompt, "\"aspect_ratio\":\"16:9\"", "\"output_format\":\"png\""));
    awaitCompleted(submitted);
    JsonNode image = result(submitted).json().get("images").get(0);
    return decode(callRaw("GET", image.get("url").asString(), null).raw().body());
  }

  @Test
  void tintsTheImageTowardsTheColourThePromptNames() {
    BufferedImage purple = edit("make the sky purple");
    BufferedImage plain = edit("make it nicer");

    assertThat(purple.getWidth()).isEqualTo(WIDTH);
    assertThat(purple.getHeight()).isEqualTo(HEIGHT);
    // The white oval in the middle: untouched without a colour, lavender with purple named.
    assertThat(rgb(plain, WIDTH / 2, HEIGHT / 2 - BAND)).containsExactly(255, 255, 255);
    assertThat(rgb(purple, WIDTH / 2, HEIGHT / 2 - BAND))
        .satisfies(
            p -> {
              assertThat(p[0]).isBetween(194, 202);
              assertThat(p[1]).isBetween(158, 166);
              assertThat(p[2]).isBetween(223, 231);
            });
    assertThat(whitePixels(purple, 0, HEIGHT - BAND))
        .as("nothing above the caption stays white once tinted")
        .isZero();
  }

  @Test
  void writesThePromptOnADarkCaptionBandAlongTheBottom() {
    BufferedImage out = edit("make the sky purple");

    int white = whitePixels(out, HEIGHT - BAND, HEIGHT);
    assertThat(white).as("the caption's letters").isGreaterThan(150);
    for (int y = HEIGHT - BAND; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        int[] p = rgb(out, x, y);
        if (!(p[0] == 255 && p[1] == 255 && p[2] == 255)) {
          assertThat(p[0] + p[1] + p[2]).as("band pixel %d,%d is dark", x, y).isLessThan(200);
        }
      }
    }
    // 19 characters of 8 px after a 2 px margin: the text ends just before x = 154.
    assertThat(rightmostWhite(out, HEIGHT - BAND, HEIGHT)).isBetween(140, 154);
    assertThat(rightmostWhite(edit("sky"), HEIGHT - BAND, HEIGHT)).isBetween(18, 26);
  }

  @Test
  void numbersTheImagesWhenSeveralAreAskedFor() {
    JsonNode submitted = submit(PRO, editInput("make it red", "\"num_images\":2"));
    awaitCompleted(submitted);
    JsonNode images = result(submitted).json().get("images");

    BufferedImage first =
        decode(callRaw("GET", images.get(0).get("url").asString(), null).raw().body());
    BufferedImage second =
        decode(callRaw("GET", images.get(1).get("url").asString(), null).raw().body());

    // "make it red (1/2)" is wider than "make it red", and the two captions differ.
    int band = first.getHeight() / 8;
    int[] a =
        first.getRGB(
            0, first.getHeight() - band, first.getWidth(), band, null, 0, first.getWidth());
    int[] b =
        second.getRGB(
            0, second.getHeight() - band, second.getWidth(), band, null, 0, second.getWidth());
    assertThat(a).isNotEqualTo(b);
  }

  private static int[] rgb(BufferedImage image, int x, int y) {
    int p = image.getRGB(x, y);
    return new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
  }

  private static int whitePixels(BufferedImage image, int fromRow, int toRow) {
    int count = 0;
    for (int y = fromRow; y < toRow; y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF) {
          count++;
        }
      }
    }
    return count;
  }

  private static int rightmostWhite(BufferedImage image, int fromRow, int toRow) {
    int rightmost = -1;
    for (int y = fromRow; y < toRow; y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF) {
          rightmost = Math.max(rightmost, x);
        }
      }
    }
    return rightmost;
  }
}
