package dev.editflow.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The opaque identifier of an edit job, e.g. {@code ed_01JD3Q7ZK2M8T6X4V9W0B5N1C3}. Time-ordered (a
 * ULID) so that new jobs land at the end of the primary-key index.
 */
public record EditJobId(String value) {

  private static final String PREFIX = "ed_";
  private static final Pattern FORMAT = Pattern.compile("ed_[0-9A-HJKMNP-TV-Z]{26}");

  @JsonCreator
  public EditJobId {
    if (!isWellFormed(value)) {
      throw new IllegalArgumentException("Not an edit job id: " + Ulids.truncate(value));
    }
  }

  /** A new, unique, time-ordered id. */
  public static EditJobId generate() {
    return new EditJobId(PREFIX + Ulids.next());
  }

  /** Whether {@code candidate} has the shape of an edit job id; never throws. */
  public static boolean isWellFormed(String candidate) {
    return candidate != null && FORMAT.matcher(candidate).matches();
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }

  static final class Ulids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ulids() {}

    static String next() {
      char[] out = new char[26];
      long time = System.currentTimeMillis();
      for (int i = 9; i >= 0; i--) {
        out[i] = ALPHABET[(int) (time & 31)];
        time >>>= 5;
      }
      byte[] random = new byte[16];
      RANDOM.nextBytes(random);
      for (int i = 10; i < 26; i++) {
        out[i] = ALPHABET[random[i - 10] & 31];
      }
      return new String(out);
    }

    static String truncate(String value) {
      if (value == null) {
        return "null";
      }
      return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
  }
}
