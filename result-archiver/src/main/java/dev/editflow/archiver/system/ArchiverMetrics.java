package dev.editflow.archiver.system;

import dev.editflow.model.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** The archiver's meters; tags are low-cardinality only (never job ids). */
@Component
public class ArchiverMetrics {

  private final MeterRegistry meters;
  private final Counter bytes;
  private final Timer stageArchiving;

  ArchiverMetrics(MeterRegistry meters) {
    this.meters = meters;
    this.bytes =
        Counter.builder("editflow.archive.bytes")
            .baseUnit("bytes")
            .description("Bytes of outputs copied into our bucket")
            .register(meters);
    this.stageArchiving =
        Timer.builder("editflow.stage.duration")
            .tag("stage", "archiving")
            .description("Time a job spent in a stage; here ARCHIVING -> SUCCEEDED")
            .publishPercentileHistogram()
            .register(meters);
  }

  /** One output is durably in our bucket. */
  public void archived(long byteCount, Duration took) {
    bytes.increment(byteCount);
    archiveTimer("archived").record(took);
  }

  /** Archiving one output failed; {@code outcome} is {@code rejected} or {@code retried}. */
  public void archiveFailed(Duration took, String outcome) {
    archiveTimer(outcome).record(took);
  }

  /** The archiver ended a job as {@code FAILED} with {@code code}. */
  public void jobFailed(ErrorCode code) {
    Counter.builder("editflow.archive.failures")
        .tag("code", code.name())
        .description("Jobs the archiver failed, by error code")
        .register(meters)
        .increment();
  }

  /** A transient failure (media host, S3, database) sent the message to a retry queue. */
  public void transientFailure(String cause) {
    Counter.builder("editflow.archive.transient.failures")
        .tag("cause", cause)
        .description("Archive attempts retried later, by what failed")
        .register(meters)
        .increment();
  }

  /** The job reached {@code SUCCEEDED} after {@code inArchiving} in {@code ARCHIVING}. */
  public void jobSucceeded(Duration inArchiving) {
    stageArchiving.record(inArchiving);
  }

  private Timer archiveTimer(String outcome) {
    return Timer.builder("editflow.archive.duration")
        .tag("outcome", outcome)
        .description("Time to fetch, check and store one output")
        .publishPercentileHistogram()
        .register(meters);
  }
}
