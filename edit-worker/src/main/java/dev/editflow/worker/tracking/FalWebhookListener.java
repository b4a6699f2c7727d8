package dev.editflow.worker.tracking;

import com.rabbitmq.client.Channel;
import dev.editflow.fal.FalClient;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.Transition;
import dev.editflow.messaging.InboundMessages;
import dev.editflow.model.FalRequest;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.FalWebhookReceived;
import dev.editflow.model.message.Topology;
import dev.editflow.worker.jobs.JobAtFal;
import dev.editflow.worker.jobs.LookSchedule;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * A verified fal webhook means a request finished. If it is the job's recorded request, the job
 * moves on with the images or failure the webhook carries, exactly as the poller would after
 * fetching the result, and fal is not asked again; a webhook without them (fal could not send its
 * payload) has the job looked at now instead of at its next poll. If the job's attempt was marked
 * for submit but no request id was recorded (the worker died right after fal accepted it), the
 * request is adopted instead of being lost. A request of an attempt that already has another one is
 * an orphan duplicate: it is logged and counted, and cancelled at fal if it is still running.
 */
@Component
class FalWebhookListener {

  private static final Logger LOG = LoggerFactory.getLogger(FalWebhookListener.class);

  private final InboundMessages inbound;
  private final EditJobs jobs;
  private final LookSchedule schedule;
  private final FalClient fal;
  private final Poller poller;
  private final FalOutcomes outcomes;
  private final MeterRegistry meters;
  private final Clock clock;

  FalWebhookListener(
      InboundMessages inbound,
      EditJobs jobs,
      LookSchedule schedule,
      FalClient fal,
      Poller poller,
      FalOutcomes outcomes,
      MeterRegistry meters,
      Clock clock) {
    this.inbound = inbound;
    this.jobs = jobs;
    this.schedule = schedule;
    this.fal = fal;
    this.poller = poller;
    this.outcomes = outcomes;
    this.meters = meters;
    this.clock = clock;
  }

  @RabbitListener(id = "fal-webhook-received", queues = Topology.FAL_WEBHOOK_RECEIVED_QUEUE)
  void on(Message message, Channel channel) throws IOException {
    inbound.handle(
        message,
        channel,
        Topology.FAL_WEBHOOK_RECEIVED_QUEUE,
        FalWebhookReceived.class,
        this::handle);
  }

  void handle(FalWebhookReceived received) {
    JobAtFal job = schedule.find(received.jobId()).orElse(null);
    if (job == null) {
      return;
    }
    FalRequest recorded = job.falRequest();
    if (recorded != null && recorded.requestId().equals(received.falRequestId())) {
      if (!job.status().isAtProvider()) {
        return;
      }
      if (received.images() != null) {
        outcomes.succeeded(job, received.images(), null);
      } else if (received.failure() != null) {
        outcomes.modelFailed(job, received.failure().code(), received.failure().detail());
      } else {
        schedule.dueNow(job.id());
        poller.wake();
      }
      return;
    }
    boolean sameAttempt = received.attempt() != null && received.attempt() == job.attempt();
    if (recorded == null
        && sameAttempt
        && job.status() == JobStatus.QUEUED
        && job.submitStartedAt() != null) {
      FalRequest ref = fal.refFor(job.model(), received.falRequestId());
      if (jobs.move(job.id(), new Transition.Submitted(job.attempt(), ref, clock.instant()))) {
        LOG.warn(
            "Adopted fal request {} of job {}: its id was never recorded.",
            ref.requestId(),
            job.id());
        meters.counter("editflow.fal.orphans", "outcome", "adopted").increment();
        poller.wake();
      }
      return;
    }
    boolean late = received.attempt() != null && received.attempt() < job.attempt();
    if (late || job.status().isTerminal()) {
      LOG.debug("Late webhook for job {} ({}); nothing to do.", job.id(), job.status());
      return;
    }
    LOG.warn(
        "fal request {} is not the recorded request of job {} (attempt {}); a duplicate. Cancelling it.",
        received.falRequestId(),
        job.id(),
        received.attempt());
    meters.counter("editflow.fal.orphans", "outcome", "duplicate").increment();
    fal.cancel(fal.refFor(job.model(), received.falRequestId()));
  }
}
