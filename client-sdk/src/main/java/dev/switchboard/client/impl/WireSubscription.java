package dev.switchboard.client.impl;

import dev.switchboard.client.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/** One subscription on the wire, shared by the local subscriptions on its topic or pattern. Loop thread only. */
final class WireSubscription {
  final String key;
  final List<SubscriptionImpl> locals = new ArrayList<>();
  /** The id of the unanswered subscribe sent on the current connection, or null. */
  String requestId;
  /** The broker answered subscribed on the current connection. */
  boolean active;
  /** Subscribes refused with a retryable error in a row on the current connection. */
  int retries;
  /** Sends the subscribe again after a retryable error; null when no retry is waiting. */
  ScheduledFuture<?> retryTimer;
  /**
   * History topics: the position of the last message handed to the dispatcher, or where the subscription started
   * when none was since. Kept across connections: the next subscribe asks for the messages after it.
   */
  Position position;
  /** What the unanswered subscribe asked for: {@code since} (or null) and {@code latest}. */
  Position requestSince;
  boolean requestLatest;

  WireSubscription(String key) {
    this.key = key;
  }

  /** Whether a local subscription was confirmed: its handler receives messages and counts on this subscription. */
  boolean hasLive() {
    for (SubscriptionImpl s : locals) {
      if (s.live) {
        return true;
      }
    }
    return false;
  }

  /** Moves {@link #position} on to a delivered message's position, never back within an epoch. */
  void delivered(Position p) {
    if (p != null && (!p.sameEpoch(position) || p.offset() > position.offset())) {
      position = p;
    }
  }

  /** Forgets what belongs to the current connection: the request, the activity, a waiting retry. */
  void reset() {
    requestId = null;
    active = false;
    retries = 0;
    cancelRetry();
  }

  void cancelRetry() {
    Loop.cancel(retryTimer);
    retryTimer = null;
  }
}
