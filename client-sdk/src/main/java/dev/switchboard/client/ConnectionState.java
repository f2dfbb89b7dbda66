package dev.switchboard.client;

/**
 * The state of a client, and the type of a {@link ConnectionEvent}.
 *
 * <p>{@link SwitchboardClient#state()} returns {@link #CONNECTING} until the first connection is ready,
 * {@link #CONNECTED} while a connection is ready, {@link #DISCONNECTED} while it is reconnecting after a loss, and
 * finally {@link #CLOSED}. {@link #RECONNECTED} is only an event type.
 */
public enum ConnectionState {
  /** Connecting for the first time. A state, never an event. */
  CONNECTING,
  /** State: a connection is ready. Event: the first connection is ready (welcome received, subscriptions sent and answered). */
  CONNECTED,
  /** State: reconnecting. Event: a ready connection was lost; the client reconnects. */
  DISCONNECTED,
  /**
   * Event only: a later connection is ready and every subscription was sent again and settled — confirmed, or refused
   * for good (its {@link Subscription#ended()} fails) — or the request timeout passed with some still pending.
   */
  RECONNECTED,
  /** The client was closed, by {@link SwitchboardClient#close()}, a terminal close code, or by giving up reconnecting. */
  CLOSED
}
