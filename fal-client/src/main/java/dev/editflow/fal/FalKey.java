package dev.editflow.fal;

/**
 * A fal API key ({@code key} or {@code key_id:key_secret}). Its {@link #toString()} never shows the
 * key, so it cannot leak through logs, exception messages or actuator.
 */
public final class FalKey {

  private final String value;

  private FalKey(String value) {
    this.value = value;
  }

  public static FalKey of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("The fal key is empty: set FAL_KEY");
    }
    return new FalKey(value.strip());
  }

  String authorizationHeader() {
    return "Key " + value;
  }

  /** The text with every occurrence of the key masked, for logging what fal sent back. */
  String redact(String text) {
    String masked = text.replace(value, "****");
    int colon = value.indexOf(':');
    return colon < 0 ? masked : masked.replace(value.substring(colon + 1), "****");
  }

  @Override
  public String toString() {
    return "FalKey[****]";
  }
}
