package dev.editflow.archiver.archive;

import com.rabbitmq.client.Channel;
import dev.editflow.messaging.InboundMessages;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.Topology;
import java.io.IOException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Takes {@code EditCompleted} off its queue; acknowledged only after the job's change committed,
 * parked when unreadable, retried with growing delays on transient failures.
 */
@Component
class EditCompletedListener {

  private final InboundMessages inbound;
  private final JobArchiving archiving;

  EditCompletedListener(InboundMessages inbound, JobArchiving archiving) {
    this.inbound = inbound;
    this.archiving = archiving;
  }

  @RabbitListener(queues = Topology.EDIT_COMPLETED_QUEUE)
  void on(Message message, Channel channel) throws IOException {
    inbound.handle(
        message, channel, Topology.EDIT_COMPLETED_QUEUE, EditCompleted.class, archiving::archive);
  }
}
