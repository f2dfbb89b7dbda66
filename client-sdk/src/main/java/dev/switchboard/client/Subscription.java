package dev.switchboard.client;

import java.util.concurrent.CompletionStage;

/** One local subscription, returned by {@link SwitchboardClient#subscribe}. */
public interface Subscription {

  /** The topic or pattern as given to {@code subscribe}. */
  String topic();

  /**
   * Stops this subscription. Its handler is not called for messages dispatched after this call (a call already
   * running may finish). When it was the client's last subscription on its topic, the broker is told; the stage
   * completes when it answered, at once otherwise. Idempotent.
   */
  CompletionStage<Void> unsubscribe();
}
