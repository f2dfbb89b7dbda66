package dev.switchboard.client.impl;

import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.Subscription;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;

/** One local subscription: a handler on a wire subscription shared with the client's other handlers on its topic. */
final class SubscriptionImpl implements Subscription {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");

  private final SwitchboardClientImpl client;
  private final String topic;
  private final MessageHandler handler;
  final CompletableFuture<Subscription> subscribed = new CompletableFuture<>();
  final CompletableFuture<Void> ended = new CompletableFuture<>();
  /** Set by {@link #unsubscribe()}, from any thread: stops deliveries at once. */
  private volatile boolean cancelled;
  /** Loop thread: the broker confirmed it, messages are delivered. */
  boolean live;
  /** Loop thread: fails the subscribe when unanswered. */
  ScheduledFuture<?> timer;

  SubscriptionImpl(SwitchboardClientImpl client, String topic, MessageHandler handler) {
    this.client = client;
    this.topic = topic;
    this.handler = handler;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public CompletionStage<Void> unsubscribe() {
    cancelled = true;
    return client.unsubscribe(this);
  }

  @Override
  public CompletionStage<Void> ended() {
    return ended.minimalCompletionStage();
  }

  void cancel() {
    cancelled = true;
  }

  /** Dispatcher thread: calls the handler unless unsubscribed. */
  void deliver(String topic, String pattern, String json) {
    if (cancelled) {
      return;
    }
    try {
      handler.onMessage(new MessageImpl(topic, pattern, json));
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.WARNING, "message handler of subscription " + this.topic + " threw", t);
    }
  }

  @Override
  public String toString() {
    return "Subscription[" + topic + "]";
  }
}
