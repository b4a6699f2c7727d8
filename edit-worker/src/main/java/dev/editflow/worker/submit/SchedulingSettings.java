package dev.editflow.worker.submit;

import dev.editflow.jobs.NewEditJob;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the fal account's slots are shared between users.
 *
 * @param tierWeights each tier's weight: a user of weight 4 gets four slots to a weight-1 user's
 *     one while both have jobs waiting; a tier not listed weighs as much as {@code free}
 */
@ConfigurationProperties("editflow.scheduling")
record SchedulingSettings(Map<String, Double> tierWeights) {

  SchedulingSettings {
    tierWeights = tierWeights == null ? Map.of() : Map.copyOf(tierWeights);
    tierWeights.forEach(
        (tier, weight) -> {
          if (!(weight > 0)) {
            throw new IllegalArgumentException(
                "editflow.scheduling.tier-weights." + tier + " must be above 0, not " + weight);
          }
        });
  }

  double weight(String tier) {
    Double weight = tierWeights.get(tier);
    return weight != null ? weight : tierWeights.getOrDefault(NewEditJob.DEFAULT_TIER, 1.0);
  }

  /**
   * Tiers below the heaviest ask fal for low queue priority: where requests do queue at fal (no
   * {@code fal-concurrency} set, or fal's own cold starts) the heavier tiers' requests pass them.
   */
  boolean lowPriorityAtFal(String tier) {
    return tierWeights.values().stream().anyMatch(heavier -> heavier > weight(tier));
  }
}
