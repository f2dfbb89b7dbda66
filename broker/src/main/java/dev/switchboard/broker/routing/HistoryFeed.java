package dev.switchboard.broker.routing;

import dev.switchboard.broker.history.History;
import dev.switchboard.broker.wire.ServerFrames;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import dev.switchboard.protocol.CloseCode;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One history topic on one event loop: a single read of the topic's ringbuffer always under way (parked in the
 * cluster until the next message is stored), whose messages go, in offset order, to every local subscriber that is
 * live; and, per subscriber that is still recovering, its own reads from where it is until it has caught up with
 * the live read and goes live too. Everything runs on the hub's event loop.
 */
public final class HistoryFeed {
  private static final Logger LOG = Logger.getLogger(HistoryFeed.class.getName());
  /** Messages one read brings at most (Hazelcast allows up to 1000). */
  static final int BATCH = 256;
  static final long RETRY_MS = 500;

  /** The position a subscription starts from, and whether the position the client asked for was recovered. */
  public record Joined(long position, Boolean recovered) {
  }

  /** One subscriber's place in the topic: the offset of the last message written to it. */
  private static final class Reader {
    final Subscriber subscriber;
    long last;
    boolean live;
    /** Joined with {@code latest}: the first read may find the last message already expired; that is no gap. */
    boolean lenient;

    Reader(Subscriber subscriber) {
      this.subscriber = subscriber;
    }
  }

  private final Hub hub;
  private final String topic;
  private final String epoch;
  /** Set once {@link #ready}: the proxy is created off the event loop. */
  private Ringbuffer<byte[]> ringbuffer;
  /** Messages one read brings at most: {@link #BATCH}, or the topic's size if smaller (Hazelcast's rule). */
  private final int batch;
  private final Map<Subscriber, Reader> readers = new LinkedHashMap<>();
  final Future<Void> ready;
  /** The offset the live read asks for next; every live reader has had everything before it. */
  private long next;
  private boolean stopped;

  HistoryFeed(Hub hub, String topic, History history) {
    this.hub = hub;
    this.topic = topic;
    this.epoch = history.epoch();
    this.batch = Math.min(BATCH, history.size(topic));
    this.ready = history.ringbuffer(topic, hub.context()).compose(store -> {
      ringbuffer = store;
      return hub.blocking(store::tailSequence);
    }).map(tail -> {
      next = tail + 1;
      readLive();
      return null;
    });
  }

  /**
   * Decides where {@code subscriber} starts: after the current position, or after {@code sinceOffset} (of
   * {@code sinceEpoch}) if everything after it is still stored, or at the last message ({@code latest}). Nothing is
   * written to it until {@link #start} (called once its {@code subscribed} is written).
   */
  Future<Joined> join(Subscriber subscriber, String sinceEpoch, long sinceOffset, boolean latest) {
    return ready.compose(v -> {
      long current = next - 1;
      Reader reader = readers.get(subscriber);
      if (reader == null) {
        // Unsubscribed (or gone) meanwhile: its answers still come in order, it gets no messages.
        return Future.succeededFuture(new Joined(current, sinceEpoch == null ? null : false));
      }
      if (sinceEpoch == null) {
        reader.lenient = latest && current >= 0;
        reader.last = reader.lenient ? current - 1 : current;
        return Future.succeededFuture(new Joined(current, null));
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
      return read(sinceOffset + 1, 0).map(first -> {
        boolean recovered = first.size() > 0 && first.getSequence(0) == sinceOffset + 1;
        long now = next - 1;
        reader.last = recovered ? sinceOffset : now;
        return new Joined(now, recovered);
      });
    });
  }

  /**
   * A client that has seen more than this node has read: it came from a node whose read was ahead (this one's live
   * read is a moment behind, or waits on a store whose owner just died). If the store holds its position, it resumes
   * right after it, and the live read skips what it has; if not, what it saw was lost with the store. Asks the store,
   * which may wait until a dead owner is replaced.
   */
  private Future<Joined> joinAhead(Reader reader, long sinceOffset) {
    return hub.blocking(ringbuffer::tailSequence).map(tail -> {
      if (tail >= sinceOffset) {
        reader.last = sinceOffset;
        return new Joined(tail, true);
      }
      reader.last = next - 1;
      return new Joined(next - 1, false);
    });
  }

  /** Starts writing to {@code subscriber}: what it misses first, then live messages. */
  void start(Subscriber subscriber) {
    Reader reader = readers.get(subscriber);
    if (reader != null && !reader.live) {
      catchUp(reader);
    }
  }

  /** The offset of the last message the live read has handed out (-1 before the first). */
  long position() {
    return next - 1;
  }

  /** Adds a subscriber; it gets nothing until {@link #join} and {@link #start}. */
  void admit(Subscriber subscriber) {
    readers.put(subscriber, new Reader(subscriber));
  }

  /** Removes a subscriber; returns whether none is left (the feed has then stopped). */
  boolean remove(Subscriber subscriber) {
    readers.remove(subscriber);
    if (readers.isEmpty()) {
      // The parked read ends with the topic's next message, and is ignored then.
      stopped = true;
    }
    return stopped;
  }

  private void readLive() {
    if (stopped) {
      return;
    }
    long from = next;
    read(from, 1).onComplete(ar -> {
      if (stopped) {
        return;
      }
      if (ar.succeeded()) {
        onLive(from, ar.result());
        readLive();
      } else {
        onLiveFailure(ar.cause());
      }
    });
  }

  private void onLive(long from, ReadResultSet<byte[]> batch) {
    if (batch.size() > 0 && batch.getSequence(0) > from) {
      // Messages were dropped (size, age) before this node read them: its live subscribers have a gap.
      dropLive("the node fell behind the topic's stored window");
    }
    int count = batch.size();
    if (count > 0) {
      deliverLive(batch, count);
    }
    next = Math.max(next, batch.getNextSequenceToReadFrom());
  }

  /**
   * Writes a read's messages (consecutive offsets) to the live readers: to a reader that has everything before them,
   * all of them as one buffer (one write, as the hub does for plain topics); to one that has some already, the rest
   * one by one.
   */
  private void deliverLive(ReadResultSet<byte[]> batch, int count) {
    long first = batch.getSequence(0);
    List<ByteBuf> frames = new ArrayList<>(count);
    int bytes = 0;
    for (int i = 0; i < count; i++) {
      ByteBuf frame = ServerFrames.wire(hub.allocator(),
          ServerFrames.historyMessage(topic, null, epoch, first + i, batch.get(i)));
      frames.add(frame);
      bytes += frame.readableBytes();
    }
    ByteBuf all = count == 1 ? frames.get(0).retain() : ServerFrames.concat(hub.allocator(), frames, bytes);
    long written = 0;
    try {
      for (Reader reader : readers.values()) {
        if (!reader.live) {
          continue;
        }
        if (reader.last + 1 == first) {
          if (reader.subscriber.sendAll(all, frames, topic, first)) {
            reader.last = first + count - 1;
            written += count;
          }
          continue;
        }
        for (int i = (int) Math.max(0, reader.last + 1 - first); i < count; i++) {
          if (first + i != reader.last + 1 || !reader.subscriber.send(frames.get(i), topic, first + i)) {
            break;
          }
          reader.last = first + i;
          written++;
        }
      }
    } finally {
      all.release();
      for (int i = 0; i < count; i++) {
        frames.get(i).release();
      }
    }
    for (int i = 0; i < count; i++) {
      hub.stats.received();
    }
    hub.stats.delivered((int) written);
  }

  private void onLiveFailure(Throwable failure) {
    LOG.log(Level.FINE, () -> "reading history topic " + topic + " failed: " + failure);
    hub.blocking(ringbuffer::tailSequence).onComplete(ar -> {
      if (stopped) {
        return;
      }
      if (ar.succeeded() && ar.result() < next - 1) {
        // The store holds less than this node has read: it was lost (more members died than it has backups).
        dropLive("the topic's store was lost");
        next = ar.result() + 1;
        readLive();
      } else {
        hub.timer(RETRY_MS, this::readLive);
      }
    });
  }

  /** Closes every live subscriber: it has missed messages, and learns so by recovering with {@code since}. */
  private void dropLive(String why) {
    LOG.log(Level.WARNING, "history topic " + topic + ": " + why + "; closing its subscribers with "
        + CloseCode.MISSED_MESSAGES.reason());
    List<Reader> live = new ArrayList<>();
    for (Reader reader : readers.values()) {
      if (reader.live) {
        live.add(reader);
      }
    }
    for (Reader reader : live) {
      reader.subscriber.close(CloseCode.MISSED_MESSAGES);
    }
  }

  /** Brings a reader from where it is to the live read, in bounded batches, then makes it live. */
  private void catchUp(Reader reader) {
    if (readers.get(reader.subscriber) != reader) {
      return;
    }
    if (reader.last >= next - 1) {
      reader.live = true;
      return;
    }
    if (!reader.subscriber.writable()) {
      reader.subscriber.whenWritable(() -> catchUp(reader));
      return;
    }
    long from = reader.last + 1;
    read(from, 0).onComplete(ar -> {
      if (readers.get(reader.subscriber) != reader) {
        return;
      }
      if (ar.failed()) {
        LOG.log(Level.FINE, () -> "recovering history topic " + topic + " failed, retrying: " + ar.cause());
        hub.timer(RETRY_MS, () -> catchUp(reader));
        return;
      }
      ReadResultSet<byte[]> batch = ar.result();
      boolean lenient = reader.lenient;
      reader.lenient = false;
      if (batch.size() == 0 || batch.getSequence(0) != from) {
        if (lenient) {
          reader.last = batch.size() == 0 ? next - 1 : batch.getSequence(0) - 1;
        } else {
          // Dropped while it was recovering (size or age): it has a gap.
          reader.subscriber.close(CloseCode.MISSED_MESSAGES);
          return;
        }
      }
      for (int i = 0; i < batch.size(); i++) {
        long offset = batch.getSequence(i);
        if (offset == reader.last + 1 && sendOne(reader.subscriber, offset, batch.get(i))) {
          reader.last = offset;
        }
      }
      catchUp(reader);
    });
  }

  /** Writes one recovered message to one subscriber alone. */
  private boolean sendOne(Subscriber subscriber, long offset, byte[] entry) {
    ByteBuf frame = ServerFrames.wire(hub.allocator(), ServerFrames.historyMessage(topic, null, epoch, offset, entry));
    try {
      return subscriber.send(frame, topic, offset);
    } finally {
      frame.release();
    }
  }

  /** Up to {@link #batch} messages from {@code from} on; {@code min} 1 waits in the cluster for one to exist. */
  private Future<ReadResultSet<byte[]>> read(long from, int min) {
    try {
      return hub.onLoop(ringbuffer.readManyAsync(from, min, batch, null));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

}
