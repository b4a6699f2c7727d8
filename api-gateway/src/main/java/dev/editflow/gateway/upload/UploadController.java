package dev.editflow.gateway.upload;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.GatewayMetrics;
import dev.editflow.gateway.system.GatewaySettings;
import dev.editflow.gateway.system.ProblemResponses;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.gateway.system.UserLimits;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.model.UploadId;
import dev.editflow.storage.ObjectKeys;
import dev.editflow.storage.ObjectStoreSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@code POST /v1/uploads}: a presigned PUT straight to our bucket. Size and type are part of the
 * signature, so S3 itself refuses a different file; the bytes are checked again before a job may
 * use them.
 */
@RestController
@Tag(name = "uploads")
class UploadController {

  @Schema(name = "UploadRequest")
  record UploadForm(
      @Schema(
              example = "image/png",
              allowableValues = {"image/png", "image/jpeg", "image/webp"})
          @NotBlank
          String contentType,
      @Schema(description = "The file's exact size in bytes", example = "1843200")
          @NotNull
          @Positive
          Long contentLength,
      @Schema(example = "beach.png") @Nullable @Size(max = 255) String fileName) {}

  @Schema(
      name = "Upload",
      description =
          "Where to PUT the file: send exactly these headers and the announced number of bytes.")
  record UploadView(
      @Schema(example = "up_01JD3Q5S8V1Y3K7M2P9T4W6X0Z") String uploadId,
      @Schema(description = "A presigned S3 URL; size and type are part of its signature")
          String url,
      @Schema(allowableValues = "PUT") String method,
      @Schema(description = "Send exactly these headers with the PUT") Map<String, String> headers,
      Instant expiresAt,
      @Schema(example = "52428800") long maxBytes) {}

  private final Uploads uploads;
  private final S3Presigner presigner;
  private final ObjectStoreSettings storage;
  private final GatewaySettings settings;
  private final UserLimits userLimits;
  private final Usage usage;
  private final GatewayMetrics metrics;
  private final Clock clock;

  UploadController(
      Uploads uploads,
      S3Presigner presigner,
      ObjectStoreSettings storage,
      GatewaySettings settings,
      UserLimits userLimits,
      Usage usage,
      GatewayMetrics metrics,
      Clock clock) {
    this.uploads = uploads;
    this.presigner = presigner;
    this.storage = storage;
    this.settings = settings;
    this.userLimits = userLimits;
    this.usage = usage;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Operation(
      operationId = "createUpload",
      summary = "Get a URL to upload an image to",
      description =
          "Then PUT the file to url with the given headers. The bytes are checked (type, size,"
              + " dimensions) when an edit names the upload, before any money is spent.")
  @ProblemResponses({
    ApiError.UNSUPPORTED_IMAGE_TYPE,
    ApiError.UPLOAD_TOO_LARGE,
    ApiError.RATE_LIMITED
  })
  @PostMapping("/v1/uploads")
  @ResponseStatus(HttpStatus.CREATED)
  UploadView create(@Valid @RequestBody UploadForm form, @AuthenticationPrincipal Jwt caller) {
    var limits = settings.uploads();
    if (!limits.allowedTypes().contains(form.contentType())) {
      throw new RequestRejected(
          ApiError.UNSUPPORTED_IMAGE_TYPE, "contentType must be one of " + limits.allowedTypes());
    }
    if (form.contentLength() > limits.maxBytes().toBytes()) {
      throw new RequestRejected(
          ApiError.UPLOAD_TOO_LARGE,
          "contentLength must be at most " + limits.maxBytes().toBytes() + " bytes");
    }
    usage.countRequest(caller.getSubject(), userLimits.of(caller.getSubject()).requestsPerMinute());
    UploadId id = UploadId.generate();
    Instant now = clock.instant();
    String key = ObjectKeys.upload(id);
    var presigned =
        presigner.presignPutObject(
            r ->
                r.signatureDuration(limits.urlTtl())
                    .putObjectRequest(
                        p ->
                            p.bucket(storage.bucket())
                                .key(key)
                                .contentType(form.contentType())
                                .contentLength(form.contentLength())));
    uploads.save(
        new Upload(
            id.value(),
            caller.getSubject(),
            key,
            form.contentType(),
            form.contentLength(),
            form.fileName(),
            now,
            now.plus(limits.expiry()),
            null));
    metrics.uploadCreated();
    return new UploadView(
        id.value(),
        presigned.url().toString(),
        "PUT",
        Map.of("Content-Type", form.contentType()),
        presigned.expiration(),
        limits.maxBytes().toBytes());
  }
}
