package dev.editflow.falsim.queue;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform headers of a submit call (FAL-API.md 1.4).
 *
 * @param lowPriority {@code X-Fal-Queue-Priority: low}
 * @param startTimeout {@code X-Fal-Request-Start-Timeout} (or the deprecated {@code
 *     X-Fal-Request-Timeout})
 * @param noRetry {@code X-Fal-No-Retry}
 * @param mediaLifetime {@code expiration_duration_seconds} of {@code
 *     X-Fal-Object-Lifecycle-Preference}; null when not sent
 * @param mediaNeverExpires the preference was sent with {@code expiration_duration_seconds: null}
 * @param storeIo false with {@code X-Fal-Store-IO: 0}
 */
record SubmitOptions(
    boolean lowPriority,
    @Nullable Duration startTimeout,
    boolean noRetry,
    @Nullable Duration mediaLifetime,
    boolean mediaNeverExpires,
    boolean storeIo) {

  private static final Set<String> YES = Set.of("1", "true", "yes");

  static SubmitOptions from(HttpServletRequest request, JsonMapper json) {
    String priority = request.getHeader("X-Fal-Queue-Priority");
    String start = request.getHeader("X-Fal-Request-Start-Timeout");
    if (start == null) {
      start = request.getHeader("X-Fal-Request-Timeout");
    }
    String noRetry = request.getHeader("X-Fal-No-Retry");
    Duration lifetime = null;
    boolean never = false;
    String lifecycle = request.getHeader("X-Fal-Object-Lifecycle-Preference");
    if (lifecycle != null) {
      try {
        Map<?, ?> preference = json.readValue(lifecycle, Map.class);
        if (preference.containsKey("expiration_duration_seconds")) {
          if (preference.get("expiration_duration_seconds") instanceof Number seconds) {
            lifetime = Duration.ofMillis((long) (seconds.doubleValue() * 1000));
          } else {
            never = preference.get("expiration_duration_seconds") == null;
          }
        }
      } catch (RuntimeException ignored) {
        // fal ignores malformed platform headers rather than failing the request.
      }
    }
    return new SubmitOptions(
        priority != null && "low".equalsIgnoreCase(priority.trim()),
        seconds(start),
        noRetry != null && YES.contains(noRetry.trim().toLowerCase(Locale.ROOT)),
        lifetime,
        never,
        !"0".equals(request.getHeader("X-Fal-Store-IO")));
  }

  private static @Nullable Duration seconds(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(value.trim());
      return seconds > 0.1 ? Duration.ofMillis((long) (seconds * 1000)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
