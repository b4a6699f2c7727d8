package dev.editflow.archiver.fetch;

/**
 * The media host could not be reached or failed in a way that may pass: a network error, a timeout,
 * 5xx or 429, a truncated body. Worth retrying later.
 */
public class MediaUnreachable extends RuntimeException {

  public MediaUnreachable(String detail) {
    super(detail);
  }

  public MediaUnreachable(String detail, Throwable cause) {
    super(detail, cause);
  }
}
