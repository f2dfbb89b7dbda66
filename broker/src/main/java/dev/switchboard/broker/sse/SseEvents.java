package dev.switchboard.broker.sse;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.switchboard.protocol.CloseCode;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Encodes what a server-sent-events stream writes (the {@code text/event-stream} format): events whose {@code data}
 * is the same JSON object a WebSocket client gets in a frame, and comments. A JSON text can hold a line break only
 * in its whitespace; such a break ends a {@code data:} line and the rest goes on the next, which EventSource joins
 * again with {@code \n}, so the JSON it hands over means the same.
 */
final class SseEvents {
  private SseEvents() {
  }

  /** A comment line: EventSource ignores it; it keeps proxies and the connection from going idle. */
  static Buffer comment(String text) {
    return Buffer.buffer(": " + text + "\n\n");
  }

  /**
   * A {@code message} event (no {@code event:} line, so EventSource's {@code onmessage} gets it) whose data is the
   * JSON inside {@code frame}, a whole WebSocket text frame ({@link ServerFrames#wire}); with an {@code id:} when
   * {@code id} is not null.
   */
  static Buffer message(ByteBuf frame, String id) {
    return event(null, id, payload(frame));
  }

  /** An event named {@code name} (null: a {@code message} event), with an {@code id:} unless null, of a JSON object. */
  static Buffer event(String name, String id, byte[] json) {
    Buffer out = Buffer.buffer(json.length + 32 + (id == null ? 0 : id.length()));
    if (name != null) {
      out.appendString("event: ").appendString(name).appendByte((byte) '\n');
    }
    if (id != null) {
      out.appendString("id: ").appendString(id).appendByte((byte) '\n');
    }
    out.appendString("data: ");
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (b == '\r' || b == '\n') {
        if (b == '\r' && i + 1 < json.length && json[i + 1] == '\n') {
          i++;
        }
        out.appendString("\ndata: ");
      } else {
        out.appendByte(b);
      }
    }
    return out.appendString("\n\n");
  }

  /** The JSON of a whole WebSocket text frame written by {@link ServerFrames#wire}: what follows its header. */
  static byte[] payload(ByteBuf frame) {
    int start = frame.readerIndex();
    int length7 = frame.getByte(start + 1) & 0x7F;
    int header = length7 < 126 ? 2 : length7 == 126 ? 4 : 10;
    byte[] json = new byte[frame.readableBytes() - header];
    frame.getBytes(start + header, json);
    return json;
  }

  /** A history topic's messages could not be recovered: {@code position} is where delivery goes on after. */
  static byte[] gap(String topic, String epoch, Long offset) {
    return utf8("{\"type\":\"gap\",\"topic\":\"" + topic + "\"" + (offset == null ? ""
        : ",\"position\":{\"epoch\":" + quote(epoch) + ",\"offset\":" + offset + "}") + "}");
  }

  /** The last event of a stream the node ends: the close code a WebSocket client would have been closed with. */
  static byte[] close(CloseCode code) {
    return close(code.code(), code.reason());
  }

  /** The same with any code and reason (the server API's disconnect); {@code reason} is a plain lower-case name. */
  static byte[] close(int code, String reason) {
    return utf8("{\"type\":\"close\",\"code\":" + code + ",\"reason\":\"" + reason + "\"}");
  }

  private static String quote(String s) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
