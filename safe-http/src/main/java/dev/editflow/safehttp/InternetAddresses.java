package dev.editflow.safehttp;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Classifies IP addresses: anything but public unicast is refused (IANA special-purpose registries
 * for IPv4 and IPv6). Addresses that embed an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64,
 * 6to4) are judged by the embedded address, so {@code ::ffff:169.254.169.254} is metadata too.
 */
final class InternetAddresses {

  private record Range(
      byte[] prefix, int bits, String reason, boolean loopback, boolean privateNetwork) {

    static Range v4(String cidr, String reason) {
      return parse(cidr, reason, false, false);
    }

    static Range v6(String cidr, String reason) {
      return parse(cidr, reason, false, false);
    }

    static Range loopback(String cidr) {
      return parse(cidr, "a loopback address", true, false);
    }

    static Range privateNetwork(String cidr, String reason) {
      return parse(cidr, reason, false, true);
    }

    private static Range parse(
        String cidr, String reason, boolean loopback, boolean privateNetwork) {
      String[] parts = cidr.split("/");
      try {
        // Literals only: parsed, never looked up.
        byte[] prefix = InetAddress.getByName(parts[0]).getAddress();
        return new Range(prefix, Integer.parseInt(parts[1]), reason, loopback, privateNetwork);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException(cidr, e);
      }
    }

    boolean contains(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != prefix[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & mask) == (prefix[full] & mask);
    }
  }

  private static final List<Range> IPV4 =
      List.of(
          Range.v4("169.254.169.254/32", "the cloud metadata address"),
          Range.v4("168.63.129.16/32", "the Azure platform address"),
          Range.v4("0.0.0.0/8", "an unspecified ('this network') address"),
          Range.privateNetwork("10.0.0.0/8", "a private address"),
          Range.v4("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
          Range.loopback("127.0.0.0/8"),
          Range.v4("169.254.0.0/16", "a link-local address"),
          Range.privateNetwork("172.16.0.0/12", "a private address"),
          Range.v4("192.0.0.0/24", "an IETF protocol assignment"),
          Range.v4("192.0.2.0/24", "a documentation address"),
          Range.v4("192.88.99.0/24", "a 6to4 relay anycast address"),
          Range.privateNetwork("192.168.0.0/16", "a private address"),
          Range.v4("198.18.0.0/15", "a benchmarking address"),
          Range.v4("198.51.100.0/24", "a documentation address"),
          Range.v4("203.0.113.0/24", "a documentation address"),
          Range.v4("224.0.0.0/4", "a multicast address"),
          Range.v4("240.0.0.0/4", "a reserved or broadcast address"));

  private static final List<Range> IPV6 =
      List.of(
          Range.v6("fd00:ec2::254/128", "the cloud metadata address"),
          Range.v6("::/128", "the unspecified address"),
          Range.loopback("::1/128"),
          Range.v6("64:ff9b:1::/48", "a local-use NAT64 address"),
          Range.v6("100::/64", "a discard-only address"),
          Range.v6("2001::/23", "an IETF protocol assignment (e.g. Teredo)"),
          Range.v6("2001:db8::/32", "a documentation address"),
          Range.v6("3fff::/20", "a documentation address"),
          Range.v6("5f00::/16", "a segment-routing address"),
          Range.privateNetwork("fc00::/7", "a unique-local address"),
          Range.v6("fe80::/10", "a link-local address"),
          Range.v6("fec0::/10", "a site-local address"),
          Range.v6("ff00::/8", "a multicast address"));

  private InternetAddresses() {}

  /**
   * Why {@code address} must not be connected to, or empty if it is a public unicast address.
   *
   * @param allowLoopback whether loopback addresses (127/8, ::1) are acceptable
   */
  static Optional<String> blockReason(InetAddress address, boolean allowLoopback) {
    return blockReason(address, allowLoopback, false);
  }

  /**
   * As {@link #blockReason(InetAddress, boolean)}, optionally also accepting private networks
   * (10/8, 172.16/12, 192.168/16, fc00::/7) for a simulator inside a container network. Metadata
   * and link-local addresses stay refused.
   */
  static Optional<String> blockReason(
      InetAddress address, boolean allowLoopback, boolean allowPrivate) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16) {
      byte[] embedded = embeddedIpv4(bytes);
      if (embedded != null) {
        return match(IPV4, embedded, allowLoopback, allowPrivate)
            .map(r -> r + " (embedded in IPv6)");
      }
      return match(IPV6, bytes, allowLoopback, allowPrivate);
    }
    return match(IPV4, bytes, allowLoopback, allowPrivate);
  }

  private static Optional<String> match(
      List<Range> ranges, byte[] bytes, boolean allowLoopback, boolean allowPrivate) {
    for (Range range : ranges) {
      if (range.contains(bytes)) {
        boolean exempt =
            (range.loopback() && allowLoopback) || (range.privateNetwork() && allowPrivate);
        return exempt ? Optional.empty() : Optional.of(range.reason());
      }
    }
    return Optional.empty();
  }

  /**
   * The IPv4 address inside an IPv4-mapped ({@code ::ffff:0:0/96}), IPv4-compatible ({@code ::/96},
   * except {@code ::} and {@code ::1}), NAT64 ({@code 64:ff9b::/96}) or 6to4 ({@code 2002::/16})
   * address; {@literal null} for other addresses.
   */
  static byte @org.jspecify.annotations.Nullable [] embeddedIpv4(byte[] v6) {
    if (allZero(v6, 0, 10) && (v6[10] & 0xFF) == 0xFF && (v6[11] & 0xFF) == 0xFF) {
      return slice(v6, 12);
    }
    if (allZero(v6, 0, 12) && !(allZero(v6, 12, 15) && (v6[15] & 0xFF) <= 1)) {
      return slice(v6, 12);
    }
    if ((v6[0] & 0xFF) == 0x00
        && (v6[1] & 0xFF) == 0x64
        && (v6[2] & 0xFF) == 0xFF
        && (v6[3] & 0xFF) == 0x9B
        && allZero(v6, 4, 12)) {
      return slice(v6, 12);
    }
    if ((v6[0] & 0xFF) == 0x20 && (v6[1] & 0xFF) == 0x02) {
      return slice(v6, 2);
    }
    return null;
  }

  private static boolean allZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] slice(byte[] bytes, int from) {
    return new byte[] {bytes[from], bytes[from + 1], bytes[from + 2], bytes[from + 3]};
  }
}
