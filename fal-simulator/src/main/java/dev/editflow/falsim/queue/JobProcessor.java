package dev.editflow.falsim.queue;

import dev.editflow.falsim.Dice;
import dev.editflow.falsim.LiveSettings;
import dev.editflow.falsim.SimulatorSettings;
import dev.editflow.falsim.image.ImageRenderer;
import dev.editflow.falsim.image.InputDownloadFailed;
import dev.editflow.falsim.image.InputDownloader;
import dev.editflow.falsim.image.InputNotAnImage;
import dev.editflow.falsim.image.OutputImage;
import dev.editflow.falsim.model.EditRequest;
import dev.editflow.falsim.model.FieldError;
import dev.editflow.falsim.model.SimulatedModel;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Runs one processing attempt the way a fal runner would: validate (when validation happens at
 * result time), roll the injected faults, download every input, render the outputs. Downloads run
 * on virtual threads; the CPU-heavy decode/render/encode part is bounded by a semaphore.
 */
@Component
class JobProcessor implements DisposableBean {

  private final InputDownloader downloader;
  private final ImageRenderer renderer;
  private final Dice dice;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore imageWork;

  JobProcessor(
      InputDownloader downloader, ImageRenderer renderer, Dice dice, LiveSettings settings) {
    this.downloader = downloader;
    this.renderer = renderer;
    this.dice = dice;
    this.imageWork = new Semaphore(Math.max(1, settings.get().imageWorkers()));
  }

  CompletableFuture<JobOutcome> process(Job job, SimulatorSettings settings) {
    return CompletableFuture.supplyAsync(() -> run(job, settings), executor);
  }

  @Override
  public void destroy() {
    executor.shutdownNow();
  }

  private JobOutcome run(Job job, SimulatorSettings settings) {
    SimulatedModel model = job.model();
    if (settings.validation() == SimulatorSettings.ValidationMode.RESULT) {
      List<FieldError> errors = model.validate(job.input());
      if (!errors.isEmpty()) {
        return JobOutcome.modelError(422, errors);
      }
    }
    EditRequest request = model.parse(job.input());
    if (dice.chance(settings.faults().contentPolicy())) {
      return JobOutcome.modelError(
          422,
          List.of(
              FieldError.of(
                  "prompt",
                  "The content could not be processed because it contained material flagged by a"
                      + " content checker.",
                  "content_policy_violation",
                  request.prompt())));
    }
    if (dice.chance(settings.faults().runnerFailure())) {
      return JobOutcome.runnerDisconnected();
    }
    var downloads = new ArrayList<byte[]>();
    for (int i = 0; i < request.imageUrls().size(); i++) {
      String url = request.imageUrls().get(i);
      try {
        downloads.add(downloader.download(url));
        job.log("Downloaded input image " + (i + 1) + ".");
      } catch (InputDownloadFailed e) {
        job.log("Input image " + (i + 1) + " could not be downloaded: " + e.getMessage() + ".");
        return JobOutcome.modelError(
            422,
            List.of(
                new FieldError(
                    model.imageLocation(i),
                    "Failed to download the file. Please check if the URL is accessible.",
                    "file_download_error",
                    url)));
      }
    }
    try {
      imageWork.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JobOutcome.runnerDisconnected();
    }
    try {
      var inputs = new ArrayList<BufferedImage>();
      for (int i = 0; i < downloads.size(); i++) {
        try {
          inputs.add(renderer.decode(downloads.get(i)));
        } catch (InputNotAnImage e) {
          return JobOutcome.modelError(
              422,
              List.of(
                  new FieldError(
                      model.imageLocation(i),
                      "Failed to load the image. Please ensure the image file is not corrupted and"
                          + " is in a supported format.",
                      "image_load_error",
                      request.imageUrls().get(i))));
        }
      }
      downloads.clear();
      Instant expiresAt = mediaExpiry(job, settings);
      var images = new ArrayList<Map<String, Object>>();
      for (int index = 0; index < request.numImages(); index++) {
        OutputImage image =
            renderer.render(
                inputs, request, index, job.id().substring(0, 8), settings.output(), expiresAt);
        images.add(fileJson(job, image));
      }
      job.log("Rendered " + images.size() + " image(s).");
      Instant started = job.startedAt();
      Duration elapsed = started == null ? Duration.ZERO : Duration.between(started, Instant.now());
      return JobOutcome.success(model.result(request, images, elapsed));
    } finally {
      imageWork.release();
    }
  }

  private static @Nullable Instant mediaExpiry(Job job, SimulatorSettings settings) {
    if (job.options().mediaNeverExpires()) {
      return null;
    }
    Duration lifetime = job.options().mediaLifetime();
    return Instant.now().plus(lifetime != null ? lifetime : settings.media().expiry());
  }

  private static Map<String, Object> fileJson(Job job, OutputImage image) {
    var file = new LinkedHashMap<String, Object>();
    file.put(
        "url",
        job.mediaBaseUrl() + "/media/files/" + image.file().token() + "/" + image.file().name());
    file.put("content_type", image.file().contentType());
    file.put("file_name", image.file().name());
    file.put("file_size", image.file().size());
    file.put("width", image.width());
    file.put("height", image.height());
    return file;
  }
}
