package dev.editflow.falsim.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** All simulated models by full model id. */
@Component
public class ModelRegistry {

  private final Map<String, SimulatedModel> models;

  ModelRegistry(List<SimulatedModel> models) {
    this.models =
        models.stream()
            .collect(Collectors.toUnmodifiableMap(SimulatedModel::id, Function.identity()));
  }

  public Optional<SimulatedModel> find(String modelId) {
    return Optional.ofNullable(models.get(modelId));
  }
}
