package dev.editflow.model.message;

import java.util.Arrays;
import java.util.Optional;

/**
 * The catalogue of messages: the name and version written into headers, and the routing key. A
 * consumer parks a message whose type it does not know or whose version is newer than it speaks.
 */
public enum MessageType {
  EDIT_REQUESTED("EditRequested", 1, "edit.requested", EditRequested.class),
  FAL_WEBHOOK_RECEIVED("FalWebhookReceived", 1, "fal.webhook-received", FalWebhookReceived.class),
  EDIT_COMPLETED("EditCompleted", 1, "edit.completed", EditCompleted.class);

  private final String typeName;
  private final int version;
  private final String routingKey;
  private final Class<? extends EditMessage> javaType;

  MessageType(
      String typeName, int version, String routingKey, Class<? extends EditMessage> javaType) {
    this.typeName = typeName;
    this.version = version;
    this.routingKey = routingKey;
    this.javaType = javaType;
  }

  public String typeName() {
    return typeName;
  }

  /** The current version; consumers accept this version and older ones. */
  public int version() {
    return version;
  }

  public String routingKey() {
    return routingKey;
  }

  public Class<? extends EditMessage> javaType() {
    return javaType;
  }

  public static MessageType of(EditMessage message) {
    return Arrays.stream(values())
        .filter(type -> type.javaType.isInstance(message))
        .findFirst()
        .orElseThrow();
  }

  public static Optional<MessageType> fromTypeName(String typeName) {
    return Arrays.stream(values()).filter(type -> type.typeName.equals(typeName)).findFirst();
  }
}
