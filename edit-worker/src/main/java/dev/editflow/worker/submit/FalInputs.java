package dev.editflow.worker.submit;

import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates a job into the input of its fal model. Models differ in shape (nano-banana takes a
 * list of {@code image_urls}, flux-pro/kontext a single {@code image_url}), so nothing assumes one
 * schema.
 */
final class FalInputs {

  private FalInputs() {}

  static Map<String, Object> of(EditJob job, List<String> imageUrls) {
    EditParameters p = job.parameters();
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("prompt", job.prompt());
    if (job.model().startsWith("fal-ai/flux-pro/kontext")) {
      input.put("image_url", imageUrls.getFirst());
    } else {
      input.put("image_urls", imageUrls);
    }
    input.put("num_images", p.numImages());
    if (p.aspectRatio() != null) {
      input.put("aspect_ratio", p.aspectRatio());
    }
    if (p.resolution() != null && job.model().equals("fal-ai/nano-banana-pro/edit")) {
      input.put("resolution", p.resolution());
    }
    input.put("output_format", p.outputFormat());
    if (p.seed() != null) {
      input.put("seed", p.seed());
    }
    return input;
  }
}
