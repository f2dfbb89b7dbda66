package dev.switchboard.client.impl;

import dev.switchboard.client.Position;
import dev.switchboard.protocol.Topics;
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
  /**
   * History topics: a message or presence event was not handed on because the dispatcher was full; later ones are
   * skipped until a new subscribe asks for everything after {@link #position}.
   */
  boolean behind;
  /** Subscribes refused with a retryable error in a row on the current connection. */
  int retries;
  /** Sends the subscribe again after a retryable error; null when no retry is waiting. */
  ScheduledFuture<?> retryTimer;
  /**
   * History topics: the position of the last message or presence event handed to the dispatcher, or where the
   * subscription started when none was since. Kept across connections: the next subscribe asks for what came after
   * it.
   */
  Position position;
  /** A subscribe on the current connection asked for presence events ({@code presence_events}). */
  boolean events;
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

  /** Moves {@link #position} on to a delivered message's or event's position, never back within an epoch. */
  void delivered(Position p) {
    if (p != null && (!p.sameEpoch(position) || p.offset() > position.offset())) {
      position = p;
    }
  }

  /**
   * What to ask to resume after: the earliest of {@link #position} and the {@code since} of each local subscription
   * not yet live, within the epoch of the first of them (a local one of another epoch is told of its gap when the
   * answer comes). Null for a pattern, and when nothing is known.
   */
  Position since() {
    if (Topics.isPattern(key)) {
      return null;
    }
    Position since = position;
    for (SubscriptionImpl s : locals) {
      Position p = s.live ? null : s.options.since();
      if (p != null && (since == null || (p.sameEpoch(since) && p.offset() < since.offset()))) {
        since = p;
      }
    }
    return since;
  }

  /**
   * The presence info to subscribe with: that of the first local subscription that has one (the node keeps a
   * connection's first info, so the others share it), or {@code null}.
   */
  String info() {
    for (SubscriptionImpl s : locals) {
      if (s.info != null) {
        return s.info;
      }
    }
    return null;
  }

  /** Whether a local subscription has a presence listener: the wire subscription then asks for the events. */
  boolean wantsEvents() {
    for (SubscriptionImpl s : locals) {
      if (s.options.presenceListener() != null) {
        return true;
      }
    }
    return false;
  }

  /** Whether a local subscription not yet live asked for {@code latest}. */
  boolean wantsLatest() {
    for (SubscriptionImpl s : locals) {
      if (!s.live && s.options.latest()) {
        return true;
      }
    }
    return false;
  }

  /** Forgets what belongs to the current connection: the request, the activity, a waiting retry. */
  void reset() {
    requestId = null;
    active = false;
    events = false;
    retries = 0;
    cancelRetry();
  }

  void cancelRetry() {
    Loop.cancel(retryTimer);
    retryTimer = null;
  }
}
