package dev.switchboard.broker.routing;

import dev.switchboard.broker.history.History;
import dev.switchboard.broker.history.HistoryEntry;
import dev.switchboard.broker.wire.ServerFrames;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import dev.switchboard.protocol.CloseCode;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One history topic on one event loop. Live messages come over the event bus like a plain topic's, each with the
 * offset the store gave it ({@link LiveOrder} puts them in offset order and fills gaps from the store), and go to the
 * subscribers that are live through the hub's {@link TurnWriter}: a turn's messages in one write per subscriber.
 * A subscriber that starts behind (recovery with {@code since}, {@code latest}) reads the store on its own until it
 * reaches the live position, then joins the live set. Everything runs on the hub's event loop.
 *
 * <p>On a presence topic the store also holds the topic's {@code join} and {@code leave} events
 * ({@link HistoryEntry#event}), in the same offsets: the subscribers that asked for them ({@code presence_events})
 * get them in order with the messages, live and recovering; the others never see them and skip their offsets.
 */
public final class HistoryFeed {
  private static final Logger LOG = Logger.getLogger(HistoryFeed.class.getName());
  /** Messages one read brings at most (Hazelcast allows up to 1000). */
  static final int BATCH = 256;
  static final long RETRY_MS = 500;

  /** The position a subscription starts from, and whether the position the client asked for was recovered. */
  public record Joined(long position, Boolean recovered) {
  }

  /** One subscriber's place in the topic: the offset of the last entry written to it (or skipped, an event unasked). */
  private static final class Reader {
    final Subscriber subscriber;
    long last;
    boolean live;
    /** It gets the topic's presence events too. */
    boolean events;
    /** Joined with {@code latest}: the first read may find the last message already expired; that is no gap. */
    boolean lenient;

    Reader(Subscriber subscriber) {
      this.subscriber = subscriber;
    }
  }

  private final Hub hub;
  private final String topic;
  private final String epoch;
  /** Messages one read brings at most: {@link #BATCH}, or the topic's size if smaller (Hazelcast's rule). */
  private final int batch;
  /** Set once {@link #ready}: the proxy is created off the event loop. */
  private Ringbuffer<byte[]> ringbuffer;
  private final Map<Subscriber, Reader> readers = new LinkedHashMap<>();
  /** The subscribers that have everything before the live position and get each live message as it comes. */
  private final Set<Subscriber> live = new LinkedHashSet<>();
  /** As {@link #live}, for those that get the presence events too. */
  private final Set<Subscriber> liveWithEvents = new LinkedHashSet<>();
  /** Readers that have seen more than the live position (they came from a node that was ahead); live once it is. */
  private final List<Reader> ahead = new ArrayList<>();
  /** The live messages of this turn, written to {@link #live} at its end. */
  private final TurnWriter.Batch out;
  /** The live messages and events of this turn, written to {@link #liveWithEvents} at its end. */
  private final TurnWriter.Batch outWithEvents;
  private final LiveOrder order;
  final Future<Void> ready;

  /** {@code registered}: this event loop's consumer of the topic's live messages is known to the cluster. */
  HistoryFeed(Hub hub, String topic, History history, Future<Void> registered) {
    this.hub = hub;
    this.topic = topic;
    this.epoch = history.epoch();
    this.batch = Math.min(BATCH, history.size(topic));
    this.out = new TurnWriter.Batch(live, topic);
    this.outWithEvents = new TurnWriter.Batch(liveWithEvents, topic);
    this.order = new LiveOrder(this);
    // The store's tail is read after the consumer is registered: every message stored after it is published to us.
    this.ready = registered.compose(v -> history.ringbuffer(topic, hub.context())).compose(store -> {
      ringbuffer = store;
      return hub.blocking(store::tailSequence);
    }).map(tail -> {
      order.start(tail + 1);
      return null;
    });
  }

  /** A live message from the event bus. */
  void live(Delivery delivery) {
    order.arrived(delivery.offset, delivery.frame);
  }

  /** The hub's periodic tick: a quiet topic looks at its store now and then, for a message whose live copy was lost. */
  void tick() {
    order.tick();
  }

  /**
   * Decides where {@code subscriber} starts: after the current position, or after {@code sinceOffset} (of
   * {@code sinceEpoch}) if everything after it is still stored, or at the last message ({@code latest}). Nothing is
   * written to it until {@link #start} (called once its {@code subscribed} is written).
   */
  Future<Joined> join(Subscriber subscriber, String sinceEpoch, long sinceOffset, boolean latest) {
    return ready.compose(v -> {
      long current = position();
      Reader reader = readers.get(subscriber);
      if (reader == null) {
        // Unsubscribed (or gone) meanwhile: its answers still come in order, it gets no messages.
        return Future.succeededFuture(new Joined(current, sinceEpoch == null ? null : false));
      }
      if (sinceEpoch == null) {
        reader.last = current;
        if (!latest || current < 0) {
          return Future.succeededFuture(new Joined(current, null));
        }
        // Starts at the last message, which comes first: its position is the subscription's (events after it follow).
        return lastMessage(current).map(at -> {
          if (at < 0) {
            return new Joined(current, null);
          }
          reader.lenient = true;
          reader.last = at - 1;
          return new Joined(at, null);
        });
      }
      if (!epoch.equals(sinceEpoch)) {
        reader.last = current;
        return Future.succeededFuture(new Joined(current, false));
      }
      if (sinceOffset > current) {
        return joinAhead(reader, sinceOffset);
      }
      if (sinceOffset == current) {
        reader.last = current;
        return Future.succeededFuture(new Joined(current, true));
      }
      // Is the first missed message still stored? Messages go by size and age, oldest first, so then all are.
      return read(sinceOffset + 1).map(first -> {
        boolean recovered = first.size() > 0 && first.getSequence(0) == sinceOffset + 1;
        long now = position();
        reader.last = recovered ? sinceOffset : now;
        return new Joined(now, recovered);
      });
    });
  }

  /**
   * The offset of the last message at or before {@code current}, looking back one read ({@link #batch} entries) past
   * the presence events stored after it; -1 when there is none there (or the store cannot be read now).
   */
  private Future<Long> lastMessage(long current) {
    return read(Math.max(0, current - batch + 1)).map(stored -> {
      for (int i = stored.size() - 1; i >= 0; i--) {
        if (stored.getSequence(i) <= current && !HistoryEntry.isEvent(stored.get(i))) {
          return stored.getSequence(i);
        }
      }
      return -1L;
    }).otherwise(-1L);
  }

  /**
   * A client that has seen more than this node has: it came from a node whose live stream was ahead (this one's is a
   * moment behind, or waits on a store whose owner just died). If the store holds its position, it resumes right
   * after it once this node's live position gets there; if not, what it saw was lost with the store. Asks the store,
   * which may wait until a dead owner is replaced.
   */
  private Future<Joined> joinAhead(Reader reader, long sinceOffset) {
    return hub.blocking(ringbuffer::tailSequence).map(tail -> {
      if (tail >= sinceOffset) {
        reader.last = sinceOffset;
        return new Joined(tail, true);
      }
      reader.last = position();
      return new Joined(position(), false);
    });
  }

  /** Starts writing to {@code subscriber}: what it misses first, then live messages. */
  void start(Subscriber subscriber) {
    Reader reader = readers.get(subscriber);
    if (reader != null && !reader.live) {
      catchUp(reader);
    }
  }

  /** The offset of the last live message handed out (-1 before the first). */
  long position() {
    return order.next() - 1;
  }

  /** Adds a subscriber; it gets nothing until {@link #join} and {@link #start}. */
  void admit(Subscriber subscriber) {
    readers.put(subscriber, new Reader(subscriber));
  }

  /**
   * {@code subscriber} gets the topic's presence events from now on (in order with the messages: a live one moves to
   * the live set with events once what this turn holds for each set is written).
   */
  void withEvents(Subscriber subscriber) {
    Reader reader = readers.get(subscriber);
    if (reader == null || reader.events) {
      return;
    }
    reader.events = true;
    if (reader.live) {
      hub.writer().write(out);
      hub.writer().write(outWithEvents);
      live.remove(subscriber);
      liveWithEvents.add(subscriber);
    }
  }

  /** Removes a subscriber; once none is left the feed stops (the hub drops it with its consumer). */
  void remove(Subscriber subscriber) {
    Reader reader = readers.remove(subscriber);
    live.remove(subscriber);
    liveWithEvents.remove(subscriber);
    ahead.remove(reader);
    if (readers.isEmpty()) {
      order.stop();
    }
  }

  /**
   * {@link LiveOrder}: the next entry in offset order (a JSON {@code message} frame, or a {@code join} or
   * {@code leave}), for the live subscribers (an event only for those that asked for events).
   */
  void deliver(long offset, byte[] frame) {
    boolean message = ServerFrames.isMessage(frame);
    if (message) {
      hub.stats.received();
    }
    boolean toLive = message && !live.isEmpty();
    if (toLive || !liveWithEvents.isEmpty()) {
      ByteBuf wire = ServerFrames.wire(hub.allocator(), frame);
      if (toLive) {
        hub.writer().hold(out, liveWithEvents.isEmpty() ? wire : wire.retainedDuplicate(), offset);
      }
      if (!liveWithEvents.isEmpty()) {
        hub.writer().hold(outWithEvents, wire, offset);
      }
    }
    if (!ahead.isEmpty()) {
      for (Reader reader : new ArrayList<>(ahead)) {
        if (reader.last == offset) {
          ahead.remove(reader);
          goLive(reader);
        }
      }
    }
  }

  /** {@link LiveOrder}: the frame of a stored message or event read back. */
  byte[] frame(long offset, byte[] entry) {
    return HistoryEntry.isEvent(entry)
        ? ServerFrames.historyEvent(topic, epoch, offset, entry, HistoryEntry.eventStart(entry))
        : ServerFrames.historyMessage(topic, null, epoch, offset, entry);
  }

  /** Closes every live subscriber: it has missed messages, and learns so by recovering with {@code since}. */
  void dropLive(String why) {
    LOG.log(Level.WARNING, "history topic " + topic + ": " + why + "; closing its subscribers with "
        + CloseCode.MISSED_MESSAGES.reason());
    List<Subscriber> closing = new ArrayList<>(live);
    closing.addAll(liveWithEvents);
    for (Reader reader : ahead) {
      closing.add(reader.subscriber);
    }
    live.clear();
    liveWithEvents.clear();
    ahead.clear();
    for (Subscriber subscriber : closing) {
      subscriber.close(CloseCode.MISSED_MESSAGES);
    }
  }

  /** A reader at the live position joins the live set, after what this turn holds for the others is written. */
  private void goLive(Reader reader) {
    long position = position();
    if (reader.last > position) {
      ahead.add(reader);
      return;
    }
    hub.writer().write(reader.events ? outWithEvents : out);
    reader.live = true;
    (reader.events ? liveWithEvents : live).add(reader.subscriber);
  }

  /** Brings a reader from where it is to the live position, in bounded batches, then makes it live. */
  private void catchUp(Reader reader) {
    if (readers.get(reader.subscriber) != reader) {
      return;
    }
    if (reader.last >= position()) {
      goLive(reader);
      return;
    }
    if (!reader.subscriber.writable()) {
      reader.subscriber.whenWritable(() -> catchUp(reader));
      return;
    }
    long from = reader.last + 1;
    read(from).onComplete(ar -> {
      if (readers.get(reader.subscriber) != reader) {
        return;
      }
      if (ar.failed()) {
        LOG.log(Level.FINE, () -> "recovering history topic " + topic + " failed, retrying: " + ar.cause());
        hub.timer(RETRY_MS, () -> catchUp(reader));
        return;
      }
      ReadResultSet<byte[]> stored = ar.result();
      boolean lenient = reader.lenient;
      reader.lenient = false;
      if (stored.size() == 0 || stored.getSequence(0) != from) {
        if (lenient) {
          reader.last = stored.size() == 0 ? position() : stored.getSequence(0) - 1;
        } else {
          // Dropped while it was recovering (size or age): it has a gap.
          reader.subscriber.close(CloseCode.MISSED_MESSAGES);
          return;
        }
      }
      // Up to the live position only: what comes after reaches it live.
      long until = position();
      for (int i = 0; i < stored.size(); i++) {
        long offset = stored.getSequence(i);
        if (offset > until) {
          break;
        }
        if (offset != reader.last + 1) {
          continue;
        }
        if (!reader.events && HistoryEntry.isEvent(stored.get(i))) {
          reader.last = offset; // an event it did not ask for: passed over
        } else if (sendOne(reader.subscriber, offset, stored.get(i))) {
          reader.last = offset;
        }
      }
      catchUp(reader);
    });
  }

  /** Writes one recovered message (or event) to one subscriber alone. */
  private boolean sendOne(Subscriber subscriber, long offset, byte[] entry) {
    var wire = ServerFrames.wire(hub.allocator(), frame(offset, entry));
    try {
      return subscriber.send(wire, topic, offset);
    } finally {
      wire.release();
    }
  }

  /** Up to {@link #batch} stored messages from {@code from} on (fewer, or none, if fewer are stored). */
  Future<ReadResultSet<byte[]>> read(long from) {
    try {
      return hub.onLoop(ringbuffer.readManyAsync(from, 0, batch, null));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The store's last offset (-1 when empty); asks the cluster on a worker. */
  Future<Long> tail() {
    return hub.blocking(ringbuffer::tailSequence);
  }

  Hub hub() {
    return hub;
  }

  int batchSize() {
    return batch;
  }

  String topic() {
    return topic;
  }
}
