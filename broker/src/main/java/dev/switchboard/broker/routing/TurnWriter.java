package dev.switchboard.broker.routing;

import dev.switchboard.broker.wire.ServerFrames;
import dev.switchboard.broker.NodeStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The write side of a {@link Hub}: deliveries are held until the end of the event-loop iteration, then written to
 * each subscriber of their topic or pattern as one buffer, and every connection written to is flushed once. One
 * channel write and one system call per connection per turn, not one per message: the per-write work of Netty's
 * outbound buffer, and the syscall, are what fan-out costs. Order within a topic is kept; the protocol promises none
 * between topics. Confined to the hub's event loop.
 */
final class TurnWriter {
  /** Deliveries of one topic held for the end of the turn at most, in bytes: past it they are written at once. */
  static final int BATCH_BYTES = 64 * 1024;

  /**
   * The frames one topic or pattern got in this turn, and the subscribers they go to. A history topic's batch names
   * its topic: its frames are consecutive offsets from {@link #firstOffset}, written with them
   * ({@link Subscriber#sendAll(ByteBuf, List, String, long)}).
   */
  static final class Batch {
    final Set<Subscriber> subscribers;
    final String historyTopic;
    final List<ByteBuf> frames = new ArrayList<>();
    long firstOffset;
    int bytes;

    Batch(Set<Subscriber> subscribers) {
      this(subscribers, null);
    }

    Batch(Set<Subscriber> subscribers, String historyTopic) {
      this.subscribers = subscribers;
      this.historyTopic = historyTopic;
    }
  }

  private final EventLoop eventLoop;
  private final ByteBufAllocator allocator;
  private final NodeStats.Recorder stats;
  private final Runnable endTurnTask = this::endTurn;
  /** Batches with frames held in this turn. */
  private final List<Batch> held = new ArrayList<>();
  /** Clients written to in this turn. */
  private final List<Subscriber> unflushed = new ArrayList<>();
  private boolean endQueued;

  TurnWriter(EventLoop eventLoop, ByteBufAllocator allocator, NodeStats.Recorder stats) {
    this.eventLoop = eventLoop;
    this.allocator = allocator;
    this.stats = stats;
  }

  /** Holds {@code frame} (a whole frame, {@link ServerFrames#wire}; taken over) for {@code batch}'s subscribers. */
  void hold(Batch batch, ByteBuf frame) {
    hold(batch, frame, -1);
  }

  /**
   * {@link #hold(Batch, ByteBuf)} for a history topic's batch, at {@code offset}: after the batch's last frame. If it
   * does not follow that frame's offset (the batch's subscribers skip a presence event between them), what is held is
   * written first, so a batch's frames always have consecutive offsets.
   */
  void hold(Batch batch, ByteBuf frame, long offset) {
    if (batch.historyTopic != null && !batch.frames.isEmpty() && offset != batch.firstOffset + batch.frames.size()) {
      write(batch);
    }
    if (batch.frames.isEmpty()) {
      batch.firstOffset = offset;
      held.add(batch);
      queueEndTurn();
    }
    batch.frames.add(frame);
    batch.bytes += frame.readableBytes();
    if (batch.bytes >= BATCH_BYTES) {
      write(batch);
    }
  }

  /** Flushes {@code session} at the end of this event-loop iteration, with every other session written to. */
  void flushLater(Subscriber session) {
    unflushed.add(session);
    queueEndTurn();
  }

  /** Writes what is held now (the hub is closing). */
  void close() {
    for (int i = 0; i < held.size(); i++) {
      write(held.get(i));
    }
    held.clear();
  }

  /**
   * Writes the batch's frames to each of its subscribers, as one buffer when there are several, now instead of at the
   * end of the turn: before a subscriber joins the batch's set that must not get what is held.
   */
  void write(Batch batch) {
    write(batch, false);
  }

  /** {@link #write(Batch)}; {@code last}: no other batch is written this turn: each subscriber is flushed now. */
  private void write(Batch batch, boolean last) {
    List<ByteBuf> frames = batch.frames;
    if (frames.isEmpty()) {
      return;
    }
    ByteBuf all = frames.size() == 1 ? frames.get(0).retain() : ServerFrames.concat(allocator, frames, batch.bytes);
    int written = 0;
    try {
      for (Subscriber subscriber : batch.subscribers) {
        boolean sent = last ? subscriber.sendAllAndFlush(all, frames, batch.historyTopic, batch.firstOffset)
            : batch.historyTopic == null ? subscriber.sendAll(all, frames)
            : subscriber.sendAll(all, frames, batch.historyTopic, batch.firstOffset);
        if (sent) {
          written++;
        }
      }
    } finally {
      all.release();
      for (int i = 0; i < frames.size(); i++) {
        frames.get(i).release();
      }
      stats.delivered(written * frames.size());
      frames.clear();
      batch.bytes = 0;
    }
  }

  /**
   * Runs {@link #endTurn} at the end of this event-loop iteration: after the iteration's reads and all its tasks
   * (each event-bus delivery is a task of its own), so that everything the iteration delivers to a connection
   * leaves in one write.
   */
  private void queueEndTurn() {
    if (!endQueued) {
      endQueued = true;
      if (eventLoop instanceof SingleThreadEventLoop loop) {
        loop.executeAfterEventLoopIteration(endTurnTask);
      } else {
        eventLoop.execute(endTurnTask);
      }
    }
  }

  private void endTurn() {
    // One batch (the common case: one topic per turn) is written and flushed in one pass over its subscribers.
    boolean last = held.size() == 1;
    for (int i = 0; i < held.size(); i++) {
      write(held.get(i), last);
    }
    held.clear();
    endQueued = false;
    for (int i = 0; i < unflushed.size(); i++) {
      unflushed.get(i).flush();
    }
    unflushed.clear();
  }
}
