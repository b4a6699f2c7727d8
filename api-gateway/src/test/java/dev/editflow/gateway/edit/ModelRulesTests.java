package dev.editflow.gateway.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.model.FalModel;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ModelRulesTests {

  private static final String DEFAULT = "fal-ai/nano-banana-pro/edit";

  @Test
  void aRequestWithoutModelGetsTheDefault() {
    assertThat(ModelRules.model(form(null, 1, null, null), DEFAULT))
        .isEqualTo(FalModel.NANO_BANANA_PRO_EDIT);
  }

  @Test
  void anUnknownModelIsRejectedNamingTheOfferedOnes() {
    assertThatThrownBy(() -> ModelRules.model(form("fal-ai/other", 1, null, null), DEFAULT))
        .isInstanceOfSatisfying(
            RequestRejected.class,
            e -> {
              assertThat(e.error()).isEqualTo(ApiError.UNKNOWN_MODEL);
              assertThat(e.getMessage()).contains(FalModel.ids().toString());
            });
  }

  @Test
  void kontextTakesExactlyOneInput() {
    assertThat(rejection(FalModel.FLUX_PRO_KONTEXT, form(null, 2, null, null)))
        .isEqualTo("inputs: fal-ai/flux-pro/kontext takes exactly one input image");
  }

  @Test
  void onlyAModelWithResolutionsTakesOne() {
    assertThat(
            ModelRules.checkedOutputFormat(
                FalModel.NANO_BANANA_PRO_EDIT, form(null, 1, "4K", null)))
        .isEqualTo("png");
    assertThat(rejection(FalModel.NANO_BANANA_EDIT, form(null, 1, "2K", null)))
        .startsWith("resolution: fal-ai/nano-banana/edit takes no resolution");
  }

  @Test
  void theOutputFormatDefaultsPerModelAndMustBeOneTheModelWrites() {
    assertThat(ModelRules.checkedOutputFormat(FalModel.NANO_BANANA_EDIT, form(null, 4, null, null)))
        .isEqualTo("png");
    assertThat(ModelRules.checkedOutputFormat(FalModel.FLUX_PRO_KONTEXT, form(null, 1, null, null)))
        .isEqualTo("jpeg");
    assertThat(rejection(FalModel.FLUX_PRO_KONTEXT, form(null, 1, null, "webp")))
        .isEqualTo("outputFormat: fal-ai/flux-pro/kontext writes jpeg or png");
  }

  private static String rejection(FalModel model, EditForm form) {
    try {
      ModelRules.checkedOutputFormat(model, form);
    } catch (RequestRejected e) {
      assertThat(e.error()).isEqualTo(ApiError.VALIDATION_FAILED);
      return e.getMessage();
    }
    throw new AssertionError("accepted " + form + " for " + model);
  }

  private static EditForm form(
      @Nullable String model,
      int inputs,
      @Nullable String resolution,
      @Nullable String outputFormat) {
    List<EditForm.InputForm> inputForms =
        Collections.nCopies(inputs, new EditForm.InputForm("up_x", null));
    return new EditForm(
        "make it purple", inputForms, model, null, null, resolution, outputFormat, null, null);
  }
}
