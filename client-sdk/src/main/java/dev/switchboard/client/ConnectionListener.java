package dev.switchboard.client;

/** Receives connection events, on the client's dispatcher, in order. */
@FunctionalInterface
public interface ConnectionListener {

  /** Called for each {@code CONNECTED}, {@code DISCONNECTED}, {@code RECONNECTED} and {@code CLOSED} event. */
  void onEvent(ConnectionEvent event);
}
