package dev.editflow.archiver.fetch;

/**
 * Policy refused to fetch a URL (scheme, host, port, address or redirect); retrying cannot help.
 */
public class MediaNotAllowed extends RuntimeException {

  public MediaNotAllowed(String detail) {
    super(detail);
  }
}
