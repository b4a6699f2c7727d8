package dev.editflow.messaging;

import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitOperations;

/**
 * Publishes a copy of a message and waits for the broker's confirm, for code that removes the
 * original only once its copy is safe (retries, parking, replays): if the copy is not confirmed,
 * this throws and the caller must leave the original where it is.
 */
public final class ConfirmedPublish {

  private ConfirmedPublish() {}

  /**
   * @throws IllegalStateException if the broker refused, returned or did not confirm the copy
   *     within 10 s
   */
  public static void publish(
      RabbitOperations rabbit, String exchange, String routingKey, Message message) {
    CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
    rabbit.send(exchange, routingKey, message, correlation);
    try {
      CorrelationData.Confirm confirm = correlation.getFuture().get(10, TimeUnit.SECONDS);
      if (!confirm.ack() || correlation.getReturned() != null) {
        throw new IllegalStateException(
            "Broker did not accept the copy for " + routingKey + ": " + confirm.reason());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("No confirm for the copy sent to " + routingKey, e);
    }
  }
}
