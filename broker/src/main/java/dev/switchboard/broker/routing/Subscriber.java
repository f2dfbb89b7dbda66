package dev.switchboard.broker.routing;

import dev.switchboard.protocol.CloseCode;
import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * A client a {@link Hub} delivers to: a WebSocket {@link Session} or a server-sent-events {@link SseStream}. The
 * hub and the {@link HistoryFeed}s of its event loop know subscribers only through this role, so that both kinds
 * share one subscribe path, one fan-out and one history reader. Every method runs on the hub's event loop.
 *
 * <p>Deliveries arrive as one whole WebSocket text frame ({@link ServerFrames#wire}: a WebSocket header, then the JSON of
 * the {@code message}) that the hub builds once and hands to every subscriber: a WebSocket writes it as it is, a
 * stream of another format takes the JSON out of it. Every write is bounded: a subscriber whose pending bytes have
 * reached the node's bound closes itself as a slow consumer instead of buffering.
 */
public interface Subscriber {

  /** The client's id: a WebSocket session's or a stream's, unique in the cluster. */
  String id();

  /** The user its token named; null for an anonymous client. */
  String user();

  /**
   * Writes one delivery: a whole WebSocket frame, shared with other subscribers and not consumed here. Returns
   * whether it was written (false when closed, or when it was closed as a slow consumer instead).
   */
  boolean send(ByteBuf frame);

  /**
   * Writes several deliveries of one topic or pattern, in order: {@code frames}, and the same frames concatenated in
   * {@code batch} (both shared, not consumed here). A WebSocket writes the batch in one go; the default writes each
   * frame. Returns whether all were written.
   */
  default boolean sendAll(ByteBuf batch, List<ByteBuf> frames) {
    for (int i = 0; i < frames.size(); i++) {
      if (!send(frames.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes consecutive deliveries of a history topic's own subscription, the first at {@code firstOffset}: like
   * {@link #sendAll(ByteBuf, List)}, for a subscriber that keeps track of its positions itself.
   */
  default boolean sendAll(ByteBuf batch, List<ByteBuf> frames, String topic, long firstOffset) {
    for (int i = 0; i < frames.size(); i++) {
      if (!send(frames.get(i), topic, firstOffset + i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes one delivery of a history topic's own subscription (not through a pattern), at {@code offset} of the
   * topic: like {@link #send(ByteBuf)}, for a subscriber that keeps track of its positions itself.
   */
  default boolean send(ByteBuf frame, String topic, long offset) {
    return send(frame);
  }

  /**
   * {@link #sendAll(ByteBuf, List)} (or, with a {@code historyTopic}, its offset variant) at the end of a turn in which
   * this is the only batch written: the frames go to the socket at once, with no flush left for later. The default
   * sends, then flushes.
   */
  default boolean sendAllAndFlush(ByteBuf batch, List<ByteBuf> frames, String historyTopic, long firstOffset) {
    boolean sent = historyTopic == null ? sendAll(batch, frames) : sendAll(batch, frames, historyTopic, firstOffset);
    flush();
    return sent;
  }

  /** Whether the bytes waiting to be written to the client are under the bound. */
  boolean writable();

  /** Hands what was written to the socket; the hub calls it at the end of a turn in which this client asked. */
  default void flush() {
  }

  /** Runs {@code action} once the client has read enough that it is writable again (or is closed). */
  void whenWritable(Runnable action);

  /** The node ends this client with {@code code}; its subscriptions go (at once or in a later turn). */
  void close(CloseCode code);

  /** The hub's periodic sweep: heartbeats due, dead clients closed. */
  void heartbeat(long now);

  /**
   * The server API ends the client with {@code code} (4000–4999; the reason is always
   * {@link CloseCode#DISCONNECTED}'s); its subscriptions go (at once or in a later turn). Returns whether it was open
   * (nothing happens to a client already closing).
   */
  boolean disconnect(int code);

  /**
   * The server API drops the client's subscription to {@code topic} (a topic or pattern, exactly as subscribed) and
   * tells the client so ({@link dev.switchboard.broker.wire.ServerFrames#unsubscribedByServer}). Returns whether the
   * client held it (false also when closed).
   */
  boolean drop(String topic);
}
