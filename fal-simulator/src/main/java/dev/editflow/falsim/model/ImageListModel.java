package dev.editflow.falsim.model;

import dev.editflow.model.FalModel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model that takes a list of {@code image_urls}, with the nano-banana edit schema (FAL-API.md
 * 6.1, 6.2); its resolutions, formats and default format come from the model catalogue.
 */
record ImageListModel(FalModel model) implements SimulatedModel {

  static final List<String> ASPECT_RATIOS =
      List.of("auto", "21:9", "16:9", "3:2", "4:3", "5:4", "1:1", "4:5", "3:4", "2:3", "9:16");
  static final List<String> SAFETY_TOLERANCES = List.of("1", "2", "3", "4", "5", "6");

  @Override
  public String id() {
    return model.id();
  }

  @Override
  public List<FieldError> validate(Map<String, Object> input) {
    var rules =
        new InputRules(input)
            .requiredString("prompt")
            .requiredUrlList("image_urls")
            .optionalIntRange("num_images", 1, 4)
            .optionalOneOf("aspect_ratio", ASPECT_RATIOS)
            .optionalOneOf("output_format", model.outputFormats())
            .optionalOneOf("safety_tolerance", SAFETY_TOLERANCES)
            .optionalIntRange("seed", Integer.MIN_VALUE, Integer.MAX_VALUE)
            .optionalBoolean("sync_mode")
            .optionalBoolean("limit_generations");
    if (model.takesResolution()) {
      rules.optionalOneOf("resolution", model.resolutions()).optionalBoolean("enable_web_search");
    }
    return rules.errors();
  }

  @Override
  @SuppressWarnings("unchecked")
  public EditRequest parse(Map<String, Object> input) {
    return new EditRequest(
        InputRules.string(input, "prompt", ""),
        List.copyOf((List<String>) input.get("image_urls")),
        InputRules.integer(input, "num_images", 1),
        InputRules.string(input, "aspect_ratio", "auto"),
        model.takesResolution()
            ? InputRules.string(input, "resolution", model.resolutions().getFirst())
            : "1K",
        InputRules.string(input, "output_format", model.defaultOutputFormat()),
        InputRules.seed(input));
  }

  @Override
  public List<Object> imageLocation(int index) {
    return List.of("body", "image_urls", index);
  }

  @Override
  public Map<String, Object> result(
      EditRequest request, List<Map<String, Object>> images, Duration inferenceTime) {
    var result = new LinkedHashMap<String, Object>();
    result.put("images", images);
    result.put("description", "Simulated edit: " + request.prompt());
    return result;
  }
}
