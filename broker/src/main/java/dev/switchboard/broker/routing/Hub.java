package dev.switchboard.broker.routing;

import dev.switchboard.broker.auth.Security;
import dev.switchboard.broker.cluster.NodeHealth;
import dev.switchboard.broker.history.History;
import dev.switchboard.broker.presence.PresenceService;
import dev.switchboard.broker.wire.ServerFrames;
import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.NodeStats;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.Topics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The subscribers of one event loop: its clients (WebSocket sessions and server-sent-event streams, each a
 * {@link Subscriber}) and, per topic or pattern, the subscribers subscribed to it and the one clustered event-bus
 * consumer that brings that topic's messages to this event loop. The consumer is registered
 * with the first local subscriber and unregistered with the last. Everything here runs on the hub's event loop, so
 * nothing is locked.
 */
public final class Hub {
  static final String TOPIC_PREFIX = "sb.t.";
  static final String PATTERN_PREFIX = "sb.p.";
  static final long REGISTRATION_TIMEOUT_MS = 15_000;
  /** How often each history feed looks at whether its topic went quiet ({@link LiveOrder#tick}). */
  public static final long FEED_TICK_MS = 1_000;

  /** A topic's or pattern's subscribers here and its event-bus consumer; a history topic's {@link HistoryFeed}. */
  private final class Interest {
    final Set<Subscriber> subscribers = new LinkedHashSet<>();
    final MessageConsumer<Delivery> consumer;
    final HistoryFeed feed;
    final Future<Void> ready;
    /** Its deliveries of the current event-loop turn, written to its subscribers together ({@link TurnWriter}). */
    final TurnWriter.Batch batch = new TurnWriter.Batch(subscribers);

    Interest(String topic) {
      boolean pattern = Topics.isPattern(topic);
      if (!pattern && history.covers(topic)) {
        HistoryFeed[] feeds = new HistoryFeed[1];
        consumer = bus.consumer(address(topic), message -> {
          stats.deliveryLatency(Delivery.wallNanos() - message.body().publishedAtNanos);
          feeds[0].live(message.body());
        });
        feed = feeds[0] = new HistoryFeed(Hub.this, topic, history, consumer.completion());
        ready = withTimeout(feed.ready);
        return;
      }
      feed = null;
      consumer = bus.consumer(address(topic), message -> deliver(this, message.body()));
      Future<Void> registered = consumer.completion();
      ready = withTimeout(pattern ? Future.all(registered, patterns.add(topic)).mapEmpty() : registered);
    }
  }

  public final BrokerOptions options;
  public final NodeStats.Recorder stats;
  public final String nodeId;
  public final Security security;
  private final Vertx vertx;
  private final Context context;
  private final EventBus bus;
  private final PatternDirectory patterns;
  private final History history;
  private final Sender sender;
  private final NodeHealth health;
  public final PresenceService presence;
  private final PresenceFeed presenceFeed;
  private final Map<String, Interest> interests = new HashMap<>();
  /** Every client of this event loop: for the sweep, the drain, the stop and {@link HubClients}, on this loop only. */
  final Set<Subscriber> clients = new LinkedHashSet<>();
  private final long sweepTimer;
  /** The history feeds' tick ({@link LiveOrder#tick}). */
  private final long feedTimer;
  private final List<HistoryFeed> feeds = new ArrayList<>();
  private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
  private final TurnWriter writer;

  public Hub(Vertx vertx, Context context, BrokerContext node) {
    this.vertx = vertx;
    this.context = context;
    this.bus = vertx.eventBus();
    this.options = node.options();
    this.security = node.security();
    this.stats = node.stats().recorder();
    this.writer = new TurnWriter(((ContextInternal) context).nettyEventLoop(), allocator, stats);
    this.nodeId = node.nodeId();
    this.patterns = node.patterns();
    this.history = node.history();
    this.sender = new Sender(bus, patterns, history, context, this::withTimeout);
    this.health = node.health();
    this.presence = node.presence();
    this.presenceFeed = new PresenceFeed(this, bus);
    long tick = Math.max(10, Math.min(options.heartbeatIntervalMs(), options.heartbeatTimeoutMs()) / 5);
    this.sweepTimer = vertx.setPeriodic(tick, t -> sweep());
    this.feedTimer = vertx.setPeriodic(FEED_TICK_MS, t -> tickFeeds());
  }

  /** Sends a presence topic's {@code join} or {@code leave} ({@link Sender#presenceEvent}); on this event loop. */
  public void presenceEvent(String topic, JsonObject frame) {
    sender.presenceEvent(topic, frame);
  }

  /** The event-bus address of a topic or pattern. */
  static String address(String topic) {
    return (Topics.isPattern(topic) ? PATTERN_PREFIX : TOPIC_PREFIX) + topic;
  }

  /**
   * A client of this event loop (a WebSocket session, a server-sent-events stream) starts: it is swept for heartbeats,
   * drained and closed with the others until {@link #removed}.
   */
  public void added(Subscriber client) {
    clients.add(client);
  }

  /**
   * Adds {@code subscriber} to {@code topic}'s subscribers (counted in the cluster's presence, listed with
   * {@code info} where presence covers the topic, and given its join and leave events if {@code events}, from now on
   * when it is subscribed already); completes once the cluster knows this node wants it.
   */
  public Future<Void> subscribe(Subscriber subscriber, String topic, String info, boolean events) {
    Interest interest = interests.get(topic);
    if (interest == null) {
      interest = new Interest(topic);
      interests.put(topic, interest);
      if (interest.feed != null) {
        feeds.add(interest.feed);
      }
      stats.clusterConsumers(1);
      stats.topicHeld(topic);
    }
    if (interest.subscribers.add(subscriber)) {
      presence.subscribed(topic, subscriber.id(), subscriber.user(), info);
      if (interest.feed != null) {
        interest.feed.admit(subscriber);
      }
    }
    if (events && presence.covers(topic)) { // also when subscribed again: it asks for the events from now on
      if (interest.feed != null) {
        interest.feed.withEvents(subscriber); // they come in the topic's own stream
      } else {
        return Future.all(interest.ready, withTimeout(presenceFeed.add(subscriber, topic))).mapEmpty();
      }
    }
    return interest.ready;
  }

  /** Whether {@code topic} is a history topic (a concrete topic that a history rule covers). */
  public boolean isHistory(String topic) {
    return !Topics.isPattern(topic) && history.covers(topic);
  }

  /** Where a subscriber of a history topic starts ({@link HistoryFeed#join}); call once subscribed. */
  public Future<HistoryFeed.Joined> join(Subscriber subscriber, String topic, String sinceEpoch, long sinceOffset,
                                  boolean latest) {
    Interest interest = interests.get(topic);
    if (interest == null || interest.feed == null) {
      return Future.failedFuture("not subscribed to history topic " + topic);
    }
    return interest.feed.join(subscriber, sinceEpoch, sinceOffset, latest);
  }

  /** Starts writing a history topic to a subscriber whose {@code subscribed} has been written. */
  public void startFeed(Subscriber subscriber, String topic) {
    Interest interest = interests.get(topic);
    if (interest != null && interest.feed != null) {
      interest.feed.start(subscriber);
    }
  }

  /**
   * Why the node takes no publishes now, or null: without its quorum of cluster members it reaches only a minority of
   * the subscribers, so the publisher goes elsewhere (a draining node still publishes: it is a member until it leaves).
   */
  public String publishRefusal() {
    return health.quorate() ? null : health.refusal();
  }

  public String epoch() {
    return history.epoch();
  }

  /** The last offset of a history topic this event loop's subscribers have been given. */
  public long position(String topic) {
    Interest interest = interests.get(topic);
    return interest == null || interest.feed == null ? -1 : interest.feed.position();
  }

  public void unsubscribe(Subscriber subscriber, String topic) {
    Interest interest = interests.get(topic);
    if (interest == null || !interest.subscribers.remove(subscriber)) {
      return;
    }
    presence.unsubscribed(topic, subscriber.id());
    presenceFeed.remove(subscriber, topic);
    if (interest.feed != null) {
      interest.feed.remove(subscriber);
    }
    if (!interest.subscribers.isEmpty()) {
      return;
    }
    interests.remove(topic);
    if (interest.feed != null) {
      feeds.remove(interest.feed);
    }
    stats.clusterConsumers(-1);
    stats.topicReleased(topic);
    interest.consumer.unregister();
    if (Topics.isPattern(topic)) {
      patterns.remove(topic);
    }
  }

  /**
   * Sends a published message to the cluster ({@link Sender#publish}); for a history topic, completes with its offset
   * once stored, null for a plain topic. The one publish path of every client (WebSocket and HTTP).
   */
  public Future<Long> publish(String topic, String data) {
    stats.published();
    return sender.publish(topic, data);
  }

  /**
   * Hands the delivery, as one whole frame built once for all subscribers, to the {@link TurnWriter}, which writes
   * this turn's deliveries of the interest to each of its subscribers together at the end of the turn.
   */
  private void deliver(Interest interest, Delivery delivery) {
    stats.received();
    stats.deliveryLatency(Delivery.wallNanos() - delivery.publishedAtNanos);
    if (!interest.subscribers.isEmpty()) {
      writer.hold(interest.batch, ServerFrames.wire(allocator, delivery.frame));
    }
  }

  private void tickFeeds() {
    for (int i = 0; i < feeds.size(); i++) {
      feeds.get(i).tick();
    }
  }

  TurnWriter writer() {
    return writer;
  }

  /** Flushes {@code client} at the end of this event-loop iteration, with every other client written to. */
  public void flushLater(Subscriber client) {
    writer.flushLater(client);
  }

  /** {@code registration}, failed if the cluster has not confirmed it in time (a stuck cluster, not a slow one). */
  private <T> Future<T> withTimeout(Future<T> registration) {
    // Also bounds a history store's answer: a stuck cluster fails a publish instead of holding it.
    Promise<T> result = Promise.promise();
    long timer = vertx.setTimer(REGISTRATION_TIMEOUT_MS,
        t -> result.tryFail("the cluster did not confirm the registration within " + REGISTRATION_TIMEOUT_MS + " ms"));
    registration.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
      } else {
        result.tryFail(ar.cause());
      }
    });
    return result.future();
  }

  ByteBufAllocator allocator() {
    return allocator;
  }

  /** Runs a blocking call (a synchronous Hazelcast call) on a worker; completes on this hub's event loop. */
  <T> Future<T> blocking(Callable<T> call) {
    return vertx.executeBlocking(call, false);
  }

  /** This hub's event-loop context. */
  Context context() {
    return context;
  }

  /** {@code stage} as a future completing on this hub's event loop. */
  <T> Future<T> onLoop(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, context);
  }

  public void timer(long delayMs, Runnable action) {
    vertx.setTimer(delayMs, t -> action.run());
  }

  /** Runs {@code action} on this hub's event loop in a later turn: never inside a loop over sessions. */
  public void later(Runnable action) {
    context.runOnContext(v -> action.run());
  }

  public void closedBy(CloseCode code) {
    if (code == CloseCode.SLOW_CONSUMER) {
      stats.slowConsumerClosed();
    } else if (code == CloseCode.HEARTBEAT_TIMEOUT) {
      stats.heartbeatTimedOut();
    }
  }

  /**
   * A client has ended: it leaves this hub and gives back its client slot. Returns whether it was here (the first
   * call for it).
   */
  public boolean removed(Subscriber client) {
    if (clients.remove(client)) {
      security.slots.give();
      return true;
    }
    return false;
  }

  /** Closes every client with {@code going_away}; the node is stopping. */
  public void close() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(feedTimer);
    for (Subscriber client : new ArrayList<>(clients)) {
      client.close(CloseCode.GOING_AWAY);
    }
    // Deliveries held for the end of this turn have no one left to go to.
    writer.close();
  }

  private void sweep() {
    long now = now();
    for (Subscriber client : clients) {
      client.heartbeat(now);
    }
  }

  /** The clock of heartbeats and timeouts, in milliseconds. */
  public static long now() {
    return System.nanoTime() / 1_000_000;
  }

  /** A new random id for a session or stream. */
  public static String newSessionId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
  }

  /**
   * Closes every client with {@code code}, spread evenly over {@code windowMs} ({@link Drain}); completes once the
   * last one is closed. For the node's graceful drain.
   */
  public Future<Void> drain(CloseCode code, long windowMs) {
    return Drain.spread(vertx, new ArrayList<>(clients), code, windowMs);
  }
}
