package dev.editflow.falsim.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One simulated fal model endpoint. {@link ModelRegistry} makes one for every model of the
 * catalogue; a model with an input schema of its own gets its own implementation.
 */
public interface SimulatedModel {

  /** Full model id as submitted, e.g. {@code fal-ai/nano-banana-pro/edit}. */
  String id();

  /** Validation errors of the raw JSON input, empty when it is acceptable. */
  List<FieldError> validate(Map<String, Object> input);

  /** The valid input in the simulator's terms. */
  EditRequest parse(Map<String, Object> input);

  /** Error location of the {@code index}-th input image, used for download and decode errors. */
  List<Object> imageLocation(int index);

  /**
   * The model's success body.
   *
   * @param request the parsed input
   * @param images fal file objects ({url, content_type, file_name, file_size, width, height})
   * @param inferenceTime how long the job was IN_PROGRESS
   */
  Map<String, Object> result(
      EditRequest request, List<Map<String, Object>> images, Duration inferenceTime);
}
