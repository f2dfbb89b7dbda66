package dev.switchboard.broker.sse;

import dev.switchboard.broker.auth.Access;
import dev.switchboard.broker.auth.Admission;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a {@code GET /sse} asks for, read and checked before the stream starts, so that a bad request is answered
 * with an HTTP error instead of a stream: its topics (each through {@link Admission}, as a WebSocket subscribe) and
 * the cursor to resume from. {@code refused} is set when it is refused.
 */
public record SseRequest(List<String> topics, SseCursor resume, Admission.Refused refused) {
  static final String TOPIC = "topic";
  static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";
  static final String LAST_EVENT_ID_PARAM = "lastEventId";

  /**
   * Reads {@code request}: every {@code topic} parameter in order (a repeated one counts once, each admitted for a
   * client with {@code access}), and the cursor of
   * {@code Last-Event-ID} (EventSource's own reconnect) or else of {@code lastEventId}. The header wins: it is what
   * the stream last delivered, while the parameter is where the application first resumed from.
   */
  public static SseRequest read(HttpServerRequest request, int maxSubscriptions, Access access) {
    Set<String> topics = new LinkedHashSet<>(request.params().getAll(TOPIC));
    if (topics.isEmpty()) {
      return refused(ErrorCode.INVALID_FIELD, "topic is missing: give one or more topic=<topic or pattern>");
    }
    int held = 0;
    for (String topic : topics) {
      Admission.Refused refused = Admission.subscribe(topic, held++, maxSubscriptions, access);
      if (refused != null) {
        return new SseRequest(null, null, new Admission.Refused(refused.code(), refused.message() + ": " + topic));
      }
    }
    String source = LAST_EVENT_ID_HEADER;
    String cursor = request.getHeader(LAST_EVENT_ID_HEADER);
    if (cursor == null || cursor.isEmpty()) {
      source = LAST_EVENT_ID_PARAM;
      cursor = request.getParam(LAST_EVENT_ID_PARAM);
    }
    SseCursor resume = null;
    if (cursor != null && !cursor.isEmpty()) {
      try {
        resume = SseCursor.parse(cursor);
      } catch (IllegalArgumentException e) {
        return refused(ErrorCode.INVALID_FIELD, source + " is not a Switchboard event id: " + e.getMessage());
      }
    }
    return new SseRequest(new ArrayList<>(topics), resume, null);
  }

  private static SseRequest refused(ErrorCode code, String message) {
    return new SseRequest(null, null, new Admission.Refused(code, message));
  }
}
