package dev.editflow.worker.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.editflow.jobs.EditParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FalInputsTests {

  private static final List<String> TWO_IMAGES = List.of("https://s3/a.png", "https://s3/b.png");

  @Test
  void nanoBananaProGetsAListOfImagesAndTheResolution() {
    Map<String, Object> input =
        FalInputs.of(
            "fal-ai/nano-banana-pro/edit",
            "make it purple",
            new EditParameters(2, "16:9", "4K", "webp", 42L),
            TWO_IMAGES);

    assertThat(input)
        .containsExactly(
            Map.entry("prompt", "make it purple"),
            Map.entry("image_urls", TWO_IMAGES),
            Map.entry("num_images", 2),
            Map.entry("aspect_ratio", "16:9"),
            Map.entry("resolution", "4K"),
            Map.entry("output_format", "webp"),
            Map.entry("seed", 42L));
  }

  @Test
  void nanoBananaGetsNoResolutionEvenIfTheJobHasOne() {
    Map<String, Object> input =
        FalInputs.of(
            "fal-ai/nano-banana/edit",
            "x",
            new EditParameters(1, null, "2K", "png", null),
            TWO_IMAGES);

    assertThat(input).containsEntry("image_urls", TWO_IMAGES).doesNotContainKey("resolution");
    assertThat(input).doesNotContainKeys("aspect_ratio", "seed");
  }

  @Test
  void kontextGetsItsOneImageAsImageUrl() {
    Map<String, Object> input =
        FalInputs.of(
            "fal-ai/flux-pro/kontext",
            "x",
            new EditParameters(1, null, null, "jpeg", null),
            List.of("https://s3/a.png"));

    assertThat(input)
        .containsEntry("image_url", "https://s3/a.png")
        .containsEntry("output_format", "jpeg")
        .doesNotContainKey("image_urls");
  }

  @Test
  void aModelOutsideTheCatalogueIsNotSubmitted() {
    assertThatThrownBy(
            () ->
                FalInputs.of(
                    "fal-ai/unknown",
                    "x",
                    new EditParameters(1, null, null, "png", null),
                    TWO_IMAGES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fal-ai/unknown");
  }
}
