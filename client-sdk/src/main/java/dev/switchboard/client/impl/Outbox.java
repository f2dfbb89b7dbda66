package dev.switchboard.client.impl;

/** What {@link Subscriptions} needs of the current connection. Loop thread only. */
interface Outbox {

  /** Whether a connection is up and has received {@code welcome}. */
  boolean ready();

  /** A new request id, unique in this client, such as {@code s12}. */
  String nextId(char prefix);

  /** Queues a control frame on the current connection, ahead of queued publishes. Only when {@link #ready()}. */
  void send(String frame);
}
