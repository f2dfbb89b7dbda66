package dev.switchboard.broker.history;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The publishes of one event loop to history topics, stored in the order they were made: per topic, one store
 * operation at a time, and what was published meanwhile goes in the next one as a batch (an atomic add of
 * consecutive offsets). So one connection's messages get offsets in its publish order, and a busy topic costs one
 * round trip per batch, not per message. The first store operation of a topic waits for the end of the current
 * event-loop task, so that it takes every publish the task made (all the frames of one read, say): stored together,
 * the messages are then delivered together, in one write per subscriber. Runs on its hub's event loop.
 */
public final class HistoryAppender {
  /** Hazelcast's largest batch. */
  static final int MAX_BATCH = 1000;

  /** {@code entry}: the message as the store keeps it ({@link HistoryEntry}). */
  private record Item(byte[] entry, Promise<Long> offset) {
  }

  private final History history;
  private final Context context;
  /** Topics with a store operation under way, and what waits for the next one. */
  private final Map<String, ArrayDeque<Item>> waiting = new HashMap<>();

  public HistoryAppender(History history, Context context) {
    this.history = history;
    this.context = context;
  }

  /**
   * Stores {@code entry} ({@link HistoryEntry}) after everything this event loop published to {@code topic} before;
   * completes with its offset.
   */
  public Future<Long> append(String topic, byte[] entry) {
    Item item = new Item(entry, Promise.promise());
    ArrayDeque<Item> queue = waiting.get(topic);
    if (queue != null) {
      queue.add(item);
    } else {
      queue = new ArrayDeque<>();
      queue.add(item);
      waiting.put(topic, queue);
      context.runOnContext(v -> storeNext(topic));
    }
    return item.offset.future();
  }

  /** Stores what waits for {@code topic}, up to {@link #MAX_BATCH}, or forgets the topic when nothing does. */
  private void storeNext(String topic) {
    ArrayDeque<Item> queue = waiting.get(topic);
    if (queue.isEmpty()) {
      waiting.remove(topic);
      return;
    }
    List<Item> next = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
    while (!queue.isEmpty() && next.size() < MAX_BATCH) {
      next.add(queue.poll());
    }
    store(topic, next);
  }

  private void store(String topic, List<Item> batch) {
    List<byte[]> entries = new ArrayList<>(batch.size());
    for (Item item : batch) {
      entries.add(item.entry);
    }
    history.appendAll(topic, entries, context).onComplete(ar -> {
      for (int i = 0; i < batch.size(); i++) {
        if (ar.succeeded()) {
          batch.get(i).offset.complete(ar.result() - (batch.size() - 1) + i);
        } else {
          batch.get(i).offset.fail(ar.cause());
        }
      }
      storeNext(topic);
    });
  }
}
