package dev.switchboard.client.impl;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ConnectionListener;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.Subscription;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Topics;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client behind {@link dev.switchboard.client.Switchboard#connect}. It checks arguments and encodes frames on the
 * caller's thread, then hands each operation to the {@link Loop}, where {@link ConnectionManager} owns the state.
 */
public final class SwitchboardClientImpl implements SwitchboardClient {
  private static final AtomicInteger CLIENTS = new AtomicInteger();
  /** How long close() waits for the loop to settle everything. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final Loop loop;
  private final Dispatcher dispatcher;
  private final ConnectionManager manager;
  private final AtomicLong publishIds = new AtomicLong();
  private final AtomicBoolean closeRequested = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private SwitchboardClientImpl(ClientOptions options) {
    int n = CLIENTS.incrementAndGet();
    Dispatcher dispatcher = Dispatcher.create(options.dispatcher(), "switchboard-dispatch-" + n);
    this.dispatcher = dispatcher;
    this.loop = new Loop("switchboard-io-" + n, () -> {
      dispatcher.shutdown();
      terminated.countDown();
    });
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(options.connectTimeout());
    if (options.sslContext() != null) {
      builder.sslContext(options.sslContext());
    }
    this.manager = new ConnectionManager(options, loop, dispatcher, builder.build());
    if (options.connectionListener() != null) {
      manager.listeners.add(options.connectionListener());
    }
  }

  /** Creates a client and starts connecting in the background. */
  public static SwitchboardClient start(ClientOptions options) {
    SwitchboardClientImpl client = new SwitchboardClientImpl(options);
    client.loop.execute(client.manager::connect);
    return client;
  }

  @Override
  public CompletionStage<Subscription> subscribe(String topicOrPattern, SubscribeOptions options,
      MessageHandler handler) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(handler, "handler");
    String invalid = Topics.checkPattern(topicOrPattern);
    if (invalid != null) {
      return failed(ErrorCode.INVALID_TOPIC.wire(), invalid + ": " + topicOrPattern);
    }
    if ((options.since() != null || options.latest()) && Topics.isPattern(topicOrPattern)) {
      return CompletableFuture.failedStage(new IllegalArgumentException(
          "since and latest need a topic, not a pattern: " + topicOrPattern));
    }
    SubscriptionImpl s = new SubscriptionImpl(this, topicOrPattern, options, handler);
    boolean queued = !closeRequested.get() && loop.execute(() -> {
      if (manager.closed()) {
        dispatcher.execute(() -> s.subscribed.completeExceptionally(closedException()));
      } else {
        manager.subscriptions.add(s);
      }
    });
    return queued ? s.subscribed.minimalCompletionStage() : failed(SwitchboardException.CLOSED, "client is closed");
  }

  /** Called by {@link SubscriptionImpl#unsubscribe()}. */
  CompletionStage<Void> unsubscribe(SubscriptionImpl s) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean queued = loop.execute(() -> {
      if (manager.closed()) {
        dispatcher.execute(() -> done.complete(null));
      } else {
        manager.subscriptions.remove(s, done);
      }
    });
    if (!queued) {
      done.complete(null); // closed: the subscription is gone with the connection
    }
    return done.minimalCompletionStage();
  }

  @Override
  public CompletionStage<Void> publish(String topic, Object data) {
    String invalid = Topics.checkTopic(topic);
    if (invalid != null) {
      return failed(ErrorCode.INVALID_TOPIC.wire(), invalid + ": " + topic);
    }
    if (closeRequested.get() || manager.closed()) {
      return failed(SwitchboardException.CLOSED, "client is closed");
    }
    String id = "p" + publishIds.incrementAndGet();
    String text;
    try {
      text = Frames.publish(id, topic, data);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedStage(e);
    }
    Publisher publisher = manager.publisher;
    int bytes = Frames.utf8Length(text);
    if (!publisher.reserve(bytes)) {
      return failed(SwitchboardException.BUFFER_FULL, "publish buffer full: " + publisher.bufferedBytes()
          + " bytes waiting, publishBufferBytes is " + publisher.capacity() + ", this frame " + bytes);
    }
    Publisher.Pending p = new Publisher.Pending(id, text, bytes);
    if (!loop.execute(() -> manager.publish(p))) {
      return failed(SwitchboardException.CLOSED, "client is closed");
    }
    return p.future.minimalCompletionStage();
  }

  @Override
  public ConnectionState state() {
    return manager.state;
  }

  @Override
  public String nodeId() {
    return manager.nodeId;
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    manager.listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void close() {
    if (closeRequested.compareAndSet(false, true)) {
      loop.execute(() -> manager.shutdown(SwitchboardException.CLOSED, "client closed", CloseCode.NORMAL.code(),
          "closed by client", ConnectionManager.CLOSE_GRACE));
    }
    if (loop.inLoop()) {
      return;
    }
    try {
      terminated.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static SwitchboardException closedException() {
    return new SwitchboardException(SwitchboardException.CLOSED, "client is closed");
  }

  private static <T> CompletionStage<T> failed(String code, String message) {
    return CompletableFuture.failedStage(new SwitchboardException(code, message));
  }
}
