package dev.switchboard.broker.http;

import dev.switchboard.broker.auth.Access;
import dev.switchboard.broker.auth.Admission;
import dev.switchboard.broker.auth.Security;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.broker.wire.ClientFrame;
import dev.switchboard.broker.wire.ServerFrames;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /api/topics/{topic}/messages}: the body is the message's {@code data} (one JSON value), published
 * through the same {@link Admission} (for its {@link HttpCaller}: anonymous, or the bearer token's user and
 * grants on a node that requires authentication) and
 * {@link Hub#publish} as a WebSocket {@code publish}, answered with the same
 * {@code ack} (with the position on a history topic) or {@code error} object. The body is read up to the node's
 * {@code max-frame-bytes} and no further, so a large body costs the node no more than a large frame.
 */
public final class HttpPublish implements Handler<RoutingContext> {
  public static final String PATH = "/api/topics/:topic/messages";

  /** The same strictness as a WebSocket frame's JSON ({@link ClientFrame}). */
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(ClientFrame.MAX_DEPTH).build())
      .build();

  private final Hub hub;
  private final Security security;

  public HttpPublish(Hub hub, Security security) {
    this.hub = hub;
    this.security = security;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // The body waits while the origin and the token are checked.
    request.pause();
    HttpCaller.of(security, hub, ctx).onComplete(ar -> {
      if (ar.succeeded()) {
        receive(ctx, ar.result().access());
      } else {
        BoundedBody.discard(hub, request);
      }
      request.resume();
    });
  }

  /** Reads the body (bounded by max_frame_bytes), then publishes it for {@code access}. */
  private void receive(RoutingContext ctx, Access access) {
    HttpServerRequest request = ctx.request();
    String topic = ctx.pathParam("topic");
    int max = hub.options.maxFrameBytes();
    // Over the bound: 413 at once, the rest of the body is dropped.
    BoundedBody.read(hub, request, max, body -> publish(topic, body, request, access),
        () -> HttpReplies.error(hub.stats, request.response(), ErrorCode.MESSAGE_TOO_BIG,
            "the body is larger than max_frame_bytes (" + max + " bytes)"));
  }

  private void publish(String topic, Buffer body, HttpServerRequest request, Access access) {
    HttpServerResponse response = request.response();
    Admission.Refused refused = Admission.publish(topic, access);
    if (refused != null) {
      HttpReplies.error(hub.stats, response, refused.code(), refused.message());
      return;
    }
    String cutOff = hub.publishRefusal();
    if (cutOff != null) {
      HttpReplies.error(hub.stats, response, ErrorCode.UNAVAILABLE, cutOff);
      return;
    }
    String data;
    try {
      data = jsonValue(body);
    } catch (IllegalArgumentException e) {
      HttpReplies.error(hub.stats, response, ErrorCode.INVALID_JSON, e.getMessage());
      return;
    }
    Future<Long> stored = hub.publish(topic, data);
    if (stored == null) {
      HttpReplies.json(response, 200, ServerFrames.ack(null));
      return;
    }
    stored.onComplete(ar -> {
      if (ar.succeeded()) {
        HttpReplies.json(response, 200, ServerFrames.ack(null, hub.epoch(), ar.result()));
      } else {
        HttpReplies.error(hub.stats, response, ErrorCode.UNAVAILABLE,
            "the message could not be stored in the cluster: " + ar.cause().getMessage());
      }
    });
  }

  /**
   * The body as the JSON text of one value, without the whitespace around it (kept byte for byte otherwise, as a
   * WebSocket {@code data}); throws {@link IllegalArgumentException} saying why it is not one.
   */
  static String jsonValue(Buffer body) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body.getBytes())).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the body is not UTF-8");
    }
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new IllegalArgumentException("the body must be one JSON value (null for no data)");
      }
      int start = (int) p.currentTokenLocation().getCharOffset();
      if (first.isStructStart()) {
        p.skipChildren();
      } else {
        p.finishToken();
      }
      int end = (int) p.currentLocation().getCharOffset();
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("text after the JSON value");
      }
      return text.substring(start, end);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw (IllegalArgumentException) e;
      }
      throw new IllegalArgumentException("not valid JSON: " + ClientFrame.firstLine(e.getMessage()));
    }
  }
}
