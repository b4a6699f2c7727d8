package dev.editflow.falsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class QueueLifecycleTests extends SimulatorTestSupport {

  @Test
  void walksThroughEveryStateWithFalStatusCodes() {
    JsonNode submitted = submit(NANO, editInput("make the sky purple"));
    assertThat(submitted.get("status").asString()).isEqualTo("IN_QUEUE");
    assertThat(submitted.get("queue_position").asInt()).isZero();
    String id = submitted.get("request_id").asString();
    assertThat(submitted.get("status_url").asString())
        .isEqualTo(baseUrl() + "/fal-ai/nano-banana/requests/" + id + "/status");
    assertThat(submitted.get("response_url").asString())
        .isEqualTo(baseUrl() + "/fal-ai/nano-banana/requests/" + id);
    assertThat(submitted.get("cancel_url").asString())
        .isEqualTo(baseUrl() + "/fal-ai/nano-banana/requests/" + id + "/cancel");

    Set<String> seen = ConcurrentHashMap.newKeySet();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              Response status = call("GET", submitted.get("status_url").asString(), null);
              String state = status.json().get("status").asString();
              assertThat(status.status()).isEqualTo("COMPLETED".equals(state) ? 200 : 202);
              assertThat(status.header("x-fal-request-id")).contains(id);
              seen.add(state);
              return "COMPLETED".equals(state);
            });
    assertThat(seen).contains("IN_QUEUE", "IN_PROGRESS", "COMPLETED");

    JsonNode completed =
        call("GET", submitted.get("status_url").asString() + "?logs=1", null).json();
    assertThat(completed.get("metrics").get("inference_time").asDouble()).isPositive();
    assertThat(completed.get("logs").size()).isPositive();
    assertThat(completed.has("error")).isFalse();
  }

  @Test
  void returnsRealImagesOfTheRequestedFormatAndSize() {
    settings("{\"output\":{\"long-side\":0}}");
    JsonNode submitted =
        submit(
            PRO,
            editInput(
                "invert it",
                "\"num_images\":2",
                "\"aspect_ratio\":\"16:9\"",
                "\"output_format\":\"jpeg\""));
    awaitCompleted(submitted);

    Response result = result(submitted);
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.header("x-fal-request-id")).contains(submitted.get("request_id").asString());
    JsonNode images = result.json().get("images");
    assertThat(images.size()).isEqualTo(2);
    for (JsonNode image : images) {
      assertThat(image.get("content_type").asString()).isEqualTo("image/jpeg");
      assertThat(image.get("width").asInt()).isEqualTo(1024);
      assertThat(image.get("height").asInt()).isEqualTo(576);
      Response file = callRaw("GET", image.get("url").asString(), null);
      assertThat(file.status()).isEqualTo(200);
      assertThat(file.header("content-type")).contains("image/jpeg");
      assertThat((long) file.raw().body().length).isEqualTo(image.get("file_size").asLong());
      assertThat(image.get("url").asString()).endsWith(image.get("file_name").asString());
      BufferedImage decoded = decode(file.raw().body());
      assertThat(decoded.getWidth()).isEqualTo(1024);
      assertThat(decoded.getHeight()).isEqualTo(576);
    }
  }

  @Test
  void keepsTheInputRatioForAutoAndHonoursResolution() {
    settings("{\"output\":{\"long-side\":0}}");
    String input =
        "{\"prompt\":\"p\",\"image_urls\":[\""
            + outside.imageUrl(300, 600, "jpg")
            + "\"],\"resolution\":\"2K\"}";
    JsonNode submitted = submit(PRO, input);
    awaitCompleted(submitted);

    JsonNode image = result(submitted).json().get("images").get(0);
    assertThat(image.get("content_type").asString()).isEqualTo("image/png");
    assertThat(image.get("width").asInt()).isEqualTo(1024);
    assertThat(image.get("height").asInt()).isEqualTo(2048);
    BufferedImage decoded = decode(callRaw("GET", image.get("url").asString(), null).raw().body());
    assertThat(decoded.getHeight()).isEqualTo(2048);
  }

  @Test
  void writesWebpOutputs() {
    JsonNode submitted = submit(NANO, editInput("webp please", "\"output_format\":\"webp\""));
    awaitCompleted(submitted);

    JsonNode image = result(submitted).json().get("images").get(0);
    assertThat(image.get("content_type").asString()).isEqualTo("image/webp");
    byte[] bytes = callRaw("GET", image.get("url").asString(), null).raw().body();
    assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("RIFF");
    assertThat(decode(bytes).getWidth()).isEqualTo(64);
  }

  @Test
  void servesFluxKontextWithItsOwnSchema() {
    String input =
        "{\"prompt\":\"kontext\",\"image_url\":\"" + outside.imageUrl(64, 64, "png") + "\"}";
    JsonNode submitted = submit(KONTEXT, input);
    assertThat(submitted.get("status_url").asString()).contains("/fal-ai/flux-pro/requests/");
    awaitCompleted(submitted);

    JsonNode result = result(submitted).json();
    assertThat(result.get("images").get(0).get("content_type").asString()).isEqualTo("image/jpeg");
    assertThat(result.get("has_nsfw_concepts").get(0).asBoolean()).isFalse();
    assertThat(result.get("prompt").asString()).isEqualTo("kontext");
  }

  @Test
  void streamsStatusChangesUntilCompleted() throws Exception {
    JsonNode submitted = submit(NANO, editInput("stream me"));
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(submitted.get("status_url").asString() + "/stream"))
            .header("Authorization", "Key " + KEY)
            .header("Accept", "text/event-stream")
            .build();
    var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    var events = response.body().filter(line -> line.startsWith("data:")).toList();

    assertThat(events).isNotEmpty();
    assertThat(events.getLast()).contains("\"status\":\"COMPLETED\"");
    assertThat(events).anyMatch(e -> e.contains("\"status\":\"IN_PROGRESS\""));
  }

  @Test
  void answersUnknownRequestsAndModelsWith404() {
    assertThat(call("GET", "/fal-ai/nano-banana/requests/nope/status", null).status())
        .isEqualTo(404);
    assertThat(call("POST", "/fal-ai/unknown-model", editInput("x")).status()).isEqualTo(404);
    JsonNode submitted = submit(NANO, editInput("wrong app"));
    String id = submitted.get("request_id").asString();
    assertThat(call("GET", "/fal-ai/flux-pro/requests/" + id + "/status", null).status())
        .isEqualTo(404);
  }
}
