package dev.switchboard.client;

/** Receives the messages of one subscription, on the client's dispatcher, in order. */
@FunctionalInterface
public interface MessageHandler {

  /** Called once per message; an exception thrown here is logged and ignored. */
  void onMessage(Message message);
}
