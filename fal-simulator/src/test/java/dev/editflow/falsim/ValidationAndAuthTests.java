package dev.editflow.falsim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ValidationAndAuthTests extends SimulatorTestSupport {

  @Test
  void reportsInvalidInputFromTheResultByDefault() {
    JsonNode submitted =
        submit(NANO, "{\"image_urls\":[],\"num_images\":9,\"aspect_ratio\":\"7:7\"}");
    JsonNode status = awaitCompleted(submitted);
    assertThat(status.get("error_type").asString()).isEqualTo("missing");

    Response result = result(submitted);
    assertThat(result.status()).isEqualTo(422);
    assertThat(result.header("x-fal-request-id")).isPresent();
    JsonNode detail = result.json().get("detail");
    assertThat(detail.findValuesAsString("type"))
        .contains("missing", "too_short", "less_than_equal", "literal_error");
    assertThat(detail.get(0).get("loc").toString()).isEqualTo("[\"body\",\"prompt\"]");
  }

  @Test
  void rejectsInvalidInputAtSubmitWhenConfigured() {
    settings("{\"validation\":\"SUBMIT\"}");

    Response response =
        call("POST", "/" + PRO, "{\"prompt\":\"p\",\"image_urls\":[\"x\"],\"resolution\":\"8K\"}");

    assertThat(response.status()).isEqualTo(422);
    JsonNode error = response.json().get("detail").get(0);
    assertThat(error.get("loc").toString()).isEqualTo("[\"body\",\"resolution\"]");
    assertThat(error.get("type").asString()).isEqualTo("literal_error");
  }

  @Test
  void failsJobsWhoseInputCannotBeDownloaded() {
    String input =
        "{\"prompt\":\"p\",\"image_urls\":[\""
            + outside.imageUrl(10, 10, "png")
            + "\",\""
            + outside.missingUrl()
            + "\"]}";
    JsonNode submitted = submit(NANO, input);

    JsonNode status = awaitCompleted(submitted);
    assertThat(status.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(status.get("error_type").asString()).isEqualTo("file_download_error");
    Response result = result(submitted);
    assertThat(result.status()).isEqualTo(422);
    JsonNode error = result.json().get("detail").get(0);
    assertThat(error.get("type").asString()).isEqualTo("file_download_error");
    assertThat(error.get("loc").toString()).isEqualTo("[\"body\",\"image_urls\",1]");
  }

  @Test
  void failsJobsWhoseInputIsNotAnImage() {
    JsonNode submitted =
        submit(
            NANO,
            "{\"prompt\":\"p\",\"image_urls\":[\"" + outside.baseUrl() + "/not-an-image.png\"]}");

    assertThat(awaitCompleted(submitted).get("error_type").asString())
        .isEqualTo("image_load_error");
  }

  @Test
  void requiresAnApiKey() {
    Response missing = callRaw("POST", "/" + NANO, editInput("no key"));
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().get("detail").asString()).isNotBlank();
    assertThat(
            callRaw(
                    "GET",
                    "/fal-ai/nano-banana/requests/x/status",
                    null,
                    "Authorization",
                    "Bearer x")
                .status())
        .isEqualTo(401);
  }

  @Test
  void restrictsToOneKeyWhenConfigured() {
    settings("{\"required-key\":\"the-one\"}");

    assertThat(call("POST", "/" + NANO, editInput("wrong key")).status()).isEqualTo(401);
    assertThat(
            callRaw("POST", "/" + NANO, editInput("right key"), "Authorization", "Key the-one")
                .status())
        .isEqualTo(200);
  }
}
