package dev.switchboard.admin;

import dev.switchboard.client.Position;

/**
 * One topic's result of a broadcast: published (with its position on a history topic), or refused with its own error.
 *
 * @param topic the topic, as given
 * @param position where it was stored on a history topic; null on a plain topic or when refused
 * @param errorCode the error code when this topic was refused ({@code invalid_topic}, {@code forbidden} under
 *     {@code switchboard.}, {@code unavailable}); else null
 * @param errorMessage why, when refused; else null
 */
public record BroadcastResult(String topic, Position position, String errorCode, String errorMessage) {
  /** Whether the message was published to this topic. */
  public boolean ok() {
    return errorCode == null;
  }
}
