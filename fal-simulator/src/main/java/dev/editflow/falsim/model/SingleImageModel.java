package dev.editflow.falsim.model;

import dev.editflow.model.FalModel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model that takes one {@code image_url}, with the flux-pro/kontext schema (FAL-API.md 6.4); its
 * formats and default format come from the model catalogue.
 */
record SingleImageModel(FalModel model) implements SimulatedModel {

  private static final List<String> ASPECT_RATIOS =
      List.of("21:9", "16:9", "4:3", "3:2", "1:1", "2:3", "3:4", "9:16", "9:21");

  @Override
  public String id() {
    return model.id();
  }

  @Override
  public List<FieldError> validate(Map<String, Object> input) {
    return new InputRules(input)
        .requiredString("prompt")
        .requiredString("image_url")
        .optionalIntRange("num_images", 1, 4)
        .optionalOneOf("aspect_ratio", ASPECT_RATIOS)
        .optionalOneOf("output_format", model.outputFormats())
        .optionalOneOf("safety_tolerance", List.of("1", "2", "3", "4", "5", "6"))
        .optionalBoolean("sync_mode")
        .optionalBoolean("enhance_prompt")
        .errors();
  }

  @Override
  public EditRequest parse(Map<String, Object> input) {
    return new EditRequest(
        InputRules.string(input, "prompt", ""),
        List.of(InputRules.string(input, "image_url", "")),
        InputRules.integer(input, "num_images", 1),
        InputRules.string(input, "aspect_ratio", "auto"),
        "1K",
        InputRules.string(input, "output_format", model.defaultOutputFormat()),
        InputRules.seed(input));
  }

  @Override
  public List<Object> imageLocation(int index) {
    return List.of("body", "image_url");
  }

  @Override
  public Map<String, Object> result(
      EditRequest request, List<Map<String, Object>> images, Duration inferenceTime) {
    var result = new LinkedHashMap<String, Object>();
    result.put("images", images);
    result.put("timings", Map.of("inference", inferenceTime.toMillis() / 1000.0));
    result.put("seed", request.seed() == null ? 0 : request.seed());
    result.put("has_nsfw_concepts", images.stream().map(i -> false).toList());
    result.put("prompt", request.prompt());
    return result;
  }
}
