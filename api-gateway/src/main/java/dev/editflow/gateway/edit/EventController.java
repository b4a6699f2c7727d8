package dev.editflow.gateway.edit;

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
class EventController {

  private final EditController edits;
  private final EventStreams streams;

  EventController(EditController edits, EventStreams streams) {
    this.edits = edits;
    this.streams = streams;
  }

  @GetMapping(path = "/v1/edits/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(
      @PathVariable String id,
      @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
      @AuthenticationPrincipal Jwt caller) {
    return streams.open(edits.owned(id, caller).id(), lastEventId);
  }
}
