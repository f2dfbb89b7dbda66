package dev.switchboard.client.impl;

import dev.switchboard.client.Position;
import dev.switchboard.client.PresenceEvent;
import java.util.Objects;

/** A {@code join} or {@code leave} as received; its info stays JSON text until asked for. */
record PresenceEventImpl(String topic, String client, String user, String node, String infoJson, Position position)
    implements PresenceEvent {

  @Override
  public Object info() {
    return JsonCodec.parse(infoJson);
  }

  @Override
  public <T> T infoAs(Class<T> type) {
    return DataMapper.read(infoJson, Objects.requireNonNull(type, "type"));
  }
}
