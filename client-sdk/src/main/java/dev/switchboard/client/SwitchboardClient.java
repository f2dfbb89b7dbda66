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
 * delivery, and once {@link ClientOptions#maxDispatchBacklog()} callbacks wait, messages are dropped (counted in
 * {@link #stats()}; history topics catch up instead): hand long work to another executor. A callback that waits for a
 * stage of the same client ({@code join}, {@code get}) would hold the only thread that can complete it: the wait
 * throws {@link IllegalStateException} at once instead (chain the next step with {@code thenAccept} and the like).
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
   * <p>Made while disconnected, it waits for the next connection up to {@link ClientOptions#offlineTimeout()}, then
   * fails with {@code timeout}; once sent, the answer is due within the request timeout.
   *
   * <p>The subscription survives reconnects: it is sent again on every new connection, and retried with backoff if
   * the broker answers {@code internal_error}, {@code unavailable} or {@code rate_limited} (the refusals that may pass;
   * see docs/client-java.md). If the broker refuses it for good then, it ends: {@link Subscription#ended()} fails. Several subscriptions on the same topic or pattern share one subscription on
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
   * <p>Records, POJOs, {@code UUID}, {@code Instant} and other values Jackson databind can write are accepted too and
   * sent as the JSON it writes for them (see docs/client-java.md, typed payloads).
   *
   * <p>The stage completes when the broker acknowledged the message (it accepted it; that says nothing about
   * subscribers; on a history topic, the message is stored in the cluster). A publish to a history topic that could
   * not be stored fails with {@code unavailable}: it may or may not have been stored; publish again if it must
   * arrive. It fails with a {@link SwitchboardException} whose {@link SwitchboardException#code() code} is the
   * broker's error code or one of the client's: {@code buffer_full}, {@code frame_too_large}, {@code connection_lost}
   * (sent, but the connection dropped before the answer: the message may or may not have been published; it is not
   * sent again; also when the client is closed while it awaits its answer), {@code timeout}, {@code closed} (never
   * sent), {@code terminal_close}, {@code unauthorized}, {@code handshake_refused}. Publishes made while disconnected are
   * kept, up to {@link ClientOptions#publishBufferBytes()}, for {@link ClientOptions#offlineTimeout()}, and sent after
   * the next connection's resubscriptions; once sent, the answer is due within the request timeout.
   */
  CompletionStage<Void> publish(String topic, Object data);

  /**
   * Lists one page of the members of {@code topic}'s presence, cluster-wide, ordered by client id: those after
   * {@code after} (a member's {@link PresenceMember#client() client}, the {@link PresencePage#next() next} of the
   * previous page; {@code null}: from the first), at most {@code limit} (1 to {@link PresencePage#MAX_LIMIT}, else
   * the stage fails with {@link IllegalArgumentException}). The topic must be one the node keeps presence for
   * ({@code --presence}); this client need not be subscribed to it, but its token must allow subscribing.
   *
   * <p>It fails with a {@link SwitchboardException}: {@code not_enabled} (no presence for the topic),
   * {@code invalid_topic} (a pattern or a malformed topic, checked locally), {@code forbidden}, {@code rate_limited}
   * (the node counts it as a subscribe), {@code timeout}, {@code closed}. Made while disconnected, it waits for the
   * next connection up to {@link ClientOptions#offlineTimeout()}, as a subscribe does; once sent, the answer is due
   * within {@link ClientOptions#requestTimeout()}. As it only reads, one whose connection drops before the answer is
   * sent again on the next connection (never {@code connection_lost}).
   */
  CompletionStage<PresencePage> presence(String topic, String after, int limit);

  /**
   * Lists the members of {@code topic}'s presence, at most {@code max} (the first in client-id order), walking the
   * pages of {@link #presence(String, String, int)} ({@link PresencePage#MAX_LIMIT} a page). Fails as that does, at
   * the first page that fails. Members that come and go while it walks may be missed or listed twice.
   */
  CompletionStage<java.util.List<PresenceMember>> presenceMembers(String topic, int max);

  /**
   * Counts {@code topic}'s presence, cluster-wide: subscriptions and distinct users. Asked, answered and failed as
   * {@link #presence(String, String, int)} is.
   */
  CompletionStage<PresenceStats> presenceStats(String topic);

  /**
   * Completes when the client is first connected (the node's {@code welcome}). Fails with a
   * {@link SwitchboardException} when the client ends before that: the node refused it for good ({@code unauthorized}:
   * no token, or one the node does not accept; {@code handshake_refused}: an HTTP status other than 101 that retrying
   * will not change, named in the message), it gave up after {@link ClientOptions#maxReconnectAttempts()}, or it was
   * closed ({@code closed}). Failures that may pass (a node down, draining or full) are retried meanwhile and do not
   * complete it.
   */
  CompletionStage<Void> connected();

  /**
   * Completes when every publish called before it is settled: acknowledged or failed (see the publish's own stage for
   * which). Fails with {@code timeout} if some are still unanswered after {@code timeout}; they go on. Publishes keep
   * being accepted meanwhile; those called after it are not waited for.
   */
  CompletionStage<Void> flush(java.time.Duration timeout);

  /**
   * Ends the client without losing what it was asked to send: refuses new publishes ({@code closed}), waits for every
   * publish called before it ({@link #flush}), withdraws every subscription, then closes. Completes once closed; fails
   * with {@code timeout} when the publishes or unsubscribes were not all answered within {@code timeout} (the client
   * is closed then anyway, and what is left fails as {@link #close()} says). A {@code main} that publishes should end
   * with {@code client.drain(timeout).toCompletableFuture().join()}: the client's threads are daemon threads, so a JVM
   * that exits does not wait for them.
   */
  CompletionStage<Void> drain(java.time.Duration timeout);

  /** Counts of this client: reconnects, messages received and dropped, publishes pending. */
  ClientStats stats();

  /** The current state: {@code CONNECTING}, {@code CONNECTED}, {@code DISCONNECTED} or {@code CLOSED}. */
  ConnectionState state();

  /** The id of the node this client is connected to (from its {@code welcome}), or {@code null}. */
  String nodeId();

  /** Adds a listener for connection events; it runs on the dispatcher. */
  void addConnectionListener(ConnectionListener listener);

  /**
   * Closes the client at once: sends a close frame (1000), fails every pending operation with {@code closed} — a
   * publish not yet written is never sent after it; one already written and not yet acknowledged fails with
   * {@code connection_lost}, as it may have arrived — emits {@link ConnectionState#CLOSED} and stops the client's
   * threads once the queued events are dispatched. Use {@link #drain} to wait for the publishes first. Idempotent.
   * When it returns, {@link #state()} is {@code CLOSED}; called from a callback of this client, it returns without
   * waiting for that.
   */
  @Override
  void close();
}
