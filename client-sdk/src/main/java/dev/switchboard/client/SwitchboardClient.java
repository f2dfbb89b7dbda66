package dev.switchboard.client;

import java.util.concurrent.CompletionStage;

/**
 * A connection to a Switchboard cluster that reconnects by itself. Create one with
 * {@link Switchboard#connect(ClientOptions)}; it is safe to use from any thread.
 *
 * <h2>Threading</h2>
 * Network I/O and the client's own bookkeeping run on internal threads that never run user code. Every piece of user
 * code the client calls — {@link MessageHandler}s, {@link ConnectionListener}s, and the completion of every
 * {@link CompletionStage} it returned — runs on the {@linkplain ClientOptions#dispatcher() dispatcher}, one task at a
 * time, in the order the client saw the events (by default one daemon thread per client, named
 * {@code switchboard-dispatch-N}). So messages of one subscription reach its handler in the order they arrived, and
 * a stage completes before any later event is dispatched. Non-async dependents ({@code thenAccept}, ...) attached
 * before completion run on the dispatcher too; those attached after completion run on the attaching thread. A
 * handler or listener that throws is logged and does not harm the client. A slow handler delays every later
 * delivery; hand long work to another executor, and never wait in a handler for a stage of the same client (it
 * can only complete on the dispatcher the handler is holding).
 *
 * <p>Argument errors (an invalid topic, data that cannot be encoded as JSON) and a full publish buffer are reported
 * as an already failed stage, not thrown; only a {@code null} handler, listener or options throws
 * {@link NullPointerException}.
 */
public interface SwitchboardClient extends AutoCloseable {

  /**
   * Subscribes to a topic or pattern ({@code *} matches one segment, a last {@code >} one or more). The stage
   * completes with the {@link Subscription} when the broker answered {@code subscribed} — at once if this client
   * already has an active subscription on the same topic or pattern — and fails with a {@link SwitchboardException}
   * on an {@code error} answer ({@code too_many_subscriptions}, ...), an invalid topic ({@code invalid_topic}, checked
   * locally), no answer within {@link ClientOptions#requestTimeout()} ({@code timeout}) or {@code closed}.
   *
   * <p>The subscription survives reconnects: it is sent again on every new connection, and retried with backoff if
   * the broker answers {@code internal_error}. If the broker refuses it for good then, it ends:
   * {@link Subscription#ended()} fails. Several subscriptions on the same topic or pattern share one subscription on
   * the wire; each handler receives every message.
   */
  default CompletionStage<Subscription> subscribe(String topicOrPattern, MessageHandler handler) {
    return subscribe(topicOrPattern, SubscribeOptions.DEFAULTS, handler);
  }

  /**
   * Subscribes as {@link #subscribe(String, MessageHandler)} does, starting as {@code options} say. On a history
   * topic every subscription keeps its {@linkplain Subscription#position() position} and resumes after it on each
   * reconnect: the messages published meanwhile are delivered first, none twice, none skipped; when they cannot all
   * be recovered, the options' {@link GapListener} is told (see docs/client-java.md). {@code since} or {@code latest}
   * with a pattern fails the stage with {@link IllegalArgumentException}.
   */
  CompletionStage<Subscription> subscribe(String topicOrPattern, SubscribeOptions options, MessageHandler handler);

  /**
   * Publishes {@code data} to a concrete topic (no wildcards). {@code data} may be {@code null}, a {@link String},
   * {@link Number}, {@link Boolean}, {@code Map<String, ?>}, {@link Iterable} or array of these, or
   * {@link Json#raw(String)}; anything else, and a string or map key with an unpaired surrogate (not valid Unicode,
   * so not sendable as UTF-8), fails the stage with {@link IllegalArgumentException} and nothing is sent.
   *
   * <p>The stage completes when the broker acknowledged the message (it accepted it; that says nothing about
   * subscribers; on a history topic, the message is stored in the cluster). A publish to a history topic that could
   * not be stored fails with {@code unavailable}: it may or may not have been stored; publish again if it must
   * arrive. It fails with a {@link SwitchboardException} whose {@link SwitchboardException#code() code} is the
   * broker's error code or one of the client's: {@code buffer_full}, {@code frame_too_large}, {@code connection_lost}
   * (sent, but the connection dropped before the answer: the message may or may not have been published; it is not
   * sent again), {@code timeout}, {@code closed}, {@code terminal_close}. Publishes made while disconnected are kept,
   * up to {@link ClientOptions#publishBufferBytes()}, and sent after the next connection's resubscriptions.
   */
  CompletionStage<Void> publish(String topic, Object data);

  /** The current state: {@code CONNECTING}, {@code CONNECTED}, {@code DISCONNECTED} or {@code CLOSED}. */
  ConnectionState state();

  /** The id of the node this client is connected to (from its {@code welcome}), or {@code null}. */
  String nodeId();

  /** Adds a listener for connection events; it runs on the dispatcher. */
  void addConnectionListener(ConnectionListener listener);

  /**
   * Closes the client: sends a close frame (1000), fails every pending operation with {@code closed}, emits
   * {@link ConnectionState#CLOSED} and stops the client's threads once the queued events are dispatched. Idempotent.
   * When it returns, {@link #state()} is {@code CLOSED}.
   */
  @Override
  void close();
}
