package dev.switchboard.broker.wire;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.switchboard.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes every frame the node sends. Topics and patterns are valid by grammar, so they need no escaping; ids,
 * messages and node ids are escaped.
 */
public final class ServerFrames {
  public static final byte[] PING = utf8("{\"type\":\"ping\"}");
  /** What goes between a {@code message} frame's data and its publish stamp. */
  public static final String PUBLISHED_AT = ",\"published_at\":";
  /** How every frame, and every stored presence event, starts: up to its type's first letter. */
  private static final String TYPE_KEY = "{\"type\":\"";

  private ServerFrames() {
  }

  public static byte[] welcome(String node, String session, long intervalMs, long timeoutMs, int maxFrameBytes,
                        int maxSubscriptions) {
    return utf8("{\"type\":\"welcome\",\"node\":" + quote(node) + ",\"session\":" + quote(session)
        + ",\"heartbeat\":{\"interval_ms\":" + intervalMs + ",\"timeout_ms\":" + timeoutMs + "}"
        + ",\"limits\":{\"max_frame_bytes\":" + maxFrameBytes + ",\"max_subscriptions\":" + maxSubscriptions + "}}");
  }

  public static byte[] subscribed(String id, String topic) {
    return reply("subscribed", id, topic);
  }

  public static byte[] unsubscribed(String id, String topic) {
    return reply("unsubscribed", id, topic);
  }

  /**
   * An {@code unsubscribed} the client did not ask for: the server API dropped its subscription to {@code topic}
   * ({@code reason} {@code server}).
   */
  public static byte[] unsubscribedByServer(String topic) {
    return utf8("{\"type\":\"unsubscribed\",\"topic\":\"" + topic + "\",\"reason\":\"server\"}");
  }

  /** An {@code ack}; {@code id} null for an HTTP publish. */
  public static byte[] ack(String id) {
    return utf8("{\"type\":\"ack\"" + (id == null ? "" : ",\"id\":" + quote(id)) + "}");
  }

  /** The {@code ack} of a publish to a history topic: the position the message was stored at. */
  public static byte[] ack(String id, String epoch, long offset) {
    return utf8("{\"type\":\"ack\"" + (id == null ? "" : ",\"id\":" + quote(id)) + ",\"position\":"
        + position(epoch, offset) + "}");
  }

  public static byte[] error(String id, ErrorCode code, String message) {
    return utf8("{\"type\":\"error\"" + (id == null ? "" : ",\"id\":" + quote(id)) + ",\"code\":\"" + code.wire()
        + "\",\"message\":" + quote(message) + "}");
  }

  /** A {@code subscribed} reply of a history topic: its current position, and {@code recovered} if asked (or null). */
  public static byte[] subscribed(String id, String topic, String epoch, long offset, Boolean recovered) {
    return utf8("{\"type\":\"subscribed\"" + (id == null ? "" : ",\"id\":" + quote(id)) + ",\"topic\":\"" + topic
        + "\",\"position\":" + position(epoch, offset) + (recovered == null ? "" : ",\"recovered\":" + recovered)
        + "}");
  }

  /** A {@code subscribed} reply of a plain topic or pattern to a subscribe that asked to recover: it cannot. */
  public static byte[] notRecovered(String id, String topic) {
    return utf8("{\"type\":\"subscribed\"" + (id == null ? "" : ",\"id\":" + quote(id)) + ",\"topic\":\"" + topic
        + "\",\"recovered\":false}");
  }

  /**
   * A delivery of a history topic, with its position; {@code entry} is the message as its topic's store keeps it
   * ({@link HistoryEntry}): the end of the frame from the data on, copied as it is.
   */
  public static byte[] historyMessage(String topic, String pattern, String epoch, long offset, byte[] entry) {
    StringBuilder sb = new StringBuilder(96 + topic.length() + (pattern == null ? 0 : pattern.length()));
    sb.append("{\"type\":\"message\",\"topic\":\"").append(topic).append('"');
    if (pattern != null) {
      sb.append(",\"pattern\":\"").append(pattern).append('"');
    }
    byte[] head = utf8(sb.append(",\"position\":").append(position(epoch, offset)).append(",\"data\":").toString());
    byte[] frame = new byte[head.length + entry.length + 1];
    System.arraycopy(head, 0, frame, 0, head.length);
    System.arraycopy(entry, 0, frame, head.length, entry.length);
    frame[frame.length - 1] = '}';
    return frame;
  }

  /**
   * A presence event stored in a history topic ({@code HistoryEntry.event}), with its position:
   * {@code {"type":"join","topic":…,"position":…,"user":…,…}}, the event's members copied as they are stored;
   * {@code object}: where the event's JSON object starts in {@code entry} ({@code HistoryEntry.eventStart}).
   */
  public static byte[] historyEvent(String topic, String epoch, long offset, byte[] entry, int object) {
    int typeStart = object + TYPE_KEY.length();
    int typeEnd = typeStart;
    while (entry[typeEnd] != '"') {
      typeEnd++;
    }
    int rest = typeEnd + 2; // past the type's closing quote and the comma after it
    byte[] head = utf8("{\"type\":\"" + new String(entry, typeStart, typeEnd - typeStart, StandardCharsets.US_ASCII)
        + "\",\"topic\":\"" + topic + "\",\"position\":" + position(epoch, offset) + ",");
    byte[] frame = new byte[head.length + entry.length - rest];
    System.arraycopy(head, 0, frame, 0, head.length);
    System.arraycopy(entry, rest, frame, head.length, entry.length - rest);
    return frame;
  }

  /** Whether {@code frame} (a server frame's JSON) is a {@code message}, not a presence event. */
  public static boolean isMessage(byte[] frame) {
    return frame.length > TYPE_KEY.length() && frame[TYPE_KEY.length()] == 'm'; // no other type starts with m
  }

  private static String position(String epoch, long offset) {
    return "{\"epoch\":" + quote(epoch) + ",\"offset\":" + offset + "}";
  }

  /**
   * A delivery; {@code pattern} is null for the exact-topic delivery. {@code data} is raw JSON text;
   * {@code publishedAt}: the publishing node's wall clock when it accepted the publish, epoch milliseconds. It follows
   * the data, as in a history topic's stored entry ({@link HistoryEntry}).
   */
  public static byte[] message(String topic, String pattern, String data, long publishedAt) {
    StringBuilder sb = new StringBuilder(80 + topic.length() + data.length());
    sb.append("{\"type\":\"message\",\"topic\":\"").append(topic).append('"');
    if (pattern != null) {
      sb.append(",\"pattern\":\"").append(pattern).append('"');
    }
    return utf8(sb.append(",\"data\":").append(data).append(PUBLISHED_AT).append(publishedAt).append('}').toString());
  }

  /**
   * {@code json} as a whole WebSocket frame (final, text, unmasked: server to client), in a direct buffer that every
   * connection of an event loop can write as it is, so the socket writes need no copy.
   */
  public static ByteBuf wire(ByteBufAllocator allocator, byte[] json) {
    int length = json.length;
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf frame = allocator.directBuffer(header + length);
    frame.writeByte(0x81);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(126).writeShort(length);
    } else {
      frame.writeByte(127).writeLong(length);
    }
    return frame.writeBytes(json);
  }

  /** {@code frames} (whole frames, {@link #wire}) one after the other in one direct buffer of {@code bytes}. */
  public static ByteBuf concat(ByteBufAllocator allocator, List<ByteBuf> frames, int bytes) {
    ByteBuf batch = allocator.directBuffer(bytes);
    for (int i = 0; i < frames.size(); i++) {
      ByteBuf frame = frames.get(i);
      batch.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
    }
    return batch;
  }

  private static byte[] reply(String type, String id, String topic) {
    return utf8("{\"type\":\"" + type + "\"" + (id == null ? "" : ",\"id\":" + quote(id)) + ",\"topic\":\"" + topic
        + "\"}");
  }

  /**
   * The start of a reply to a request about {@code topic}: {@code {"type":…,"id":…,"topic":…} without its closing
   * brace, for the caller to add its fields to.
   */
  public static StringBuilder replyStart(String type, String id, String topic) {
    return new StringBuilder(128).append("{\"type\":\"").append(type).append('"')
        .append(id == null ? "" : ",\"id\":" + quote(id)).append(",\"topic\":\"").append(topic).append('"');
  }

  /** {@code s} as a JSON string, quotes included; {@code null} for null. */
  public static String quote(String s) {
    if (s == null) {
      return "null";
    }
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
