package dev.switchboard.broker.sse;

import dev.switchboard.broker.wire.ClientFrame;
import dev.switchboard.protocol.Topics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a server-sent-events stream is in its history topics: the cluster's epoch and, per history topic, the offset
 * of the last message the stream was given. It is the {@code id:} of every event that moves it, so that EventSource
 * sends it back as {@code Last-Event-ID} when it reconnects, and an application can pass it as {@code lastEventId}.
 * One id has to carry every history topic of the stream (EventSource keeps only the last id), and topics are named
 * rather than numbered so that a cursor stays right when the application changes its topic list.
 *
 * <p>Text: {@code <epoch>;<topic>:<offset>;<topic>:<offset>…}, e.g.
 * {@code 3f9c20aa71d04b5e;chat.room1:41;chat.room2:-1}
 * (offset -1: the topic had no message yet). The epoch is written once: it is one for the whole cluster. A topic may
 * contain {@code :} but never {@code ;}, and an offset never contains {@code :}, so the last {@code :} of an entry
 * splits it.
 */
final class SseCursor {
  private final String epoch;
  /** Topic → offset of the last message given, in the stream's order. */
  private final Map<String, Long> offsets = new LinkedHashMap<>();

  SseCursor(String epoch) {
    this.epoch = epoch;
  }

  String epoch() {
    return epoch;
  }

  /** The offset this cursor holds for {@code topic}, or null when it does not name it. */
  Long offset(String topic) {
    return offsets.get(topic);
  }

  void put(String topic, long offset) {
    offsets.put(topic, offset);
  }

  boolean isEmpty() {
    return offsets.isEmpty();
  }

  /** The text form, the {@code id:} of an event. */
  String format() {
    StringBuilder sb = new StringBuilder(epoch.length() + 24 * offsets.size()).append(epoch);
    for (Map.Entry<String, Long> e : offsets.entrySet()) {
      sb.append(';').append(e.getKey()).append(':').append(e.getValue());
    }
    return sb.toString();
  }

  /** Reads a cursor; throws {@link IllegalArgumentException} saying what is wrong with it. */
  static SseCursor parse(String text) {
    String[] parts = text.split(";", -1);
    String epoch = parts[0];
    if (epoch.isEmpty() || epoch.length() > ClientFrame.MAX_ID_LENGTH) {
      throw new IllegalArgumentException("the cursor must start with an epoch of 1 to " + ClientFrame.MAX_ID_LENGTH
          + " characters");
    }
    SseCursor cursor = new SseCursor(epoch);
    for (int i = 1; i < parts.length; i++) {
      String entry = parts[i];
      int colon = entry.lastIndexOf(':');
      String topic = colon < 0 ? "" : entry.substring(0, colon);
      if (colon < 0 || Topics.checkTopic(topic) != null) {
        throw new IllegalArgumentException("cursor entry " + i + " is not <topic>:<offset>");
      }
      long offset;
      try {
        offset = Long.parseLong(entry.substring(colon + 1));
      } catch (NumberFormatException e) {
        offset = -2;
      }
      if (offset < -1) {
        throw new IllegalArgumentException("cursor entry " + i + " has no offset (an integer >= -1)");
      }
      cursor.put(topic, offset);
    }
    return cursor;
  }
}
