package dev.switchboard.broker.routing;

import com.hazelcast.ringbuffer.ReadResultSet;

import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts a history topic's live messages in offset order for its {@link HistoryFeed}, with nothing missed: the store is
 * the truth, the event bus a fast copy of it. Each message is stored first, and the node that stored it then
 * publishes it with its offset; so copies can arrive out of order (two publishing nodes), late, or never (the
 * publishing node died between the two, or a connection between nodes broke). Here:
 * <ul>
 *   <li>the next offset is handed on at once, and whatever waited behind it;</li>
 *   <li>a later offset waits {@link #GAP_GRACE_MS} for the missing ones to arrive, then they are read from the store
 *   ({@link #check});</li>
 *   <li>an offset already handed on is a copy of one read from the store, or comes from a store that was lost and
 *   started again from 0: the store is read, which tells which;</li>
 *   <li>a topic that has gone quiet reads the store one tick after its last message and then every
 *   {@link #QUIET_CHECK_TICKS} ticks, for a last message whose copy never came.</li>
 * </ul>
 * A read that finds the store's window has moved past the position, or the store holding less than was handed on,
 * closes the live subscribers with {@code missed_messages}; they recover with {@code since}. Runs on the hub's loop.
 */
final class LiveOrder {
  private static final Logger LOG = Logger.getLogger(LiveOrder.class.getName());
  /** How long a message waits for earlier ones still on their way before they are read from the store. */
  static final long GAP_GRACE_MS = 50;
  /** Messages held at most while waiting for earlier ones; past it the store is read at once. */
  static final int MAX_PENDING = 4096;
  /** A quiet topic reads its store one tick after its last message, then every this many ticks. */
  static final int QUIET_CHECK_TICKS = 10;

  private final HistoryFeed feed;
  /** Messages that came before an earlier one, by offset. */
  private final TreeMap<Long, byte[]> pending = new TreeMap<>();
  private boolean started;
  private boolean stopped;
  /** The offset handed on next; everything before it has been. */
  private long next;
  private boolean reading;
  /** A copy of an offset already handed on came: the next read that finds nothing asks the store for its tail. */
  private boolean suspect;
  private boolean graceQueued;
  private long nextAtTick = -1;
  private int quietTicks;

  LiveOrder(HistoryFeed feed) {
    this.feed = feed;
  }

  /** The store's tail is known: messages from {@code first} on are handed on. */
  void start(long first) {
    started = true;
    next = first;
    settle();
    if (!pending.isEmpty()) {
      check();
    }
  }

  /** The offset handed on next (0 before the start). */
  long next() {
    return next;
  }

  void stop() {
    stopped = true;
    pending.clear();
  }

  /** A message's copy from the event bus: {@code frame} is its {@code message} frame's JSON. */
  void arrived(long offset, byte[] frame) {
    if (stopped) {
      return;
    }
    if (!started || offset > next) {
      hold(offset, frame);
    } else if (offset == next) {
      handOn(offset, frame);
      settle();
    } else {
      suspect = true;
      check();
    }
  }

  /** The hub's tick: reads the store when the topic has been quiet for a tick, and then now and then. */
  void tick() {
    if (!started || stopped) {
      return;
    }
    if (next != nextAtTick) {
      nextAtTick = next;
      quietTicks = 0;
      return;
    }
    quietTicks++;
    if (quietTicks == 1 || quietTicks % QUIET_CHECK_TICKS == 0) {
      check();
    }
  }

  private void hold(long offset, byte[] frame) {
    if (pending.size() >= MAX_PENDING) {
      // The store has it; the read that fills the gap brings it.
      check();
      return;
    }
    pending.put(offset, frame);
    if (!started) {
      return;
    }
    if (!graceQueued) {
      graceQueued = true;
      feed.hub().timer(GAP_GRACE_MS, () -> {
        graceQueued = false;
        if (!pending.isEmpty()) {
          check();
        }
      });
    }
  }

  private void handOn(long offset, byte[] frame) {
    next = offset + 1;
    feed.deliver(offset, frame);
  }

  /** Hands on what waited for the messages handed on since. */
  private void settle() {
    while (!pending.isEmpty() && pending.firstKey() <= next) {
      Map.Entry<Long, byte[]> first = pending.pollFirstEntry();
      if (first.getKey() == next) {
        handOn(first.getKey(), first.getValue());
      }
    }
  }

  /** Reads the store from the next offset (one read at a time) and hands on what it finds. */
  private void check() {
    if (reading || stopped || !started) {
      return;
    }
    reading = true;
    long from = next;
    feed.read(from).onComplete(ar -> {
      reading = false;
      if (stopped) {
        return;
      }
      if (ar.failed()) {
        LOG.log(Level.FINE, () -> "reading history topic " + feed.topic() + " failed, retrying: " + ar.cause());
        feed.hub().timer(HistoryFeed.RETRY_MS, this::check);
        return;
      }
      ReadResultSet<byte[]> stored = ar.result();
      if (stored.size() == 0) {
        onNothingStored(from);
        return;
      }
      boolean more = onStored(stored);
      settle();
      if (more || !pending.isEmpty()) {
        check();
      }
    });
  }

  /**
   * A read from {@code from} found nothing: normal for a quiet topic. After a copy of an offset already handed on,
   * or with later messages waiting, the store's tail tells whether it holds less than was handed on (it was lost and
   * started again: Hazelcast reads from the tail when asked past it, so the read alone cannot tell).
   */
  private void onNothingStored(long from) {
    if (!suspect && pending.isEmpty()) {
      return;
    }
    suspect = false;
    reading = true;
    feed.tail().onComplete(ar -> {
      reading = false;
      if (stopped) {
        return;
      }
      if (ar.succeeded() && ar.result() < from - 1) {
        feed.dropLive("the topic's store was lost");
        pending.clear();
        next = ar.result() + 1;
      } else if (!pending.isEmpty()) {
        feed.hub().timer(ar.succeeded() ? GAP_GRACE_MS : HistoryFeed.RETRY_MS, this::check);
      }
    });
  }

  /** Hands on what a read found (at least one message); returns whether the store may hold more. */
  private boolean onStored(ReadResultSet<byte[]> stored) {
    int count = stored.size();
    if (stored.getSequence(0) > next) {
      // Dropped (size, age) before this node had them: its live subscribers have a gap.
      feed.dropLive("the node fell behind the topic's stored window");
      next = stored.getSequence(0);
    }
    for (int i = 0; i < count; i++) {
      long offset = stored.getSequence(i);
      if (offset == next) {
        handOn(offset, feed.frame(offset, stored.get(i)));
      }
    }
    return count == feed.batchSize();
  }
}
