package dev.switchboard.client;

import java.util.Objects;

/**
 * Where a message stands in its history topic: {@code offset} counts the topic's messages from 0, one per message, the
 * same for every subscriber; {@code epoch} names the lifetime of the cluster's history (it changes only when the whole
 * cluster restarted, and a position of another epoch cannot be recovered). Store both to resume after a restart with
 * {@link SubscribeOptions.Builder#since(Position)}.
 *
 * @param epoch the history's lifetime, as sent by the broker; not empty
 * @param offset the message's offset in its topic; {@code -1} stands for "before the first message"
 */
public record Position(String epoch, long offset) {

  public Position {
    Objects.requireNonNull(epoch, "epoch");
    if (epoch.isEmpty()) {
      throw new IllegalArgumentException("epoch must not be empty");
    }
    if (offset < -1) {
      throw new IllegalArgumentException("offset must be at least -1, was " + offset);
    }
  }

  /** Whether {@code other} is of the same epoch, so that the two offsets can be compared. */
  public boolean sameEpoch(Position other) {
    return other != null && epoch.equals(other.epoch);
  }
}
