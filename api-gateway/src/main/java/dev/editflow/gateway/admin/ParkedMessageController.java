package dev.editflow.gateway.admin;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.ProblemResponses;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.model.message.Topology;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Parked and dead-lettered messages: what they are, and sending them back to their queue. */
@RestController
@Tag(name = "admin")
@SecurityRequirement(name = "operator")
class ParkedMessageController {

  /** How far a replay of one message id looks into the queue. */
  private static final int SCAN_FOR_ONE = 5000;

  @Schema(name = "ParkedQueue")
  record QueueDepth(String name, long messages) {}

  @Schema(name = "ParkedMessageList")
  record ParkedList(List<QueueDepth> queues, List<ParkedMessages.Parked> items) {}

  @Schema(name = "ReplayReport")
  record ReplayReport(
      String queue,
      boolean dryRun,
      @Schema(description = "Replayed (or, in a dry run, would be) to their original queue")
          List<ParkedMessages.Parked> replayed,
      @Schema(description = "Seen but left parked: their original queue is not one of ours")
          List<ParkedMessages.Parked> leftParked) {}

  private final ParkedMessages parked;
  private final AdminAudit audit;

  ParkedMessageController(ParkedMessages parked, AdminAudit audit) {
    this.parked = parked;
    this.audit = audit;
  }

  @Operation(
      operationId = "adminListParkedMessages",
      summary = "Parked and dead-lettered messages, with why and where from",
      description =
          "The depth of the parking lot and of every dead-letter queue, and the first messages of"
              + " one queue (or of each). Reading leaves them parked, in their order.")
  @ProblemResponses(ApiError.FORBIDDEN)
  @GetMapping("/admin/v1/parked-messages")
  ParkedList list(
      @Parameter(description = "Only this queue (default: every parking queue)")
          @RequestParam(required = false)
          @Nullable String queue,
      @Parameter(
              description = "Messages per queue",
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "500", defaultValue = "50"))
          @RequestParam(defaultValue = "50")
          int limit) {
    if (limit < 1 || limit > 500) {
      throw RequestRejected.field("limit", "must be between 1 and 500");
    }
    List<String> queues = queue == null ? parked.queues() : List.of(known(queue));
    List<QueueDepth> depths = new ArrayList<>();
    List<ParkedMessages.Parked> items = new ArrayList<>();
    for (String name : queues) {
      depths.add(new QueueDepth(name, parked.depth(name)));
      items.addAll(parked.peek(name, limit));
    }
    return new ParkedList(depths, items);
  }

  @Operation(
      operationId = "adminReplayParkedMessages",
      summary = "Send parked messages back to their original queue",
      description =
          "One message (messageId) or up to limit from the head of the queue. Each copy is"
              + " confirmed by the broker before its parked original is removed, so nothing is"
              + " lost if the broker goes away meanwhile (503: replay again); a message may then"
              + " arrive twice, which the idempotent consumers ignore. dryRun=true only reports."
              + " Audited.")
  @ProblemResponses({
    ApiError.FORBIDDEN,
    ApiError.PARKED_MESSAGE_NOT_FOUND,
    ApiError.TEMPORARILY_UNAVAILABLE
  })
  @PostMapping("/admin/v1/parked-messages/replay")
  ReplayReport replay(
      @Parameter(description = "The queue to replay from")
          @RequestParam(defaultValue = Topology.PARKING_LOT_QUEUE)
          String queue,
      @Parameter(description = "Only the message with this message id")
          @RequestParam(required = false)
          @Nullable String messageId,
      @Parameter(
              description = "At most this many",
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "1000", defaultValue = "100"))
          @RequestParam(defaultValue = "100")
          int limit,
      @Parameter(description = "Only report what would be replayed")
          @RequestParam(defaultValue = "false")
          boolean dryRun,
      @AuthenticationPrincipal Jwt operator) {
    known(queue);
    if (limit < 1 || limit > 1000) {
      throw RequestRejected.field("limit", "must be between 1 and 1000");
    }
    List<ParkedMessages.Parked> done = new CopyOnWriteArrayList<>();
    ParkedMessages.Outcome outcome;
    try {
      outcome =
          parked.replay(
              queue,
              messageId,
              messageId == null ? limit : 1,
              messageId == null ? limit : SCAN_FOR_ONE,
              dryRun,
              done::add);
    } catch (AmqpException | IllegalStateException brokerAway) {
      if (!dryRun) {
        audit.record(
            operator, "messages.replay", "queue:" + queue, "interrupted after " + done.size());
      }
      throw new RequestRejected(
          ApiError.TEMPORARILY_UNAVAILABLE,
          "The broker went away after "
              + done.size()
              + " message(s) were replayed; the rest are still parked: replay again",
          List.of(),
          Duration.ofSeconds(5));
    }
    if (messageId != null && outcome.replayed().isEmpty() && outcome.leftParked().isEmpty()) {
      throw new RequestRejected(
          ApiError.PARKED_MESSAGE_NOT_FOUND, "No message " + messageId + " in " + queue);
    }
    if (!dryRun) {
      audit.record(
          operator,
          "messages.replay",
          "queue:" + queue,
          "replayed "
              + outcome.replayed().size()
              + (messageId == null ? "" : " (message " + messageId + ")")
              + ", left parked "
              + outcome.leftParked().size());
    }
    return new ReplayReport(queue, dryRun, outcome.replayed(), outcome.leftParked());
  }

  private String known(String queue) {
    if (!parked.queues().contains(queue)) {
      throw RequestRejected.field("queue", "must be one of " + parked.queues());
    }
    return queue;
  }
}
