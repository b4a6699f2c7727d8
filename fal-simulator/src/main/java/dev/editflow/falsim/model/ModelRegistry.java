package dev.editflow.falsim.model;

import dev.editflow.model.FalModel;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Every model of editflow's catalogue ({@link FalModel}), by full model id, with the schema of its
 * input shape.
 */
@Component
public class ModelRegistry {

  private final Map<String, SimulatedModel> models =
      Arrays.stream(FalModel.values())
          .map(ModelRegistry::simulated)
          .collect(Collectors.toUnmodifiableMap(SimulatedModel::id, Function.identity()));

  public Optional<SimulatedModel> find(String modelId) {
    return Optional.ofNullable(models.get(modelId));
  }

  private static SimulatedModel simulated(FalModel model) {
    return switch (model.inputShape()) {
      case IMAGE_URLS -> new ImageListModel(model);
      case IMAGE_URL -> new SingleImageModel(model);
    };
  }
}
