package dev.editflow.safehttp;

import java.util.Locale;

/**
 * One allow-list entry: an exact host ({@code v3.fal.media}), a wildcard for subdomains ({@code
 * *.fal.media}, not matching {@code fal.media} itself) or an IP literal, optionally with a port
 * ({@code 127.0.0.1:8090}, {@code [::1]:8090}). Without a port only the scheme's default port is
 * allowed. {@code *} alone allows any host and port (client webhooks).
 *
 * @param port the port, or -1 for the scheme's default port
 */
record HostPattern(String host, boolean wildcard, int port) {

  /** {@code *}: any host on any port; the addresses it resolves to are still checked. */
  private static final HostPattern ANY_HOST = new HostPattern("", true, -1);

  static HostPattern parse(String entry) {
    String value = entry.trim().toLowerCase(Locale.ROOT);
    if (value.isEmpty() || value.contains("/") || value.contains("@")) {
      throw new IllegalArgumentException("Not a host allow-list entry: '" + entry + "'");
    }
    if (value.equals("*")) {
      return ANY_HOST;
    }
    int port = -1;
    String host;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("Unclosed IPv6 literal in '" + entry + "'");
      }
      host = OutboundPolicy.canonicalHost(value.substring(0, close + 1));
      if (close + 1 < value.length()) {
        port = parsePort(value.substring(close + 1), entry);
      }
    } else {
      int colon = value.lastIndexOf(':');
      if (colon >= 0) {
        port = parsePort(value.substring(colon), entry);
        value = value.substring(0, colon);
      }
      host = value;
    }
    boolean wildcard = host.startsWith("*.");
    if (wildcard) {
      host = host.substring(2);
    }
    if (host.isEmpty() || host.contains("*")) {
      throw new IllegalArgumentException(
          "Wildcards are only allowed as '*.domain': '" + entry + "'");
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return new HostPattern(host, wildcard, port);
  }

  private static int parsePort(String colonAndPort, String entry) {
    if (!colonAndPort.startsWith(":") || !colonAndPort.substring(1).matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("Bad port in allow-list entry '" + entry + "'");
    }
    int port = Integer.parseInt(colonAndPort.substring(1));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("Bad port in allow-list entry '" + entry + "'");
    }
    return port;
  }

  /**
   * @param canonicalHost lower case, no trailing dot, IPv6 in canonical form
   * @param effectivePort the URL's port, default port filled in
   */
  boolean matches(String canonicalHost, int effectivePort, int defaultPort) {
    if (this == ANY_HOST) {
      return true;
    }
    boolean hostMatches =
        wildcard ? canonicalHost.endsWith("." + host) : canonicalHost.equals(host);
    int wantedPort = port == -1 ? defaultPort : port;
    return hostMatches && effectivePort == wantedPort;
  }

  @Override
  public String toString() {
    if (this == ANY_HOST) {
      return "*";
    }
    return (wildcard ? "*." : "") + host + (port == -1 ? "" : ":" + port);
  }
}
