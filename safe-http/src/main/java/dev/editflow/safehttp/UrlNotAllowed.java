package dev.editflow.safehttp;

/**
 * The policy refuses to call a URL (scheme, host, port, resolved address, or a redirect to such a
 * URL); calling again cannot help.
 */
public class UrlNotAllowed extends RuntimeException {

  public UrlNotAllowed(String detail) {
    super(detail);
  }
}
