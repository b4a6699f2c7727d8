package dev.editflow.messaging;

import dev.editflow.model.message.EditMessage;
import dev.editflow.model.message.MessageHeaders;
import dev.editflow.model.message.MessageType;
import java.nio.charset.StandardCharsets;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads editflow messages: JSON bodies, persistent delivery, type and version in
 * headers. Reading checks the headers before the body, so a message of an unknown type or a newer
 * version is recognised as poison instead of being half-understood.
 */
public class MessageCodec {

  private final JsonMapper json;

  public MessageCodec(JsonMapper json) {
    // Messages must tolerate fields added by newer producers, whatever the application's mapper
    // does with unknown fields in HTTP requests.
    this.json =
        json.rebuild()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
  }

  public Message encode(EditMessage message, String messageId) {
    MessageType type = MessageType.of(message);
    return encode(type.typeName(), type.version(), json.writeValueAsString(message), messageId);
  }

  public Message encode(String typeName, int version, String jsonPayload, String messageId) {
    return MessageBuilder.withBody(jsonPayload.getBytes(StandardCharsets.UTF_8))
        .setContentType(MessageProperties.CONTENT_TYPE_JSON)
        .setContentEncoding(StandardCharsets.UTF_8.name())
        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
        .setMessageId(messageId)
        .setHeader(MessageHeaders.TYPE, typeName)
        .setHeader(MessageHeaders.VERSION, version)
        .build();
  }

  /**
   * Reads a message of the expected type.
   *
   * @throws UnreadableMessage if the headers or the body do not make a valid {@code expected}
   */
  public <T extends EditMessage> T decode(Message message, Class<T> expected) {
    Object typeHeader = message.getMessageProperties().getHeader(MessageHeaders.TYPE);
    MessageType type =
        MessageType.fromTypeName(String.valueOf(typeHeader))
            .orElseThrow(
                () -> new UnreadableMessage("unknown-type", "unknown message type " + typeHeader));
    if (!expected.equals(type.javaType())) {
      throw new UnreadableMessage(
          "unexpected-type", "expected " + expected.getSimpleName() + " but got " + typeHeader);
    }
    Object versionHeader = message.getMessageProperties().getHeader(MessageHeaders.VERSION);
    int version;
    try {
      version = Integer.parseInt(String.valueOf(versionHeader));
    } catch (NumberFormatException e) {
      throw new UnreadableMessage("bad-version", "version header is " + versionHeader);
    }
    if (version < 1 || version > type.version()) {
      throw new UnreadableMessage(
          "unsupported-version",
          typeHeader
              + " v"
              + version
              + " is newer than v"
              + type.version()
              + " this service reads");
    }
    try {
      return json.readValue(message.getBody(), expected);
    } catch (JacksonException | IllegalArgumentException e) {
      throw new UnreadableMessage("unparseable", e.getMessage());
    }
  }
}
