package dev.editflow.model;

import static dev.editflow.model.FalModel.FLUX_PRO_KONTEXT;
import static dev.editflow.model.FalModel.NANO_BANANA_EDIT;
import static dev.editflow.model.FalModel.NANO_BANANA_PRO_EDIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.editflow.model.FalModel.InputShape;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One test per model: what fal's schema says it takes (FAL-API.md §6), and its price. */
class FalModelTests {

  @Test
  void nanoBananaProTakesAListOfImagesAndThreeResolutions() {
    assertThat(NANO_BANANA_PRO_EDIT.id()).isEqualTo("fal-ai/nano-banana-pro/edit");
    assertThat(NANO_BANANA_PRO_EDIT.inputShape()).isEqualTo(InputShape.IMAGE_URLS);
    assertThat(NANO_BANANA_PRO_EDIT.maxInputs()).isEqualTo(4);
    assertThat(NANO_BANANA_PRO_EDIT.resolutions()).containsExactly("1K", "2K", "4K");
    assertThat(NANO_BANANA_PRO_EDIT.outputFormats()).containsExactly("png", "jpeg", "webp");
    assertThat(NANO_BANANA_PRO_EDIT.defaultOutputFormat()).isEqualTo("png");
    assertThat(NANO_BANANA_PRO_EDIT.pricePerImage()).isEqualByComparingTo("0.15");
  }

  @Test
  void nanoBananaTakesAListOfImagesAndNoResolution() {
    assertThat(NANO_BANANA_EDIT.id()).isEqualTo("fal-ai/nano-banana/edit");
    assertThat(NANO_BANANA_EDIT.inputShape()).isEqualTo(InputShape.IMAGE_URLS);
    assertThat(NANO_BANANA_EDIT.maxInputs()).isEqualTo(4);
    assertThat(NANO_BANANA_EDIT.takesResolution()).isFalse();
    assertThat(NANO_BANANA_EDIT.outputFormats()).containsExactly("png", "jpeg", "webp");
    assertThat(NANO_BANANA_EDIT.pricePerImage()).isEqualByComparingTo("0.039");
  }

  @Test
  void fluxProKontextTakesOneImageAndWritesJpegByDefault() {
    assertThat(FLUX_PRO_KONTEXT.id()).isEqualTo("fal-ai/flux-pro/kontext");
    assertThat(FLUX_PRO_KONTEXT.inputShape()).isEqualTo(InputShape.IMAGE_URL);
    assertThat(FLUX_PRO_KONTEXT.inputShape().field()).isEqualTo("image_url");
    assertThat(FLUX_PRO_KONTEXT.maxInputs()).isEqualTo(1);
    assertThat(FLUX_PRO_KONTEXT.takesResolution()).isFalse();
    assertThat(FLUX_PRO_KONTEXT.outputFormats()).containsExactly("jpeg", "png");
    assertThat(FLUX_PRO_KONTEXT.defaultOutputFormat()).isEqualTo("jpeg");
    assertThat(FLUX_PRO_KONTEXT.pricePerImage()).isEqualByComparingTo("0.04");
  }

  @Test
  void twoKCostsOneAndAHalfTimesAndFourKTwiceTheDefaultResolution() {
    BigDecimal price = NANO_BANANA_PRO_EDIT.pricePerImage();
    assertThat(NANO_BANANA_PRO_EDIT.estimatedCost(price, null, 1)).isEqualByComparingTo("0.15");
    assertThat(NANO_BANANA_PRO_EDIT.estimatedCost(price, "1K", 1)).isEqualByComparingTo("0.15");
    assertThat(NANO_BANANA_PRO_EDIT.estimatedCost(price, "2K", 1)).isEqualByComparingTo("0.225");
    assertThat(NANO_BANANA_PRO_EDIT.estimatedCost(price, "4K", 3)).isEqualByComparingTo("0.90");
  }

  @Test
  void aModelWithoutResolutionsCostsItsPricePerImage() {
    assertThat(NANO_BANANA_EDIT.estimatedCost(new BigDecimal("0.039"), null, 2))
        .isEqualByComparingTo("0.078");
    assertThat(NANO_BANANA_EDIT.resolutionFactor("4K")).isEqualByComparingTo("1");
  }

  @ParameterizedTest
  @EnumSource(FalModel.class)
  void everyModelIsFoundByItsIdAndOffersAtLeastOneFormatAndInput(FalModel model) {
    assertThat(FalModel.byId(model.id())).contains(model);
    assertThat(model.outputFormats()).isNotEmpty();
    assertThat(model.maxInputs()).isPositive();
    assertThat(model.pricePerImage()).isPositive();
    assertThat(model.resolutionFactor(null)).isEqualByComparingTo("1");
    if (model.takesResolution()) {
      assertThat(model.resolutionFactor(model.resolutions().getFirst()))
          .as("the first resolution is the default")
          .isEqualByComparingTo("1");
    }
  }

  @Test
  void anUnknownIdIsNoModel() {
    assertThat(FalModel.byId("fal-ai/unknown")).isEmpty();
    assertThat(FalModel.byId(null)).isEmpty();
    assertThat(FalModel.ids())
        .isEqualTo(
            List.of(
                "fal-ai/nano-banana-pro/edit",
                "fal-ai/nano-banana/edit",
                "fal-ai/flux-pro/kontext"));
  }
}
