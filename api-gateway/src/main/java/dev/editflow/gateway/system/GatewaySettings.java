package dev.editflow.gateway.system;

import dev.editflow.model.FalModel;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the gateway can be told, under {@code editflow.gateway}.
 *
 * @param maxRequestBody the largest request body; API requests are small JSON documents (images go
 *     straight to S3), so anything larger is refused before it is read
 */
@ConfigurationProperties("editflow.gateway")
public record GatewaySettings(
    @DefaultValue Auth auth,
    @DefaultValue Uploads uploads,
    @DefaultValue Jobs jobs,
    @DefaultValue Limits limits,
    @DefaultValue UrlInputs urlInputs,
    @DefaultValue FalWebhooks falWebhooks,
    @DefaultValue Cors cors,
    @DefaultValue Load load,
    @DefaultValue("64KB") DataSize maxRequestBody) {

  /**
   * @param hmacSecret shared secret of HS256 tokens (at least 32 bytes); ignored when {@code
   *     spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri} is set
   */
  public record Auth(String hmacSecret) {
    @Override
    public String toString() {
      return "Auth[hmacSecret=****]";
    }
  }

  /**
   * @param maxBytes the largest upload accepted
   * @param allowedTypes image types accepted
   * @param urlTtl lifetime of the presigned PUT URL
   * @param expiry how long an upload may wait before a job uses it
   * @param maxSide the largest width or height of an input image
   * @param maxPixels the most pixels of an input image (guards against decompression bombs)
   * @param sweepInterval how often uploads no job used are deleted once past their expiry
   */
  public record Uploads(
      @DefaultValue("50MB") DataSize maxBytes,
      @DefaultValue({"image/png", "image/jpeg", "image/webp"}) List<String> allowedTypes,
      @DefaultValue("15m") Duration urlTtl,
      @DefaultValue("1h") Duration expiry,
      @DefaultValue("8192") int maxSide,
      @DefaultValue("40000000") long maxPixels,
      @DefaultValue("5m") Duration sweepInterval) {}

  /**
   * @param deadline how long a job may take end to end before it is {@code TIMED_OUT}
   * @param defaultModel the model used when a request names none
   * @param pricePerImage estimated USD per image of a model, overriding the model catalogue's price
   *     ({@link FalModel#pricePerImage()}); the catalogue's resolution factors still apply
   * @param outputUrlTtl lifetime of the presigned GET URLs of outputs, re-signed on every read
   */
  public record Jobs(
      @DefaultValue("10m") Duration deadline,
      @DefaultValue("fal-ai/nano-banana-pro/edit") String defaultModel,
      @DefaultValue Map<String, BigDecimal> pricePerImage,
      @DefaultValue("15m") Duration outputUrlTtl) {

    public Jobs {
      pricePerImage = Map.copyOf(pricePerImage);
      if (FalModel.byId(defaultModel).isEmpty()) {
        throw new IllegalArgumentException(
            "editflow.gateway.jobs.default-model must be one of " + FalModel.ids());
      }
      for (String model : pricePerImage.keySet()) {
        if (FalModel.byId(model).isEmpty()) {
          throw new IllegalArgumentException(
              "editflow.gateway.jobs.price-per-image["
                  + model
                  + "] names no model of "
                  + FalModel.ids());
        }
      }
    }
  }

  /**
   * @param requestsPerMinute create/upload requests per user and minute
   * @param maxActiveJobs unfinished jobs per user
   * @param dailyImages images per user and UTC day
   * @param dailyBudgetUsd estimated spend of all users per UTC day
   */
  public record Limits(
      @DefaultValue("120") int requestsPerMinute,
      @DefaultValue("20") int maxActiveJobs,
      @DefaultValue("200") int dailyImages,
      @DefaultValue("50") BigDecimal dailyBudgetUsd) {}

  /**
   * @param allowedHosts https hosts input URLs may point at; empty turns URL inputs off
   */
  public record UrlInputs(@DefaultValue({}) List<String> allowedHosts) {}

  /**
   * @param enabled accept fal webhooks at {@code /v1/fal/webhooks}
   * @param jwksUrl where fal publishes the keys webhooks are signed with
   */
  public record FalWebhooks(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("https://rest.alpha.fal.ai/.well-known/jwks.json") URI jwksUrl) {}

  /**
   * @param allowedOrigins browser origins allowed to call the API (the frontend)
   */
  public record Cors(@DefaultValue({}) List<String> allowedOrigins) {}

  /**
   * What one instance takes on before it sheds: beyond these bounds a request is answered at once
   * with a problem and {@code Retry-After}, never queued.
   *
   * @param maxInFlight requests handled at once, event streams and the health and metrics endpoints
   *     excepted; more are {@code 503 OVERLOADED}
   * @param maxStreams open event streams; more are {@code 503 OVERLOADED}
   * @param maxStreamsPerUser open event streams per user; more are {@code 429 TOO_MANY_STREAMS}
   * @param retryAfter the {@code Retry-After} of a shed request
   * @param unreadyAfterShedding how long readiness stays {@code OUT_OF_SERVICE} after the instance
   *     last shed a request, so that a load balancer sends traffic elsewhere meanwhile
   */
  public record Load(
      @DefaultValue("200") int maxInFlight,
      @DefaultValue("1000") int maxStreams,
      @DefaultValue("10") int maxStreamsPerUser,
      @DefaultValue("2s") Duration retryAfter,
      @DefaultValue("5s") Duration unreadyAfterShedding) {}
}
