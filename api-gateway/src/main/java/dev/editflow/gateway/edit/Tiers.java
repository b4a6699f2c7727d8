package dev.editflow.gateway.edit;

import dev.editflow.jobs.NewEditJob;
import java.util.regex.Pattern;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A caller's tier, from the token's {@code tier} claim: it buys a share of the fal account (the
 * worker's {@code editflow.scheduling.tier-weights}). No claim, or one that is no tier name, is the
 * default tier; the name becomes a metric tag, so it is kept short and plain.
 */
final class Tiers {

  static final String CLAIM = "tier";
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,20}");

  private Tiers() {}

  static String of(Jwt caller) {
    String tier = caller.getClaimAsString(CLAIM);
    return tier != null && NAME.matcher(tier).matches() ? tier : NewEditJob.DEFAULT_TIER;
  }
}
