package dev.switchboard.client.impl;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ClientStats;
import dev.switchboard.client.ConnectionListener;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.PresenceMember;
import dev.switchboard.client.PresencePage;
import dev.switchboard.client.PresenceStats;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.Subscription;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Topics;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
  /** Set by {@link #drain}: new publishes are refused. */
  private volatile boolean draining;
  private final CountDownLatch terminated = new CountDownLatch(1);
  /** Run on the loop thread as it ends, before the dispatcher stops (drain completes its stage there). */
  private final java.util.List<Runnable> onTerminated = new java.util.concurrent.CopyOnWriteArrayList<>();

  private SwitchboardClientImpl(ClientOptions options) {
    int n = CLIENTS.incrementAndGet();
    Dispatcher dispatcher = Dispatcher.create(options.dispatcher(), "switchboard-dispatch-" + n);
    this.dispatcher = dispatcher;
    this.loop = new Loop("switchboard-io-" + n, () -> {
      onTerminated.forEach(Runnable::run);
      // The client has ended once the dispatcher has run what it was given (the CLOSED event too): close() waits
      // for that, so that a main that closes and returns does not lose the last callbacks with the JVM.
      dispatcher.execute(terminated::countDown);
      dispatcher.shutdown();
    });
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(options.connectTimeout());
    if (options.sslContext() != null) {
      builder.sslContext(options.sslContext());
    }
    this.manager = new ConnectionManager(options, loop, dispatcher, builder.build());
    if (options.connectionListener() != null) {
      manager.events.add(options.connectionListener());
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
    if (options.presenceListener() != null && Topics.isPattern(topicOrPattern)) {
      return CompletableFuture.failedStage(new IllegalArgumentException(
          "presenceListener needs a topic, not a pattern: " + topicOrPattern));
    }
    String info;
    try {
      info = options.info() == null ? null : JsonCodec.encode(options.info());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedStage(new IllegalArgumentException("info: " + e.getMessage(), e));
    }
    if (info != null && Frames.utf8Length(info) > SubscribeOptions.MAX_INFO_BYTES) {
      return CompletableFuture.failedStage(new IllegalArgumentException("info: " + Frames.utf8Length(info)
          + " bytes of JSON, more than " + SubscribeOptions.MAX_INFO_BYTES));
    }
    SubscriptionImpl s = new SubscriptionImpl(this, topicOrPattern, options, info, handler);
    boolean queued = !closeRequested.get() && loop.execute(() -> {
      if (manager.closed()) {
        dispatcher.execute(() -> s.subscribed.completeExceptionally(closedException()));
      } else {
        manager.subscriptions.add(s);
      }
    });
    return queued ? s.subscribed.stage() : failed(SwitchboardException.CLOSED, "client is closed");
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  /** Called by {@link SubscriptionImpl#unsubscribe()}. */
  CompletionStage<Void> unsubscribe(SubscriptionImpl s) {
    ClientFuture<Void> done = ClientFuture.of(dispatcher);
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
    return done.stage();
  }

  @Override
  public CompletionStage<Void> publish(String topic, Object data) {
    String invalid = Topics.checkTopic(topic);
    if (invalid != null) {
      return failed(ErrorCode.INVALID_TOPIC.wire(), invalid + ": " + topic);
    }
    if (closeRequested.get() || draining || manager.closed()) {
      return refused(SwitchboardException.CLOSED, draining ? "client is draining" : "client is closed");
    }
    String id = "p" + publishIds.incrementAndGet();
    String text;
    try {
      text = Frames.publish(id, topic, data);
    } catch (IllegalArgumentException e) {
      manager.counters.publishRefused();
      return CompletableFuture.failedStage(e);
    }
    Publisher publisher = manager.publisher;
    int bytes = Frames.utf8Length(text);
    if (!publisher.reserve(bytes)) {
      return refused(SwitchboardException.BUFFER_FULL, "publish buffer full: " + publisher.bufferedBytes()
          + " bytes waiting, publishBufferBytes is " + publisher.capacity() + ", this frame " + bytes);
    }
    Publisher.Pending p = new Publisher.Pending(id, text, bytes, dispatcher);
    manager.counters.publishIssued();
    if (!loop.execute(() -> manager.publish(p))) {
      manager.counters.publishFailed();
      return failed(SwitchboardException.CLOSED, "client is closed");
    }
    return p.future.stage();
  }

  @Override
  public CompletionStage<PresencePage> presence(String topic, String after, int limit) {
    if (limit < 1 || limit > PresencePage.MAX_LIMIT) {
      return CompletableFuture.failedStage(new IllegalArgumentException(
          "limit must be from 1 to " + PresencePage.MAX_LIMIT + ": " + limit));
    }
    return ask(topic, result -> manager.presence.members(topic, after, limit, result));
  }

  @Override
  public CompletionStage<List<PresenceMember>> presenceMembers(String topic, int max) {
    if (max < 1) {
      return CompletableFuture.failedStage(new IllegalArgumentException("max must be at least 1: " + max));
    }
    return morePresence(topic, null, new ArrayList<>(), max);
  }

  /** Asks for the page after {@code after} and adds it to {@code seen}, until the last page or {@code max}. */
  private CompletionStage<List<PresenceMember>> morePresence(String topic, String after, List<PresenceMember> seen,
      int max) {
    return presence(topic, after, Math.min(PresencePage.MAX_LIMIT, max - seen.size())).thenCompose(page -> {
      seen.addAll(page.members());
      if (page.next() == null || seen.size() >= max) {
        return CompletableFuture.completedFuture(List.copyOf(seen.subList(0, Math.min(max, seen.size()))));
      }
      return morePresence(topic, page.next(), seen, max);
    });
  }

  @Override
  public CompletionStage<PresenceStats> presenceStats(String topic) {
    return ask(topic, result -> manager.presence.stats(topic, result));
  }

  /** Checks {@code topic}, then hands {@code query} a stage to complete, on the loop. */
  private <T> CompletionStage<T> ask(String topic, Consumer<ClientFuture<T>> query) {
    String invalid = Topics.checkTopic(topic);
    if (invalid != null) {
      return failed(ErrorCode.INVALID_TOPIC.wire(), invalid + ": " + topic);
    }
    ClientFuture<T> result = ClientFuture.of(dispatcher);
    boolean queued = !closeRequested.get() && loop.execute(() -> {
      if (manager.closed()) {
        dispatcher.execute(() -> result.completeExceptionally(closedException()));
      } else {
        query.accept(result);
      }
    });
    return queued ? result.stage() : failed(SwitchboardException.CLOSED, "client is closed");
  }

  @Override
  public CompletionStage<Void> connected() {
    return manager.connected.stage();
  }

  @Override
  public CompletionStage<Void> flush(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return onLoop(() -> settled(manager.publisher.unsettled(), timeout.toNanos(), "publishes")).stage();
  }

  @Override
  public CompletionStage<Void> drain(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    ClientFuture<Void> done = ClientFuture.of(dispatcher);
    draining = true;
    flush(timeout).handle((v, flushFailed) -> flushFailed)
        .thenCompose(flushFailed -> onLoop(() -> settled(
            manager.subscriptions.removeAll(() -> ClientFuture.of(dispatcher)), deadline - System.nanoTime(),
            "unsubscribes")).handle((v, unsubscribeFailed) -> flushFailed != null ? flushFailed : unsubscribeFailed))
        .thenAccept(failure -> {
          Runnable finish = () -> {
            if (failure == null) {
              done.complete(null);
            } else {
              done.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                  ? failure.getCause() : failure);
            }
          };
          onTerminated.add(() -> dispatcher.execute(finish));
          startClose();
          if (terminated.getCount() == 0) {
            finish.run(); // the client had already ended: no dispatcher is left to run it
          }
        });
    return done.stage();
  }

  /** The stage {@code work} returns on the loop; complete at once when the client has ended (nothing is pending). */
  private ClientFuture<Void> onLoop(Supplier<ClientFuture<Void>> work) {
    ClientFuture<Void> result = ClientFuture.of(dispatcher);
    if (!loop.execute(() -> work.get().whenComplete((v, e) -> {
      if (e == null) {
        result.complete(null);
      } else {
        result.completeExceptionally(e);
      }
    }))) {
      result.complete(null);
    }
    return result;
  }

  /**
   * Loop thread: a stage that completes on the dispatcher, after their own callbacks, once each of {@code stages} is
   * settled (completed either way), or fails with {@code timeout} after {@code timeoutNanos}; they go on.
   */
  private ClientFuture<Void> settled(List<? extends CompletableFuture<?>> stages, long timeoutNanos, String what) {
    ClientFuture<Void> done = ClientFuture.of(dispatcher);
    ScheduledFuture<?> timer = loop.schedule(() -> dispatcher.execute(() -> done.completeExceptionally(
        new SwitchboardException(SwitchboardException.TIMEOUT, stages.stream().filter(f -> !f.isDone()).count()
            + " " + what + " still unanswered after " + timeoutNanos / 1_000_000 + " ms"))), Math.max(0, timeoutNanos));
    CompletableFuture.allOf(stages.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new))
        .thenRun(() -> {
          Loop.cancel(timer);
          dispatcher.execute(() -> done.complete(null)); // never on the loop, even when all were settled already
        });
    return done;
  }

  @Override
  public ClientStats stats() {
    return manager.counters.snapshot();
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
    manager.events.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void close() {
    startClose();
    if (loop.inLoop() || dispatcher.isDispatchThread()) {
      return; // waiting here would hold a thread the close needs
    }
    try {
      terminated.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts closing, once: the close frame goes out, what is pending fails, the threads end. */
  private void startClose() {
    if (closeRequested.compareAndSet(false, true)) {
      loop.execute(() -> manager.shutdown(SwitchboardException.CLOSED, "client closed", 0, "closed by client",
          ConnectionManager.CLOSE_GRACE));
    }
  }

  private CompletionStage<Void> refused(String code, String message) {
    manager.counters.publishRefused();
    return failed(code, message);
  }

  private static SwitchboardException closedException() {
    return new SwitchboardException(SwitchboardException.CLOSED, "client is closed");
  }

  private static <T> CompletionStage<T> failed(String code, String message) {
    return CompletableFuture.failedStage(new SwitchboardException(code, message));
  }
}
