package dev.editflow.worker.submit;

import dev.editflow.jobs.EditParameters;
import dev.editflow.model.FalModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates a job into the input of its fal model, in the shape the model catalogue gives it (a
 * list of {@code image_urls}, or a single {@code image_url}); a resolution goes only to a model
 * that takes one.
 */
final class FalInputs {

  private FalInputs() {}

  static Map<String, Object> of(
      String modelId, String prompt, EditParameters p, List<String> imageUrls) {
    FalModel model =
        FalModel.byId(modelId)
            .orElseThrow(() -> new IllegalArgumentException("No such model: " + modelId));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("prompt", prompt);
    input.put(
        model.inputShape().field(),
        model.inputShape() == FalModel.InputShape.IMAGE_URL ? imageUrls.getFirst() : imageUrls);
    input.put("num_images", p.numImages());
    if (p.aspectRatio() != null) {
      input.put("aspect_ratio", p.aspectRatio());
    }
    if (p.resolution() != null && model.takesResolution()) {
      input.put("resolution", p.resolution());
    }
    input.put("output_format", p.outputFormat());
    if (p.seed() != null) {
      input.put("seed", p.seed());
    }
    return input;
  }
}
