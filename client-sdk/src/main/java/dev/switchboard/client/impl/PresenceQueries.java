package dev.switchboard.client.impl;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.client.PresenceMember;
import dev.switchboard.client.PresencePage;
import dev.switchboard.client.PresenceStats;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.protocol.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * The {@code presence} and {@code presence_stats} requests between the call and their answer. A request made while
 * disconnected waits for a connection up to the offline timeout, as a subscribe does; once written, its answer is due
 * within the request timeout. As it only reads, a request whose connection dropped before the answer is written again
 * on the next connection (with a new id, so a late answer is not taken for it), within the offline timeout. Loop
 * thread only.
 */
final class PresenceQueries {

  /** One request; {@code encode} writes its frame for an id. */
  private static final class Query<T> {
    final String type;
    final Function<String, String> encode;
    final Function<Frame, T> decode;
    final ClientFuture<T> future;
    ScheduledFuture<?> timer;
    boolean done;

    Query(String type, Function<String, String> encode, Function<Frame, T> decode, ClientFuture<T> future) {
      this.type = type;
      this.encode = encode;
      this.decode = decode;
      this.future = future;
    }
  }

  private final Outbox outbox;
  private final Loop loop;
  private final Dispatcher dispatcher;
  private final long timeoutNanos;
  private final long offlineNanos;
  private final Set<Query<?>> waiting = new LinkedHashSet<>();
  private final Map<String, Query<?>> byId = new HashMap<>();

  PresenceQueries(Outbox outbox, Loop loop, Dispatcher dispatcher, long timeoutNanos, long offlineNanos) {
    this.outbox = outbox;
    this.loop = loop;
    this.dispatcher = dispatcher;
    this.timeoutNanos = timeoutNanos;
    this.offlineNanos = offlineNanos;
  }

  /** Asks for a page of {@code topic}'s members: after {@code after} (null: from the first), at most {@code limit}. */
  void members(String topic, String after, int limit, ClientFuture<PresencePage> result) {
    ask(new Query<>("presence", id -> Frames.presence(id, topic, after, limit), PresenceQueries::page, result));
  }

  /** Asks for {@code topic}'s counts. */
  void stats(String topic, ClientFuture<PresenceStats> result) {
    ask(new Query<>("presence_stats", id -> Frames.presenceStats(id, topic),
        f -> new PresenceStats(f.topic(), f.clients(), f.users()), result));
  }

  private void ask(Query<?> q) {
    if (outbox.ready()) {
      send(q);
    } else {
      wait(q);
    }
  }

  private void send(Query<?> q) {
    String id = outbox.nextId('q');
    byId.put(id, q);
    arm(q, id, timeoutNanos, "no answer to " + q.type + " " + id);
    outbox.send(q.encode.apply(id));
  }

  private void wait(Query<?> q) {
    waiting.add(q);
    arm(q, null, offlineNanos, "no connection for " + q.type);
  }

  private void arm(Query<?> q, String id, long nanos, String what) {
    Loop.cancel(q.timer);
    q.timer = loop.schedule(() -> {
      waiting.remove(q);
      if (id != null) {
        byId.remove(id);
      }
      fail(q, SwitchboardException.TIMEOUT, what + " within " + nanos / 1_000_000 + " ms");
    }, nanos);
  }

  /** A connection is ready: the waiting requests are written. */
  void connected() {
    List<Query<?>> all = new ArrayList<>(waiting);
    waiting.clear();
    all.forEach(this::send);
  }

  /** The connection dropped: the requests written on it wait for the next one. */
  void connectionLost() {
    List<Query<?>> sent = new ArrayList<>(byId.values());
    byId.clear();
    sent.forEach(this::wait);
  }

  /** Handles a {@code presence} or {@code presence_stats} answer; {@code false} when the id is not a pending one. */
  boolean answered(Frame f) {
    Query<?> q = f.id() == null ? null : byId.get(f.id());
    if (q == null || !q.type.equals(f.type())) {
      return false;
    }
    byId.remove(f.id());
    complete(q, f);
    return true;
  }

  private <T> void complete(Query<T> q, Frame f) {
    T value;
    try {
      value = q.decode.apply(f);
    } catch (RuntimeException e) {
      fail(q, ErrorCode.INTERNAL_ERROR.wire(), "malformed " + q.type + " answer: " + e.getMessage());
      return;
    }
    q.done = true;
    Loop.cancel(q.timer);
    dispatcher.execute(() -> q.future.complete(value));
  }

  /** Handles an {@code error}; {@code false} when the id is not a pending request. */
  boolean error(String id, String code, String message) {
    Query<?> q = id == null ? null : byId.remove(id);
    if (q == null) {
      return false;
    }
    fail(q, code, message);
    return true;
  }

  /** The client ends: every request fails with {@code code}. */
  void failAll(String code, String message) {
    List<Query<?>> all = new ArrayList<>(waiting);
    all.addAll(byId.values());
    waiting.clear();
    byId.clear();
    all.forEach(q -> fail(q, code, message));
  }

  private void fail(Query<?> q, String code, String message) {
    if (q.done) {
      return;
    }
    q.done = true;
    Loop.cancel(q.timer);
    dispatcher.execute(() -> q.future.completeExceptionally(new SwitchboardException(code, message)));
  }

  /** A {@code presence} answer as a page. */
  static PresencePage page(Frame f) {
    if (f.members() == null) {
      throw new IllegalArgumentException("no members");
    }
    List<PresenceMember> members = new ArrayList<>();
    String text = f.members();
    try (JsonParser p = JsonCodec.FACTORY.createParser(text)) {
      p.nextToken(); // the array
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String client = null, user = null, node = null, info = "null";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          switch (name) {
            case "client" -> client = Frames.string(p);
            case "user" -> user = Frames.string(p);
            case "node" -> node = Frames.string(p);
            case "info" -> info = Frames.raw(p, text);
            default -> p.skipChildren();
          }
        }
        members.add(new PresenceMemberImpl(client, user, node, info));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return new PresencePage(f.topic(), members, f.next());
  }
}
