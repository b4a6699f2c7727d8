package dev.editflow.archiver.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignerTests {

  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

  /** The test vector published with the Standard Webhooks reference libraries. */
  @Test
  void reproducesTheStandardWebhooksTestVector() {
    String signature =
        WebhookSigner.sign(
            List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            BODY);

    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void signsWithEverySecretDuringARotation() {
    String signature =
        WebhookSigner.sign(
            List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_AAAAAAAAAAAAAAAAAAAAAA=="),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            BODY);

    assertThat(signature.split(" "))
        .containsExactly(
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSigner.signOne(
                "whsec_AAAAAAAAAAAAAAAAAAAAAA==",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                BODY));
  }
}
