package dev.switchboard.broker.routing;

import dev.switchboard.broker.history.History;
import dev.switchboard.broker.history.HistoryAppender;
import dev.switchboard.broker.history.HistoryEntry;
import dev.switchboard.broker.wire.ServerFrames;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What one event loop sends into the cluster: its clients' publishes and, on the node that makes them, the presence
 * topics' {@code join} and {@code leave}. A history topic's message or event is stored first, after everything this
 * event loop stored of the topic before ({@link HistoryAppender}), so that both share the topic's one order, then
 * sent with the offset the store gave it. Runs on its hub's event loop.
 */
final class Sender {
  private static final Logger LOG = Logger.getLogger(Sender.class.getName());

  private final EventBus bus;
  private final PatternDirectory patterns;
  private final History history;
  private final HistoryAppender appender;
  /** Bounds a store's answer: a stuck cluster fails a publish instead of holding it. */
  private final UnaryOperator<Future<Long>> bounded;

  Sender(EventBus bus, PatternDirectory patterns, History history, Context context,
         UnaryOperator<Future<Long>> bounded) {
    this.bus = bus;
    this.patterns = patterns;
    this.history = history;
    this.appender = new HistoryAppender(history, context);
    this.bounded = bounded;
  }

  /**
   * Sends a published message to the cluster: to its topic's address, and to the address of every pattern with
   * subscribers somewhere that matches it. Each frame is encoded here, once for the whole cluster, with the message's
   * {@code published_at}: this node's wall clock now, read once, so every subscriber gets the same stamp. A message on
   * a history topic is stored first, stamp included ({@link HistoryEntry}: a subscriber that recovers reads it from
   * the store and gets the same stamp however late), then sent like a plain topic's with the offset the store gave it
   * and its position in the frame ({@link HistoryFeed} orders the copies and fills any gap from the store); the
   * returned future completes with its offset once it is stored. Null for a plain topic.
   */
  Future<Long> publish(String topic, String data) {
    long publishedAt = System.currentTimeMillis();
    if (!history.covers(topic)) {
      bus.publish(Hub.TOPIC_PREFIX + topic, new Delivery(ServerFrames.message(topic, null, data, publishedAt)));
      toPatterns(topic, pattern -> ServerFrames.message(topic, pattern, data, publishedAt));
      return null;
    }
    byte[] entry = HistoryEntry.of(data, publishedAt);
    return bounded.apply(appender.append(topic, entry)).map(offset -> {
      String epoch = history.epoch();
      bus.publish(Hub.TOPIC_PREFIX + topic,
          new Delivery(ServerFrames.historyMessage(topic, null, epoch, offset, entry), offset));
      toPatterns(topic, pattern -> ServerFrames.historyMessage(topic, pattern, epoch, offset, entry));
      return offset;
    });
  }

  /** Sends {@code topic}'s message to every pattern with subscribers somewhere that matches it: each its own frame. */
  private void toPatterns(String topic, Function<String, byte[]> frame) {
    List<String> matched = patterns.matching(topic);
    for (int i = 0; i < matched.size(); i++) {
      String pattern = matched.get(i);
      bus.publish(Hub.PATTERN_PREFIX + pattern, new Delivery(frame.apply(pattern)));
    }
  }

  /**
   * Sends a {@code join} or {@code leave} of a presence topic ({@code frame}: its members, {@code type} first) to the
   * subscribers everywhere that asked for it. On a topic without history it goes to the topic's event address
   * ({@link PresenceFeed}); on a history topic it is stored among the messages ({@link HistoryEntry#event}) and sent
   * to the topic's own address with its offset, like a message (not to patterns). An event the store refuses (no
   * quorum, a stuck cluster) is logged with its frame and not sent.
   */
  void presenceEvent(String topic, JsonObject frame) {
    if (!history.covers(topic)) {
      bus.publish(PresenceFeed.address(topic), frame.encode());
      return;
    }
    JsonObject event = frame.copy();
    event.remove("topic");
    byte[] entry = HistoryEntry.event(event.encode(), System.currentTimeMillis());
    bounded.apply(appender.append(topic, entry)).onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(Level.WARNING, "presence event of history topic " + topic + " could not be stored, not sent: "
            + frame.encode(), ar.cause());
        return;
      }
      long offset = ar.result();
      bus.publish(Hub.TOPIC_PREFIX + topic, new Delivery(ServerFrames.historyEvent(topic, history.epoch(), offset,
          entry, HistoryEntry.eventStart(entry)), offset));
    });
  }
}
