package dev.editflow.archiver.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The URL checks that need no DNS: schemes, hosts, ports, credentials, numeric forms. */
class MediaPolicyTests {

  private final MediaPolicy production =
      new MediaPolicy(
          List.of("v3.fal.media", "v3b.fal.media", "fal.media", "*.fal.media"), false, false);

  private final MediaPolicy local =
      new MediaPolicy(List.of("v3.fal.media", "127.0.0.1:8090", "[::1]:8090"), true, true);

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
    assertThatThrownBy(() -> production.check(url)).isInstanceOf(MediaNotAllowed.class);
  }

  @Test
  void allowsPlainHttpToTheLocalSimulatorOnlyWhenConfigured() {
    MediaPolicy.CheckedUrl checked = local.check("http://127.0.0.1:8090/files/out.png");

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
    assertThatThrownBy(() -> local.check(url)).isInstanceOf(MediaNotAllowed.class);
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
    assertThatThrownBy(() -> MediaPolicy.canonicalHost(host)).isInstanceOf(MediaNotAllowed.class);
  }

  @Test
  void aStarAllowsAnyHostAndPortButStillRefusesInternalAddresses() throws Exception {
    MediaPolicy anyHost = new MediaPolicy(List.of("*"), false, false);

    assertThat(anyHost.check("https://hooks.example.com:8443/editflow").host())
        .isEqualTo("hooks.example.com");
    assertThatThrownBy(() -> anyHost.check("http://hooks.example.com/editflow"))
        .isInstanceOf(MediaNotAllowed.class);
    assertThatThrownBy(
            () ->
                anyHost.checkAddresses(
                    "hooks.example.com",
                    new java.net.InetAddress[] {java.net.InetAddress.getByName("169.254.169.254")}))
        .isInstanceOf(MediaNotAllowed.class);
  }

  @Test
  void rejectsMalformedAllowListEntries() {
    for (String entry :
        List.of("", "**", "*:443", "a.*.b", "https://v3.fal.media", "host:0", "host:x")) {
      assertThatThrownBy(() -> new MediaPolicy(List.of(entry), false, false))
          .as(entry)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
