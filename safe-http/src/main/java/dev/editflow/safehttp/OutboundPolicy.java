package dev.editflow.safehttp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides whether a URL we do not control may be called, following the OWASP SSRF prevention cheat
 * sheet: only allow-listed hosts ({@code *} for any host), only https (http only when explicitly
 * allowed for local use), no credentials in the URL, no ambiguous numeric host forms ({@code
 * 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}), and every address a host resolves to must be a
 * public unicast address, in any notation (IPv4-mapped, NAT64 and 6to4 addresses are judged by the
 * IPv4 address inside). Loopback can be allowed explicitly for tests and the local stack, private
 * networks for a simulator in a container network; link-local and metadata addresses never are.
 *
 * <p>The same policy object answers at two moments: when a URL is accepted (a client's {@code
 * webhookUrl} at submit, so the client hears about it) and when it is called ({@link PinnedHttp}
 * checks again, because DNS answers change).
 */
public final class OutboundPolicy {

  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern NUMERIC_LABEL = Pattern.compile("0x[0-9a-f]*|[0-9]+");
  private static final Pattern CANONICAL_IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

  private final List<HostPattern> allowedHosts;
  private final boolean allowHttp;
  private final boolean allowLoopback;
  private final boolean allowPrivate;

  /**
   * @param allowedHosts allow-list entries, see {@link HostPattern}
   * @param allowHttp also allow plain http (local use only)
   * @param allowLoopback allow loopback addresses (tests and the local stack only)
   */
  public OutboundPolicy(List<String> allowedHosts, boolean allowHttp, boolean allowLoopback) {
    this(allowedHosts, allowHttp, allowLoopback, false);
  }

  /**
   * @param allowPrivate allow private-network addresses (a simulator in a container network only)
   */
  public OutboundPolicy(
      List<String> allowedHosts, boolean allowHttp, boolean allowLoopback, boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
    this.allowedHosts = allowedHosts.stream().map(HostPattern::parse).toList();
    this.allowHttp = allowHttp;
    this.allowLoopback = allowLoopback;
  }

  /** A URL that passed every check that does not need DNS. */
  public record CheckedUrl(URI uri, boolean tls, String host, int port, String hostHeader) {

    /** Whether the host is an IP literal, so checking it needs no DNS. */
    public boolean hostIsAddress() {
      return isIpLiteral(host);
    }
  }

  /**
   * Checks everything about {@code url} that can be decided without DNS.
   *
   * @throws UrlNotAllowed with the reason, if the URL must not be fetched
   */
  public CheckedUrl check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new UrlNotAllowed("not a valid URL: " + e.getMessage());
    }
    return check(uri);
  }

  public CheckedUrl check(URI uri) {
    if (!uri.isAbsolute() || uri.isOpaque()) {
      throw new UrlNotAllowed("not an absolute hierarchical URL");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean tls = scheme.equals("https");
    if (!tls && !(scheme.equals("http") && allowHttp)) {
      throw new UrlNotAllowed("scheme '" + scheme + "' is not allowed");
    }
    if (uri.getRawUserInfo() != null) {
      throw new UrlNotAllowed("credentials in the URL are not allowed");
    }
    if (uri.getHost() == null) {
      // java.net.URI falls back to a registry-based authority for anything that is not a valid
      // host name or IP literal (e.g. "0x7f.1", "evil.com\\@fal.media"): never fetch those.
      throw new UrlNotAllowed(
          "the URL has no valid host (authority '" + uri.getRawAuthority() + "')");
    }
    String host = canonicalHost(uri.getHost());
    int defaultPort = tls ? 443 : 80;
    int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
    if (allowedHosts.stream().noneMatch(p -> p.matches(host, port, defaultPort))) {
      throw new UrlNotAllowed("host " + host + ":" + port + " is not on the allow-list");
    }
    String hostHeader = uri.getRawAuthority().toLowerCase(Locale.ROOT);
    return new CheckedUrl(uri, tls, host, port, hostHeader);
  }

  /**
   * Checks every address a host resolved to; one bad address rejects the host, so a DNS answer that
   * mixes public and internal addresses cannot steer us inside.
   *
   * @throws UrlNotAllowed if any address is not a public unicast address
   */
  public void checkAddresses(String host, InetAddress[] addresses) {
    if (addresses.length == 0) {
      throw new UrlNotAllowed(host + " resolved to no address");
    }
    for (InetAddress address : addresses) {
      Optional<String> reason = InternetAddresses.blockReason(address, allowLoopback, allowPrivate);
      if (reason.isPresent()) {
        throw new UrlNotAllowed(
            host + " resolves to " + address.getHostAddress() + ", " + reason.get());
      }
    }
  }

  /**
   * Resolves the URL's host once and checks every address it resolved to; an IP literal is parsed,
   * never looked up.
   *
   * @return the checked addresses, to connect to without resolving again
   * @throws UrlNotAllowed if any address is not allowed
   * @throws UnknownHostException if the host does not resolve
   */
  public InetAddress[] addressesOf(CheckedUrl url, HostResolver resolver)
      throws UnknownHostException {
    InetAddress[] addresses = resolver.resolve(url.host());
    checkAddresses(url.host(), addresses);
    return addresses;
  }

  /**
   * The host as we compare it: lower case, no trailing dot, IP literals in one canonical form.
   *
   * @throws UrlNotAllowed for hosts with unusual characters or ambiguous numeric forms ({@code
   *     2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}, {@code 127.1}) that resolvers read as
   *     addresses in different ways
   */
  static String canonicalHost(String rawHost) {
    String host = rawHost.toLowerCase(Locale.ROOT);
    if (host.contains("%")) {
      throw new UrlNotAllowed("host '" + rawHost + "' has an IPv6 zone or escapes");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      InetAddress literal;
      try {
        // A bracketed literal is parsed, never looked up.
        literal = InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw new UrlNotAllowed("host '" + rawHost + "' is not a valid IPv6 literal");
      }
      return literal instanceof Inet6Address
          ? "[" + literal.getHostAddress() + "]"
          : literal.getHostAddress();
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    String[] labels = host.split("\\.", -1);
    for (String label : labels) {
      if (!HOST_NAME.matcher(label).matches()) {
        throw new UrlNotAllowed("host '" + rawHost + "' is not a plain host name");
      }
    }
    if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()
        && !CANONICAL_IPV4.matcher(host).matches()) {
      throw new UrlNotAllowed(
          "host '" + rawHost + "' is a numeric form of an address; only a.b.c.d is accepted");
    }
    return host;
  }

  /** Whether a canonical host is an IP literal (no SNI, no DNS). */
  static boolean isIpLiteral(String canonicalHost) {
    return canonicalHost.startsWith("[") || CANONICAL_IPV4.matcher(canonicalHost).matches();
  }

  @Override
  public String toString() {
    return "OutboundPolicy[allowedHosts=%s, allowHttp=%s, allowLoopback=%s, allowPrivate=%s]"
        .formatted(allowedHosts, allowHttp, allowLoopback, allowPrivate);
  }
}
