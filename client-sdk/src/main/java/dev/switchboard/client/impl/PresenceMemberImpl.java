package dev.switchboard.client.impl;

import dev.switchboard.client.PresenceMember;
import java.util.Objects;

/**
 * A member as listed in a {@code presence} answer; its info stays JSON text until asked for. Public for the admin
 * client ({@code dev.switchboard.admin}), whose presence pages are the same.
 */
public record PresenceMemberImpl(String client, String user, String node, String infoJson) implements PresenceMember {

  @Override
  public Object info() {
    return JsonCodec.parse(infoJson);
  }

  @Override
  public <T> T infoAs(Class<T> type) {
    return DataMapper.read(infoJson, Objects.requireNonNull(type, "type"));
  }
}
