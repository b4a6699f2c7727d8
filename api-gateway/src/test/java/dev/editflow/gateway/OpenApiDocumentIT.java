package dev.editflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The checked-in {@code openapi.yaml} is what the code produces: the TypeScript client is generated
 * from that file, so a controller change that is not in the file fails here. {@code
 * bin/update-openapi} rewrites the file from the code.
 */
class OpenApiDocumentIT extends GatewayIntegrationTest {

  private static final Path CHECKED_IN = Path.of("openapi.yaml");

  @Test
  void checkedInDocumentIsWhatTheCodeProduces() throws IOException, InterruptedException {
    // The first request builds the document: give it time on a busy machine.
    HttpResponse<String> produced =
        HTTP.send(
            get("/v3/api-docs.yaml", null).timeout(Duration.ofMinutes(3)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
    String document = produced.body();
    if (Boolean.getBoolean("openapi.update")) {
      Files.writeString(CHECKED_IN, document, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(CHECKED_IN))
        .as("api-gateway/openapi.yaml is missing; run bin/update-openapi")
        .isTrue();
    assertThat(document)
        .as(
            "api-gateway/openapi.yaml differs from what the code produces; run bin/update-openapi"
                + " and review the diff")
        .isEqualTo(Files.readString(CHECKED_IN, StandardCharsets.UTF_8));
  }
}
