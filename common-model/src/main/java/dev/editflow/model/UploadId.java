package dev.editflow.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** The opaque identifier of an uploaded input image, e.g. {@code up_01JD3Q7ZK2M8T6X4V9W0B5N1C3}. */
public record UploadId(String value) {

  private static final Pattern FORMAT = Pattern.compile("up_[0-9A-HJKMNP-TV-Z]{26}");

  @JsonCreator
  public UploadId {
    if (!isWellFormed(value)) {
      throw new IllegalArgumentException("Not an upload id: " + EditJobId.Ulids.truncate(value));
    }
  }

  public static UploadId generate() {
    return new UploadId("up_" + EditJobId.Ulids.next());
  }

  /** Whether {@code candidate} has the shape of an upload id; never throws. */
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
}
