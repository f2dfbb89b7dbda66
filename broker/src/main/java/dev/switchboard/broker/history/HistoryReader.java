package dev.switchboard.broker.history;

import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a page of a history topic's store, oldest or newest first, for the server API ({@code GET /api/v1/history}).
 * The store's range (head and tail) is asked for on a worker thread (Hazelcast has no asynchronous call for it), the
 * messages with one asynchronous read; nothing blocks the event loop, and everything completes on the caller's
 * context. A page is at most {@link #MAX_LIMIT} messages; its cursor is the offset the next page starts after.
 */
public final class HistoryReader {
  /** The most messages one page holds (one read of a Hazelcast ringbuffer brings at most 1000). */
  public static final int MAX_LIMIT = 1000;

  /** One stored message: its offset and its {@link HistoryEntry} (data, then the publish stamp). */
  public record Stored(long offset, byte[] entry) {
  }

  /**
   * A page: the topic's epoch, the messages in the order asked for, and the offset to read after (exclusive) for the
   * next page, or null when there is none.
   */
  public record Slice(String epoch, List<Stored> messages, Long next) {
  }

  private HistoryReader() {
  }

  /**
   * Up to {@code limit} (1 to {@link #MAX_LIMIT}) messages of the history topic {@code topic}: oldest first, those
   * after offset {@code since} (null: from the oldest still stored), or newest first ({@code newest}), those before
   * {@code since} (null: from the newest). Messages gone from the store (by size or age) are skipped without notice;
   * a cursor past either end gives an empty page. Fails when the store cannot be read (no quorum, a stuck cluster).
   */
  public static Future<Slice> read(History history, String topic, Long since, int limit, boolean newest,
                                   Context context) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    String epoch = history.epoch();
    return history.ringbuffer(topic, context).compose(store -> context.<long[]>executeBlocking(
        () -> new long[] {store.headSequence(), store.tailSequence()}, false).compose(range -> {
          long head = range[0];
          long tail = range[1];
          long from;
          long to;
          if (newest) {
            to = since == null ? tail : Math.min(tail, since - 1);
            from = Math.max(head, to - limit + 1);
          } else {
            // A cursor at or past the tail has nothing after it (and since + 1 could overflow).
            from = since == null ? head : since >= tail ? tail + 1 : Math.max(head, since + 1);
            to = Math.min(tail, from + limit - 1);
          }
          if (to < from) {
            return Future.succeededFuture(new Slice(epoch, List.of(), null));
          }
          return read(store, from, to, context).map(stored -> slice(epoch, stored, newest, head, tail));
        }));
  }

  private static Future<List<Stored>> read(Ringbuffer<byte[]> store, long from, long to, Context context) {
    try {
      return Future.fromCompletionStage(store.readManyAsync(from, 0, (int) (to - from + 1), null), context)
          .map(result -> stored(result, to));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The messages of {@code result} up to offset {@code to}, oldest first. */
  private static List<Stored> stored(ReadResultSet<byte[]> result, long to) {
    List<Stored> stored = new ArrayList<>(result.size());
    for (int i = 0; i < result.size(); i++) {
      long offset = result.getSequence(i);
      if (offset <= to) {
        stored.add(new Stored(offset, result.get(i)));
      }
    }
    return stored;
  }

  private static Slice slice(String epoch, List<Stored> oldestFirst, boolean newest, long head, long tail) {
    if (oldestFirst.isEmpty()) {
      return new Slice(epoch, List.of(), null);
    }
    if (newest) {
      long first = oldestFirst.get(0).offset();
      List<Stored> newestFirst = new ArrayList<>(oldestFirst);
      Collections.reverse(newestFirst);
      return new Slice(epoch, newestFirst, first > head ? first : null);
    }
    long last = oldestFirst.get(oldestFirst.size() - 1).offset();
    return new Slice(epoch, oldestFirst, last < tail ? last : null);
  }
}
