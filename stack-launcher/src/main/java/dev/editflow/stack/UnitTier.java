package dev.editflow.stack;

/**
 * The unit tier ({@code *Tests}, run by surefire) needs no infrastructure. The build runs it with
 * {@code editflow.tests.tier=unit} and every database, broker and Docker address pointing at a
 * closed port; what would reach infrastructure (test-support's database, broker and Docker, and the
 * service processes started here) refuses at once with a message that says what to do, rather than
 * hang on a connection or quietly use the machine's services. Outside the tests the property is
 * never set and nothing is refused.
 */
public final class UnitTier {

  private UnitTier() {}

  public static boolean active() {
    return "unit".equals(System.getProperty("editflow.tests.tier"));
  }

  /**
   * @throws IllegalStateException in the unit tier, naming {@code what} was asked for
   */
  public static void refuse(String what) {
    if (active()) {
      throw new IllegalStateException(
          "A unit test (*Tests) asked for "
              + what
              + "; the unit tier runs without infrastructure. Name the test class *IT so it"
              + " runs in `./mvnw verify`.");
    }
  }
}
