package dev.editflow.safehttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The URL checks that need no DNS: schemes, hosts, ports, credentials, numeric forms. */
class OutboundPolicyTests {

  private final OutboundPolicy production =
      new OutboundPolicy(
          List.of("v3.fal.media", "v3b.fal.media", "fal.media", "*.fal.media"), false, false);

  private final OutboundPolicy local =
      new OutboundPolicy(List.of("v3.fal.media", "127.0.0.1:8090", "[::1]:8090"), true, true);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://v3.fal.media/files/rabbit/abc.png",
        "https://v3b.fal.media/files/b/x_y.png?token=1&b=2",
        "https://V3.FAL.MEDIA/files/a.png",
        "https://v3.fal.media./files/a.png",
        "https://fal.media/files/a.png",
        "https://cdn.eu.fal.media/a.png",
        "https://v3.fal.media:443/a.png",
      })
  void allowsFalMediaUrls(String url) {
    assertThat(production.check(url).tls()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // scheme
        "http://v3.fal.media/x.png",
        "ftp://v3.fal.media/x.png",
        "file:///etc/passwd",
        "gopher://v3.fal.media:70/_x",
        "jar:https://v3.fal.media/x.jar!/a",
        "data:image/png;base64,iVBORw0KGgo=",
        "//v3.fal.media/x.png",
        "/files/x.png",
        // host and port
        "https://v3.fal.media:8443/x.png",
        "https://fal.media.evil.com/x.png",
        "https://evilfal.media/x.png",
        "https://v3.fal.media.evil.com/x.png",
        "https://evil.com/x.png#@v3.fal.media",
        "https://evil.com\\@v3.fal.media/x.png",
        "https://v3.fal.media%2eevil.com/x.png",
        "https://v3.f\u0430l.media/x.png",
        "https:///x.png",
        // credentials
        "https://v3.fal.media@evil.com/x.png",
        "https://user:secret@v3.fal.media/x.png",
        "https://@v3.fal.media/x.png",
        // addresses and their numeric disguises
        "https://127.0.0.1/x.png",
        "https://169.254.169.254/latest/meta-data/",
        "https://2130706433/",
        "https://0x7f000001/",
        "https://0x7f.0.0.1/",
        "https://0177.0.0.1/",
        "https://127.1/",
        "https://127.0.0.01/",
        "https://[::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:7f00:1]/",
        "https://[fd00:ec2::254]/",
        "https://[fe80::1%25eth0]/",
        "not a url",
      })
  void refusesEverythingElse(String url) {
    assertThatThrownBy(() -> production.check(url)).isInstanceOf(UrlNotAllowed.class);
  }

  @Test
  void allowsPlainHttpToTheLocalSimulatorOnlyWhenConfigured() {
    OutboundPolicy.CheckedUrl checked = local.check("http://127.0.0.1:8090/files/out.png");

    assertThat(checked.tls()).isFalse();
    assertThat(checked.host()).isEqualTo("127.0.0.1");
    assertThat(checked.port()).isEqualTo(8090);
    assertThat(checked.hostHeader()).isEqualTo("127.0.0.1:8090");
    assertThat(local.check("http://[::1]:8090/files/out.png").host())
        .isEqualTo("[0:0:0:0:0:0:0:1]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/files/out.png",
        "http://127.0.0.1:8091/files/out.png",
        "http://localhost:8090/files/out.png",
        "http://2130706433:8090/files/out.png",
        "http://127.0.0.2:8090/files/out.png",
        "http://0.0.0.0:8090/files/out.png",
      })
  void keepsTheLocalSimulatorEntryExact(String url) {
    assertThatThrownBy(() -> local.check(url)).isInstanceOf(UrlNotAllowed.class);
  }

  @Test
  void matchesMappedIpv6LiteralsByTheirIpv4Address() {
    // Same address, so the same allow-list entry; the address check still applies afterwards.
    assertThat(local.check("http://[::ffff:127.0.0.1]:8090/x.png").host()).isEqualTo("127.0.0.1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2130706433",
        "0x7f000001",
        "0x7f.0.0.1",
        "0177.0.0.1",
        "127.1",
        "127.0.1",
        "127.0.0.01",
        "1.2.3.4.5",
        "256.1.1.1",
        "v3.fal.media.1",
        "a..b",
        "-a.fal.media",
        "a_b.fal.media",
      })
  void refusesAmbiguousOrMalformedHostNames(String host) {
    assertThatThrownBy(() -> OutboundPolicy.canonicalHost(host)).isInstanceOf(UrlNotAllowed.class);
  }

  @Test
  void aStarAllowsAnyHostAndPortButStillRefusesInternalAddresses() throws Exception {
    OutboundPolicy anyHost = new OutboundPolicy(List.of("*"), false, false);

    assertThat(anyHost.check("https://hooks.example.com:8443/editflow").host())
        .isEqualTo("hooks.example.com");
    assertThatThrownBy(() -> anyHost.check("http://hooks.example.com/editflow"))
        .isInstanceOf(UrlNotAllowed.class);
    assertThatThrownBy(
            () ->
                anyHost.checkAddresses(
                    "hooks.example.com",
                    new InetAddress[] {InetAddress.getByName("169.254.169.254")}))
        .isInstanceOf(UrlNotAllowed.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/hook",
        "http://[::ffff:169.254.169.254]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:a9fe:a9fe::1]/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        "http://127.0.0.1:8080/hook",
        "http://[::1]/hook",
        "http://0.0.0.0/",
        "http://192.168.1.10/",
      })
  void refusesWebhookUrlsAtForbiddenLiteralAddressesWithoutLookingAnythingUp(String url) {
    OutboundPolicy receivers = new OutboundPolicy(List.of("*"), true, false);

    assertThatThrownBy(
            () -> receivers.addressesOf(receivers.check(url), OutboundPolicyTests::parseLiteral))
        .as(url)
        .isInstanceOf(UrlNotAllowed.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://2852039166/",
        "http://0xa9fea9fe/",
        "http://0251.0376.0251.0376/",
        "http://169.254.43518/",
        "http://0x7f.1/",
      })
  void refusesWebhookUrlsWithNumericHostFormsOfAnyAddress(String url) {
    OutboundPolicy receivers = new OutboundPolicy(List.of("*"), true, true);

    assertThatThrownBy(() -> receivers.check(url)).as(url).isInstanceOf(UrlNotAllowed.class);
  }

  @Test
  void refusesANameThatResolvesToForbiddenAddressesAndAcceptsAPublicOne() throws Exception {
    OutboundPolicy receivers = new OutboundPolicy(List.of("*"), false, false);
    HostResolver dns =
        host ->
            switch (host) {
              case "hooks.example.com" ->
                  new InetAddress[] {InetAddress.getByName("93.184.215.14")};
              case "internal.example.com" -> new InetAddress[] {InetAddress.getByName("10.1.2.3")};
              case "localhost" ->
                  new InetAddress[] {
                    InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")
                  };
              default -> throw new UnknownHostException(host);
            };

    assertThat(receivers.addressesOf(receivers.check("https://hooks.example.com/e"), dns))
        .hasSize(1);
    assertThatThrownBy(
            () -> receivers.addressesOf(receivers.check("https://internal.example.com/e"), dns))
        .isInstanceOf(UrlNotAllowed.class)
        .hasMessageContaining("private");
    assertThatThrownBy(() -> receivers.addressesOf(receivers.check("https://localhost/e"), dns))
        .isInstanceOf(UrlNotAllowed.class)
        .hasMessageContaining("loopback");
    OutboundPolicy local = new OutboundPolicy(List.of("*"), true, true);
    assertThat(local.addressesOf(local.check("http://localhost:9999/e"), dns)).hasSize(2);
  }

  /** What the system resolver does with a literal: parse it; a name here fails the test. */
  private static InetAddress[] parseLiteral(String host) throws UnknownHostException {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!bare.contains(":") && !bare.matches("[0-9.]+")) {
      throw new AssertionError("a literal host was expected, not the name " + host);
    }
    return new InetAddress[] {InetAddress.getByName(bare)};
  }

  @Test
  void rejectsMalformedAllowListEntries() {
    for (String entry :
        List.of("", "**", "*:443", "a.*.b", "https://v3.fal.media", "host:0", "host:x")) {
      assertThatThrownBy(() -> new OutboundPolicy(List.of(entry), false, false))
          .as(entry)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
