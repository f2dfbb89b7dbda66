package dev.switchboard.client.impl;

import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionListener;
import dev.switchboard.client.ConnectionState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client's connection listeners, told on the dispatcher: of a lost connection ahead of the deliveries still
 * waiting there (they come from a connection that is gone), of anything else in order. A listener that throws is
 * logged.
 */
final class ConnectionEvents {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");

  private final Dispatcher dispatcher;
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

  ConnectionEvents(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  void add(ConnectionListener listener) {
    listeners.add(listener);
  }

  void emit(ConnectionEvent event) {
    for (ConnectionListener l : listeners) {
      Runnable tell = () -> {
        try {
          l.onEvent(event);
        } catch (Throwable t) {
          LOG.log(System.Logger.Level.WARNING, "connection listener threw on " + event.type(), t);
        }
      };
      if (event.type() == ConnectionState.DISCONNECTED) {
        dispatcher.executeFirst(tell);
      } else {
        dispatcher.execute(tell);
      }
    }
  }
}
