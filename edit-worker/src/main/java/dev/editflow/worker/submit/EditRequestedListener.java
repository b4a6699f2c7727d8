package dev.editflow.worker.submit;

import com.rabbitmq.client.Channel;
import dev.editflow.messaging.InboundMessages;
import dev.editflow.model.message.EditRequested;
import dev.editflow.model.message.Topology;
import java.io.IOException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

@Component
class EditRequestedListener {

  private final InboundMessages inbound;
  private final Submission submission;

  EditRequestedListener(InboundMessages inbound, Submission submission) {
    this.inbound = inbound;
    this.submission = submission;
  }

  @RabbitListener(id = "edit-requested", queues = Topology.EDIT_REQUESTED_QUEUE)
  void on(Message message, Channel channel) throws IOException {
    inbound.handle(
        message, channel, Topology.EDIT_REQUESTED_QUEUE, EditRequested.class, submission::handle);
  }
}
