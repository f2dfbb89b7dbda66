package dev.switchboard.broker.session;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A session's replies, written in the order of the requests they answer: a reply that waits on something (its
 * registration in the cluster, the store) holds back every later one. Past {@link #MAX_QUEUED} replies waiting, the
 * session's channel is not read until they are out, so a client cannot make the node queue replies without bound.
 */
final class Replies {
  /** Replies that may queue behind a pending one before the node stops reading the client's frames. */
  static final int MAX_QUEUED = 256;

  private final SessionChannel socket;
  private final Consumer<byte[]> send;
  /** Completes when every earlier reply has been written; null when none is waiting. */
  private Future<Void> tail;
  private int queued;
  private boolean readingPaused;

  Replies(SessionChannel socket, Consumer<byte[]> send) {
    this.socket = socket;
    this.send = send;
  }

  /** Whether reading is paused because too many replies wait. */
  boolean readingPaused() {
    return readingPaused;
  }

  /** Writes {@code answer} now, or after the replies that wait, if any. */
  void reply(Supplier<byte[]> answer) {
    if (tail == null) {
      send.accept(answer.get());
    } else {
      replyWhen(Future.succeededFuture(), answer, null);
    }
  }

  /**
   * Writes {@code answer} (none if it gives null) once {@code ready} is complete and every earlier reply has been
   * written, then runs {@code after} (if not null).
   */
  void replyWhen(Future<?> ready, Supplier<byte[]> answer, Runnable after) {
    Promise<Void> written = Promise.promise();
    Future<Void> before = tail;
    Future<Void> mine = written.future();
    tail = mine;
    if (++queued >= MAX_QUEUED && !readingPaused) {
      readingPaused = true;
      socket.pause();
    }
    Runnable write = () -> ready.onComplete(ar -> {
      byte[] frame = answer.get();
      if (frame != null) {
        send.accept(frame);
      }
      if (after != null) {
        after.run();
      }
      written.complete();
      if (tail == mine) {
        tail = null;
      }
      if (--queued == 0 && readingPaused) {
        readingPaused = false;
        socket.resume();
      }
    });
    if (before == null) {
      write.run();
    } else {
      before.onComplete(ar -> write.run());
    }
  }
}
