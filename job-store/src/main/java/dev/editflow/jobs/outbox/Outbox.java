package dev.editflow.jobs.outbox;

import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.model.message.EditMessage;
import dev.editflow.model.message.MessageType;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends messages to the outbox inside the caller's transaction. Publishing them is the relay's
 * job (the {@code job-messaging} module); this class only tells it, through {@link Relay}, that a
 * committed transaction left a message due now.
 */
public class Outbox {

  /** Whatever publishes the outbox: woken right after a commit that stored a message due now. */
  @FunctionalInterface
  public interface Relay {
    void wake();
  }

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final JobTracing tracing;
  private final Relay relay;

  public Outbox(JdbcClient jdbc, JsonMapper json, Clock clock, JobTracing tracing, Relay relay) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.tracing = tracing;
    this.relay = relay;
  }

  /**
   * Stores {@code message} for publishing once the current transaction commits; nothing is sent if
   * it rolls back. It carries the trace context in scope, or else its job's, so that its consumer
   * continues the job's trace.
   *
   * @throws IllegalStateException if no transaction is active
   */
  public void append(EditMessage message) {
    append(message, Duration.ZERO);
  }

  /** Like {@link #append(EditMessage)}, but the message is sent only after {@code delay}. */
  public void append(EditMessage message, Duration delay) {
    Assert.state(
        TransactionSynchronizationManager.isActualTransactionActive(),
        "Outbox.append must run inside the transaction that changes the job");
    MessageType type = MessageType.of(message);
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.sql(
            """
            insert into outbox_message (job_id, message_type, message_version, routing_key,
              payload, created_at, next_attempt_at, trace_parent)
            values (:job, :type, :version, :key, cast(:payload as jsonb), :now, :due,
              coalesce(cast(:trace as varchar), (select trace_parent from edit_job where id = :job)))
            """)
        .param("job", message.jobId().value())
        .param("type", type.typeName())
        .param("version", type.version())
        .param("key", type.routingKey())
        .param("payload", json.writeValueAsString(message))
        .param("now", now)
        .param("due", Timestamp.from(now.toInstant().plus(delay)))
        .param("trace", tracing.currentTraceParent())
        .update();
    if (!delay.isZero()) {
      return; // the relay's sweep finds it when it is due
    }
    // Publish right after commit instead of waiting for the relay's next sweep: this is most of
    // the pipeline's latency budget.
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            relay.wake();
          }
        });
  }
}
