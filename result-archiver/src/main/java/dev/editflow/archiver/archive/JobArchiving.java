package dev.editflow.archiver.archive;

import dev.editflow.archiver.fetch.MediaUnreachable;
import dev.editflow.archiver.system.ArchiverMetrics;
import dev.editflow.jobs.ArchivedOutput;
import dev.editflow.jobs.EditJob;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.JobTransition;
import dev.editflow.jobs.Transition;
import dev.editflow.messaging.TransientFailure;
import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.GeneratedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Archives the outputs of one completed job. Outputs already recorded are skipped, so a redelivered
 * message only does what is left; the job succeeds once every output is recorded. An output that
 * can never be archived fails the job; anything that may pass is thrown as {@link TransientFailure}
 * for a delayed retry, leaving the job {@code ARCHIVING}.
 */
@Component
class JobArchiving {

  private static final Logger LOG = LoggerFactory.getLogger(JobArchiving.class);

  private final EditJobs jobs;
  private final OutputRecords outputs;
  private final OutputArchiver archiver;
  private final ArchiverMetrics metrics;

  JobArchiving(
      EditJobs jobs, OutputRecords outputs, OutputArchiver archiver, ArchiverMetrics metrics) {
    this.jobs = jobs;
    this.outputs = outputs;
    this.archiver = archiver;
    this.metrics = metrics;
  }

  void archive(EditCompleted completed) {
    EditJobId id = completed.jobId();
    EditJob job = database(() -> jobs.find(id)).orElse(null);
    if (job == null) {
      LOG.warn("EditCompleted for job {} which does not exist; nothing to archive.", id);
      return;
    }
    if (job.status() != JobStatus.ARCHIVING) {
      LOG.debug("Job {} is {}, not ARCHIVING; ignoring its EditCompleted.", id, job.status());
      return;
    }
    if (job.attempt() != completed.attempt()) {
      LOG.debug(
          "Job {} is on attempt {}; ignoring an EditCompleted of attempt {}.",
          id,
          job.attempt(),
          completed.attempt());
      return;
    }
    Set<Integer> recorded =
        database(() -> jobs.outputs(id)).stream()
            .map(ArchivedOutput::index)
            .collect(Collectors.toSet());
    for (GeneratedImage image :
        completed.images().stream()
            .sorted(Comparator.comparingInt(GeneratedImage::index))
            .toList()) {
      if (recorded.contains(image.index())) {
        LOG.debug("Output {} of job {} is already archived; skipping it.", image.index(), id);
        continue;
      }
      if (!archiveOne(id, image)) {
        return;
      }
    }
    if (database(() -> jobs.move(id, new Transition.Succeeded()))) {
      recordSuccess(job);
    } else {
      LOG.warn(
          "Job {} was not marked SUCCEEDED: it moved on, or its recorded outputs do not cover the"
              + " {} expected.",
          id,
          job.expectedOutputs());
    }
  }

  /** Archives and records one output; false if the job failed because of it. */
  private boolean archiveOne(EditJobId id, GeneratedImage image) {
    long started = System.nanoTime();
    try {
      ArchivedOutput output = archiver.archive(id, image);
      boolean recorded = database(() -> outputs.record(id, output));
      metrics.archived(output.bytes(), since(started));
      LOG.debug(
          "Archived output {} of job {} as {} ({} bytes, {} {}x{}, sha256 {}){}.",
          image.index(),
          id,
          output.objectKey(),
          output.bytes(),
          output.contentType(),
          output.width(),
          output.height(),
          output.sha256(),
          recorded ? "" : "; another delivery had recorded it already");
      return true;
    } catch (OutputRejected e) {
      metrics.archiveFailed(since(started), "rejected");
      LOG.warn(
          "Output {} of job {} cannot be archived ({}): {}",
          image.index(),
          id,
          e.code(),
          e.getMessage());
      String detail = "output " + image.index() + ": " + e.getMessage();
      if (database(() -> jobs.move(id, new Transition.Failed(e.code(), detail, "archiver")))) {
        metrics.jobFailed(e.code());
      }
      return false;
    } catch (TransientFailure e) {
      metrics.archiveFailed(since(started), "retried");
      metrics.transientFailure(causeOf(e));
      throw e;
    }
  }

  private void recordSuccess(EditJob job) {
    try {
      Instant archivingSince = null;
      Instant succeededAt = null;
      for (JobTransition transition : jobs.transitions(job.id(), 0)) {
        if (transition.to() == JobStatus.ARCHIVING) {
          archivingSince = transition.at();
        } else if (transition.to() == JobStatus.SUCCEEDED) {
          succeededAt = transition.at();
        }
      }
      if (archivingSince != null && succeededAt != null) {
        metrics.jobSucceeded(Duration.between(archivingSince, succeededAt));
      }
    } catch (DataAccessException e) {
      // The job did succeed; only its timing is lost.
      LOG.warn("Could not read the transitions of job {} for metrics: {}", job.id(), e.toString());
    }
  }

  private static <T> T database(Supplier<T> call) {
    try {
      return call.get();
    } catch (DataAccessException | TransactionException e) {
      throw new TransientFailure("database: " + e.getMessage(), e);
    }
  }

  private static String causeOf(TransientFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof MediaUnreachable) {
      return "media";
    }
    if (cause instanceof SdkException) {
      return "s3";
    }
    if (cause instanceof DataAccessException || cause instanceof TransactionException) {
      return "database";
    }
    return "other";
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
