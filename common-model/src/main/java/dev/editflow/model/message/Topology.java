package dev.editflow.model.message;

/**
 * Broker names shared by all services. One topic exchange carries every message; each consumer
 * queue binds the routing key of the {@link MessageType} it consumes.
 */
public final class Topology {

  /** The topic exchange every message is published to. */
  public static final String EXCHANGE = "editflow";

  /**
   * Where retry queues dead-letter back into {@link #EXCHANGE} after their delay (RabbitMQ only).
   */
  public static final String RETRY_EXCHANGE = "editflow.retry";

  /** Per-queue dead letters (RabbitMQ only); routing key = the source queue name. */
  public static final String DEAD_LETTER_EXCHANGE = "editflow.dlx";

  /** Parked poison messages, with the reason in {@link MessageHeaders#PARK_REASON}. */
  public static final String PARKING_LOT_QUEUE = "editflow.parking-lot";

  public static final String EDIT_REQUESTED_QUEUE = "editflow.edit-requested";
  public static final String FAL_WEBHOOK_RECEIVED_QUEUE = "editflow.fal-webhook-received";
  public static final String EDIT_COMPLETED_QUEUE = "editflow.edit-completed";

  private Topology() {}

  /** The consumer queue for a message type. */
  public static String queueFor(MessageType type) {
    return switch (type) {
      case EDIT_REQUESTED -> EDIT_REQUESTED_QUEUE;
      case FAL_WEBHOOK_RECEIVED -> FAL_WEBHOOK_RECEIVED_QUEUE;
      case EDIT_COMPLETED -> EDIT_COMPLETED_QUEUE;
    };
  }

  /** The dead-letter queue of a consumer queue (RabbitMQ only). */
  public static String deadLetterQueueOf(String queue) {
    return queue + ".dlq";
  }
}
