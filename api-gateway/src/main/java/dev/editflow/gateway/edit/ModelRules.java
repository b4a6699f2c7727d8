package dev.editflow.gateway.edit;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.model.FalModel;
import java.util.Arrays;

/** What a request may ask of its model, read from the model catalogue. */
final class ModelRules {

  private ModelRules() {}

  /** The model the request names, or the default one. */
  static FalModel model(EditForm form, String defaultModel) {
    String id = form.model() == null ? defaultModel : form.model();
    return FalModel.byId(id)
        .orElseThrow(
            () ->
                new RequestRejected(
                    ApiError.UNKNOWN_MODEL, "model must be one of " + FalModel.ids()));
  }

  /**
   * Checks the inputs, resolution and output format against what {@code model} takes.
   *
   * @return the output format to ask for: the requested one or the model's default
   */
  static String checkedOutputFormat(FalModel model, EditForm form) {
    if (form.inputs().size() > model.maxInputs()) {
      throw RequestRejected.field(
          "inputs",
          model.maxInputs() == 1
              ? model.id() + " takes exactly one input image"
              : model.id() + " takes at most " + model.maxInputs() + " input images");
    }
    if (form.resolution() != null && !model.resolutions().contains(form.resolution())) {
      throw RequestRejected.field(
          "resolution",
          model.takesResolution()
              ? model.id() + " takes a resolution of " + model.resolutions()
              : model.id() + " takes no resolution; " + withResolutions() + " do");
    }
    if (form.outputFormat() == null) {
      return model.defaultOutputFormat();
    }
    if (!model.outputFormats().contains(form.outputFormat())) {
      throw RequestRejected.field(
          "outputFormat", model.id() + " writes " + String.join(" or ", model.outputFormats()));
    }
    return form.outputFormat();
  }

  private static String withResolutions() {
    return String.join(
        ", ",
        Arrays.stream(FalModel.values())
            .filter(FalModel::takesResolution)
            .map(FalModel::id)
            .toList());
  }
}
