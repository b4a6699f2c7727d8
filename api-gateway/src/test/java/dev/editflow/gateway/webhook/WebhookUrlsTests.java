package dev.editflow.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.safehttp.HostResolver;
import dev.editflow.safehttp.OutboundPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The submit-time check with the local stack's relaxed settings (plain http and loopback allowed):
 * metadata, link-local and private addresses stay refused in every notation, and so does a name
 * that resolves to them. DNS is a fake here.
 */
class WebhookUrlsTests {

  private static final HostResolver DNS =
      host ->
          switch (host) {
            case "metadata.example.com" ->
                new InetAddress[] {InetAddress.getByName("169.254.169.254")};
            case "intranet.example.com" -> new InetAddress[] {InetAddress.getByName("10.0.0.5")};
            case "split.example.com" ->
                new InetAddress[] {
                  InetAddress.getByName("93.184.215.14"), InetAddress.getByName("192.168.0.10")
                };
            case "hooks.example.com" -> new InetAddress[] {InetAddress.getByName("93.184.215.14")};
            case "localhost" -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            case "slow.example.com" -> {
              try {
                Thread.sleep(5_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              yield new InetAddress[] {InetAddress.getByName("10.0.0.5")};
            }
            default -> {
              if (host.matches("[0-9.]+") || host.startsWith("[")) {
                yield InetAddress.getAllByName(host);
              }
              throw new UnknownHostException(host);
            }
          };

  private final WebhookUrls local =
      new WebhookUrls(new OutboundPolicy(List.of("*"), true, true), DNS, Duration.ofMillis(300));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/hook",
        "http://[::ffff:169.254.169.254]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        "http://2852039166/",
        "http://0xa9fea9fe/",
        "http://0251.0376.0251.0376/",
        "http://169.254.43518/",
        "http://metadata.example.com/latest/meta-data/",
        "http://intranet.example.com/hook",
        "http://split.example.com/hook",
        "file:///etc/passwd",
      })
  void refusesWhatTheSenderWouldNeverCall(String url) {
    assertThatThrownBy(() -> local.check(url))
        .as(url)
        .isInstanceOfSatisfying(
            RequestRejected.class,
            e -> assertThat(e.error()).isEqualTo(ApiError.WEBHOOK_URL_NOT_ALLOWED));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:9999/hook",
        "http://localhost:9999/hook",
        "https://hooks.example.com/hook",
        "https://93.184.215.14/hook",
        "https://not-registered-yet.example.com/hook",
      })
  void acceptsLoopbackLocallyPublicAddressesAndNamesThatDoNotResolveYet(String url) {
    assertThatCode(() -> local.check(url)).as(url).doesNotThrowAnyException();
  }

  @Test
  void neverTellsTheCallerWhereAnInternalNameResolvesTo() {
    assertThatThrownBy(() -> local.check("http://intranet.example.com/hook"))
        .hasMessageContaining("intranet.example.com")
        .hasMessageNotContaining("10.0.0.5");
  }

  @Test
  void acceptsANameThatDoesNotResolveWithinTheLookupTimeout() {
    // It would resolve to 10.0.0.5 after 5 s; the submit does not wait for it.
    assertThatCode(() -> local.check("https://slow.example.com/hook")).doesNotThrowAnyException();
  }

  @Test
  void refusesLoopbackWhenTheSettingDoesNotAllowIt() {
    WebhookUrls production =
        new WebhookUrls(
            new OutboundPolicy(List.of("*"), false, false), DNS, Duration.ofMillis(300));

    assertThatThrownBy(() -> production.check("https://localhost/hook"))
        .isInstanceOf(RequestRejected.class);
    assertThatThrownBy(() -> production.check("http://hooks.example.com/hook"))
        .isInstanceOf(RequestRejected.class);
  }
}
