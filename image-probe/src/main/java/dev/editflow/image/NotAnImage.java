package dev.editflow.image;

/** The bytes are not an image of a type we store, or its header is broken. */
public class NotAnImage extends RuntimeException {

  public NotAnImage(String detail) {
    super(detail);
  }

  public NotAnImage(String detail, Throwable cause) {
    super(detail, cause);
  }
}
