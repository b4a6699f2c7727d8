package dev.editflow.testsupport;

/**
 * The unit tier ({@code *Tests}, run by surefire) needs no infrastructure. The build runs it with
 * {@code editflow.tests.tier=unit} and every database, broker and Docker address pointing at a
 * closed port; the helpers that would reach infrastructure refuse at once with a message that says
 * what to do, rather than hang on a connection or quietly use the machine's services.
 */
final class UnitTier {

  private UnitTier() {}

  static boolean active() {
    return "unit".equals(System.getProperty("editflow.tests.tier"));
  }

  static void refuse(String what) {
    if (active()) {
      throw new IllegalStateException(
          "A unit test (*Tests) asked for "
              + what
              + "; the unit tier runs without infrastructure. Name the test class *IT so it"
              + " runs in `./mvnw verify`.");
    }
  }
}
