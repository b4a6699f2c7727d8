package dev.editflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.EditMessage;
import dev.editflow.model.message.FalWebhookReceived;
import dev.editflow.model.message.MessageType;
import dev.editflow.model.message.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every message type has a JSON sample of its current version in {@code contracts/}; the sample
 * must read into the record and the record must write back to exactly the sample. A change that
 * breaks an existing field breaks this test.
 */
class MessageContractTests {

  private final JsonMapper json =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  @ParameterizedTest
  @EnumSource(MessageType.class)
  void readsAndWritesItsContractSample(MessageType type) throws IOException {
    JsonNode sample = sample(type);

    EditMessage message = json.treeToValue(sample, type.javaType());

    JsonNode written = json.readTree(json.writeValueAsString(message));
    assertThat(written).isEqualTo(sample);
    assertThat(MessageType.of(message)).isEqualTo(type);
  }

  @ParameterizedTest
  @EnumSource(MessageType.class)
  void hasItsOwnRoutingKeyAndQueue(MessageType type) {
    assertThat(MessageType.fromTypeName(type.typeName())).contains(type);
    assertThat(Topology.queueFor(type)).startsWith("editflow.");
  }

  @Test
  void routingKeysAndQueuesAreUnique() {
    Set<String> keys = new HashSet<>();
    Set<String> queues = new HashSet<>();
    for (MessageType type : MessageType.values()) {
      assertThat(keys.add(type.routingKey())).as(type.routingKey()).isTrue();
      assertThat(queues.add(Topology.queueFor(type))).as(type.name()).isTrue();
    }
  }

  @Test
  void toleratesFieldsAddedByANewerProducer() throws IOException {
    var sample = (tools.jackson.databind.node.ObjectNode) sample(MessageType.EDIT_COMPLETED);
    sample.put("addedLater", "ignored");

    EditCompleted message = json.treeToValue(sample, EditCompleted.class);

    assertThat(message.images()).hasSize(2);
  }

  @Test
  void readsAFalWebhookReceivedWithoutResultAsOneToLookAtNow() throws IOException {
    var sample = (tools.jackson.databind.node.ObjectNode) sample(MessageType.FAL_WEBHOOK_RECEIVED);
    sample.remove("images");
    sample.remove("failure");

    var message = json.treeToValue(sample, FalWebhookReceived.class);

    assertThat(message.images()).isNull();
    assertThat(message.failure()).isNull();
    assertThat(message.attempt()).isEqualTo(1);
  }

  @Test
  void rejectsAMalformedJobId() {
    var sample = (tools.jackson.databind.node.ObjectNode) sample(MessageType.EDIT_REQUESTED);
    sample.put("jobId", "../../etc/passwd");

    assertThatThrownBy(() -> json.treeToValue(sample, MessageType.EDIT_REQUESTED.javaType()))
        .hasMessageContaining("Not an edit job id");
  }

  private JsonNode sample(MessageType type) {
    String name = "/contracts/" + type.typeName() + ".v" + type.version() + ".json";
    try (InputStream in = getClass().getResourceAsStream(name)) {
      assertThat(in).as("contract sample %s", name).isNotNull();
      return json.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
