package dev.editflow.gateway.edit;

import dev.editflow.model.FalModel;
import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The estimated cost of a job: the catalogue's price per image, or the operator's override from
 * {@code editflow.gateway.jobs.price-per-image[<model>]}, times the resolution's factor, times the
 * images.
 */
final class Pricing {

  private final Map<String, BigDecimal> overrides;

  Pricing(Map<String, BigDecimal> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  BigDecimal estimate(FalModel model, @Nullable String resolution, int images) {
    return model.estimatedCost(
        overrides.getOrDefault(model.id(), model.pricePerImage()), resolution, images);
  }
}
