package dev.editflow.worker.tracking;

import com.rabbitmq.client.Channel;
import dev.editflow.jobs.EditJobs;
import dev.editflow.jobs.messaging.InboundMessages;
import dev.editflow.model.message.FalWebhookReceived;
import dev.editflow.model.message.Topology;
import java.io.IOException;
import java.time.Clock;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * A verified fal webhook means the request finished: look at it now instead of at its next poll.
 */
@Component
class FalWebhookListener {

  private final InboundMessages inbound;
  private final EditJobs jobs;
  private final Poller poller;
  private final Clock clock;

  FalWebhookListener(InboundMessages inbound, EditJobs jobs, Poller poller, Clock clock) {
    this.inbound = inbound;
    this.jobs = jobs;
    this.poller = poller;
    this.clock = clock;
  }

  @RabbitListener(queues = Topology.FAL_WEBHOOK_RECEIVED_QUEUE)
  void on(Message message, Channel channel) throws IOException {
    inbound.handle(
        message,
        channel,
        Topology.FAL_WEBHOOK_RECEIVED_QUEUE,
        FalWebhookReceived.class,
        received ->
            jobs.find(received.jobId())
                .filter(job -> job.status().isAtProvider() && job.falRequest() != null)
                .filter(job -> job.falRequest().requestId().equals(received.falRequestId()))
                .ifPresent(
                    job -> {
                      jobs.schedulePoll(job.id(), clock.instant());
                      poller.wake();
                    }));
  }
}
