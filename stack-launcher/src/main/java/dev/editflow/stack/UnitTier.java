package dev.editflow.stack;

/**
 * The build runs its unit tier ({@code *Tests}) with {@code editflow.tests.tier=unit} and no
 * infrastructure; a service process started there would hang on its database and broker, so the
 * launcher refuses at once with a message that says what to do.
 */
final class UnitTier {

  private UnitTier() {}

  static void refuse(String what) {
    if ("unit".equals(System.getProperty("editflow.tests.tier"))) {
      throw new IllegalStateException(
          "A unit test (*Tests) asked for "
              + what
              + "; the unit tier runs without infrastructure. Name the test class *IT so it"
              + " runs in `./mvnw verify`.");
    }
  }
}
