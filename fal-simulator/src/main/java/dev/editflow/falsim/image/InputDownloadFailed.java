package dev.editflow.falsim.image;

/**
 * An input image URL could not be fetched (unreachable, non-2xx, expired presigned URL, too big).
 */
public class InputDownloadFailed extends Exception {

  public InputDownloadFailed(String message) {
    super(message);
  }
}
