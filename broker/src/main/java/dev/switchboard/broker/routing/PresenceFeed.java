package dev.switchboard.broker.routing;

import dev.switchboard.broker.wire.ServerFrames;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code join} and {@code leave} frames of presence topics without history, for the subscribers of one hub that
 * asked for them ({@code presence_events} in their subscribe): per topic, the subscribers and one event-bus consumer
 * of the topic's event address, registered with the first and unregistered with the last. The frames come from the
 * node that sends the cluster's presence events ({@code PresenceEvents}, through {@link Sender#presenceEvent}),
 * encoded; each is wired once here for all of them. A presence topic that is also a history topic has its events
 * stored among its messages instead, and its {@link HistoryFeed} hands them on.
 */
final class PresenceFeed {
  static final String PREFIX = "sb.pe.";

  private final Hub hub;
  private final EventBus bus;
  private final Map<String, Set<Subscriber>> wanting = new HashMap<>();
  private final Map<String, MessageConsumer<String>> consumers = new HashMap<>();

  PresenceFeed(Hub hub, EventBus bus) {
    this.hub = hub;
    this.bus = bus;
  }

  /** The event-bus address of {@code topic}'s presence events. */
  static String address(String topic) {
    return PREFIX + topic;
  }

  /**
   * {@code subscriber} gets {@code topic}'s events from now on; completes once the cluster knows this node wants them
   * (an event sent before that, from the node that makes them, would not reach it).
   */
  Future<Void> add(Subscriber subscriber, String topic) {
    Set<Subscriber> subscribers = wanting.computeIfAbsent(topic, t -> new LinkedHashSet<>());
    if (subscribers.isEmpty()) {
      consumers.put(topic, bus.consumer(address(topic), m -> deliver(topic, m.body())));
    }
    subscribers.add(subscriber);
    return consumers.get(topic).completion();
  }

  void remove(Subscriber subscriber, String topic) {
    Set<Subscriber> subscribers = wanting.get(topic);
    if (subscribers == null || !subscribers.remove(subscriber) || !subscribers.isEmpty()) {
      return;
    }
    wanting.remove(topic);
    consumers.remove(topic).unregister();
  }

  private void deliver(String topic, String json) {
    Set<Subscriber> subscribers = wanting.get(topic);
    if (subscribers == null) {
      return;
    }
    ByteBuf frame = ServerFrames.wire(hub.allocator(), json.getBytes(StandardCharsets.UTF_8));
    try {
      for (Subscriber subscriber : subscribers) {
        if (subscriber.send(frame)) {
          hub.flushLater(subscriber);
        }
      }
    } finally {
      frame.release();
    }
  }
}
