package dev.switchboard.client;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Told when users join and leave a presence topic, for {@link SubscribeOptions.Builder#presenceListener}. Called on
 * the client's dispatcher, like message handlers, one event at a time. On a topic without history the events are not
 * stored and not ordered with the topic's messages: none is given for what happened while the client was
 * disconnected, so an application that keeps a list of who is there reloads it with {@link SwitchboardClient#presence}
 * after a reconnect. On a history topic they are stored with its messages, each with its
 * {@link PresenceEvent#position()}: they come in one order with the messages, and those of a time away are recovered
 * with them, each once. A listener that throws is logged; the next event is given all the same.
 */
public interface PresenceListener {

  /**
   * A user joined the topic: its first subscription to it in the cluster.
   *
   * @param event the user, and the client, info and node of the subscription that joined
   */
  default void onJoin(PresenceEvent event) {
  }

  /**
   * A user left the topic: its last subscription ended, and it did not come back within the node's grace.
   *
   * @param event the user, and the client, info and node of the subscription that left last
   */
  default void onLeave(PresenceEvent event) {
  }

  /**
   * A listener of two lambdas: {@code PresenceListener.of(e -> add(e.user()), e -> remove(e.user()))}.
   *
   * @param onJoin given each join
   * @param onLeave given each leave
   * @return the listener
   */
  static PresenceListener of(Consumer<? super PresenceEvent> onJoin, Consumer<? super PresenceEvent> onLeave) {
    Objects.requireNonNull(onJoin, "onJoin");
    Objects.requireNonNull(onLeave, "onLeave");
    return new PresenceListener() {
      @Override
      public void onJoin(PresenceEvent event) {
        onJoin.accept(event);
      }

      @Override
      public void onLeave(PresenceEvent event) {
        onLeave.accept(event);
      }
    };
  }
}
