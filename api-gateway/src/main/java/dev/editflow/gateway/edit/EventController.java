package dev.editflow.gateway.edit;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /v1/edits/{id}/events}: the job's status changes as server-sent events. */
@RestController
@Tag(name = "edits")
class EventController {

  private final EditController edits;
  private final EventStreams streams;

  EventController(EditController edits, EventStreams streams) {
    this.edits = edits;
    this.streams = streams;
  }

  @Operation(
      operationId = "editEvents",
      summary = "Follow a job's status changes",
      description =
          """
          Server-sent events: one `status` event per transition, its `data` a StatusEvent and \
          its `id` the transition's sequence; a comment every 15 s keeps the connection open; \
          the stream ends after a terminal status. The first events replay what happened \
          before the stream opened. Reconnect with `Last-Event-ID` to miss nothing. Browsers \
          read it with `fetch` (so the bearer token is sent), not `EventSource`.

          ```
          id:1
          event:status
          data:{"status":"QUEUED","at":"2026-11-25T10:00:00Z"}

          id:2
          event:status
          data:{"status":"SUBMITTED","at":"2026-11-25T10:00:01Z"}
          ```""")
  @ApiResponse(
      responseCode = "200",
      description = "The event stream",
      content =
          @Content(
              mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
              schema = @Schema(implementation = StatusEvent.class)))
  @ProblemResponses({ApiError.JOB_NOT_FOUND, ApiError.TOO_MANY_STREAMS})
  @GetMapping(path = "/v1/edits/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(
      @PathVariable String id,
      @Parameter(description = "The id of the last event received: resume after it")
          @RequestHeader(name = "Last-Event-ID", required = false)
          @Nullable String lastEventId,
      @AuthenticationPrincipal Jwt caller) {
    return streams.open(edits.owned(id, caller).id(), caller.getSubject(), lastEventId);
  }
}
