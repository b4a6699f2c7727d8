package dev.editflow.gateway.edit;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.GatewayMetrics;
import dev.editflow.gateway.system.GatewaySettings;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.gateway.system.UserLimits;
import dev.editflow.gateway.upload.Upload;
import dev.editflow.gateway.upload.UploadChecks;
import dev.editflow.gateway.webhook.WebhookUrls;
import dev.editflow.jobs.EditInput;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.EditParameters;
import dev.editflow.jobs.NewEditJob;
import dev.editflow.jobs.tracing.JobSpan;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.model.EditJobId;
import dev.editflow.model.FalModel;
import java.math.BigDecimal;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts an edit: checks the request and its inputs, applies the Idempotency-Key, estimates the
 * cost and stores the job with its usage reservation and its {@code EditRequested} in one
 * transaction. Nothing is stored when any check fails.
 */
@Component
class EditSubmission {

  /** What came of a submit: a new job, or the job an earlier request with the same key made. */
  record Outcome(EditJob job, boolean replayed) {}

  private final EditJobs jobs;
  private final JobsByOwner owners;
  private final UploadChecks uploads;
  private final WebhookUrls webhookUrls;
  private final Usage usage;
  private final GatewaySettings settings;
  private final Pricing pricing;
  private final UserLimits userLimits;
  private final GatewayMetrics metrics;
  private final JsonMapper json;
  private final Clock clock;

  EditSubmission(
      EditJobs jobs,
      JobsByOwner owners,
      UploadChecks uploads,
      WebhookUrls webhookUrls,
      Usage usage,
      GatewaySettings settings,
      UserLimits userLimits,
      GatewayMetrics metrics,
      JsonMapper json,
      Clock clock) {
    this.jobs = jobs;
    this.owners = owners;
    this.uploads = uploads;
    this.webhookUrls = webhookUrls;
    this.usage = usage;
    this.settings = settings;
    this.pricing = new Pricing(settings.jobs().pricePerImage());
    this.userLimits = userLimits;
    this.metrics = metrics;
    this.json = json;
    this.clock = clock;
  }

  Outcome submit(EditForm form, String owner, String tier, @Nullable String idempotencyKey) {
    String fingerprint = fingerprint(form);
    if (idempotencyKey != null) {
      var earlier = owners.findByIdempotencyKey(owner, idempotencyKey);
      if (earlier.isPresent()) {
        return replay(earlier.get(), fingerprint);
      }
    }
    UserLimits.Effective limits = userLimits.of(owner);
    usage.countRequest(owner, limits.requestsPerMinute());
    FalModel model = ModelRules.model(form, settings.jobs().defaultModel());
    String outputFormat = ModelRules.checkedOutputFormat(model, form);
    if (form.webhookUrl() != null) {
      webhookUrls.check(form.webhookUrl());
    }
    List<EditInput> inputs = new ArrayList<>();
    for (EditForm.InputForm input : form.inputs()) {
      inputs.add(resolve(input, owner));
    }
    int images = form.numImages() == null ? 1 : form.numImages();
    BigDecimal cost = pricing.estimate(model, form.resolution(), images);
    NewEditJob job =
        new NewEditJob(
            EditJobId.generate(),
            owner,
            form.prompt(),
            model.id(),
            new EditParameters(
                images, form.aspectRatio(), form.resolution(), outputFormat, form.seed()),
            inputs,
            form.webhookUrl(),
            idempotencyKey,
            fingerprint,
            cost,
            clock.instant().plus(settings.jobs().deadline()),
            tier);
    try (JobSpan.Scope logged = JobTracing.jobIdInLogs(job.id())) {
      EditJob created = jobs.create(job, "user:" + owner, limits.forNewJob());
      metrics.accepted(model.id());
      return new Outcome(created, false);
    } catch (DuplicateKeyException raced) {
      // Another request with the same key committed first: answer as its replay would.
      return replay(
          owners
              .findByIdempotencyKey(owner, idempotencyKey)
              .orElseThrow(
                  () -> new RequestRejected(ApiError.IDEMPOTENCY_IN_FLIGHT, "Retry in a moment")),
          fingerprint);
    }
  }

  private Outcome replay(EditJob earlier, String fingerprint) {
    if (!fingerprint.equals(earlier.requestFingerprint())) {
      throw new RequestRejected(
          ApiError.IDEMPOTENCY_KEY_REUSED,
          "This Idempotency-Key was already used with a different request body");
    }
    return new Outcome(earlier, true);
  }

  private EditInput resolve(EditForm.InputForm input, String owner) {
    boolean hasUpload = input.uploadId() != null;
    boolean hasUrl = input.url() != null;
    if (hasUpload == hasUrl) {
      throw RequestRejected.field("inputs", "each input has exactly one of uploadId or url");
    }
    if (hasUpload) {
      Upload upload = uploads.check(input.uploadId(), owner);
      return EditInput.upload(upload.id(), upload.objectKey());
    }
    List<String> allowed = settings.urlInputs().allowedHosts();
    URI url = checkUrl(input.url(), "inputs.url");
    if (allowed.isEmpty() || !allowed.contains(url.getHost().toLowerCase(Locale.ROOT))) {
      throw new RequestRejected(
          ApiError.URL_NOT_ALLOWED, "Input URLs are only accepted from " + allowed);
    }
    return EditInput.url(url.toString());
  }

  private static URI checkUrl(String value, String field) {
    URI url;
    try {
      url = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw RequestRejected.field(field, "is not a URL");
    }
    if (!"https".equalsIgnoreCase(url.getScheme())
        || url.getHost() == null
        || url.getRawUserInfo() != null) {
      throw new RequestRejected(
          ApiError.URL_NOT_ALLOWED, field + " must be an https URL without credentials");
    }
    return url;
  }

  /** The same request body always gives the same fingerprint, whatever the JSON key order. */
  private String fingerprint(EditForm form) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(form)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
