package dev.editflow.fal;

import java.util.Set;

/**
 * fal model ids: {@code owner/app[/path]}; status, result and cancel use only {@code owner/app}.
 * Ids in a namespace ({@code workflows/…}, {@code comfy/…}) keep the namespace in front.
 */
final class EndpointId {

  private static final Set<String> NAMESPACES = Set.of("workflows", "comfy");

  private EndpointId() {}

  static String ownerAndApp(String modelId) {
    String[] parts = modelId.split("/");
    int keep = NAMESPACES.contains(parts[0]) ? 3 : 2;
    if (parts.length < keep) {
      throw new IllegalArgumentException("Not a fal model id: " + modelId);
    }
    return String.join("/", java.util.Arrays.copyOf(parts, keep));
  }
}
