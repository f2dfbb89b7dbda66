package dev.switchboard.client;

import java.util.List;

/**
 * One page of a topic's presence, from {@link SwitchboardClient#presence(String, String, int)}: members ordered by
 * {@linkplain PresenceMember#client() client id}.
 *
 * @param topic the topic asked about
 * @param members this page's members, unmodifiable
 * @param next the {@code after} that asks for the next page, or {@code null} when this is the last one
 */
public record PresencePage(String topic, List<PresenceMember> members, String next) {
  /** The most members one page may hold (the protocol's limit); a node lists 100 when not told. */
  public static final int MAX_LIMIT = 1000;

  public PresencePage {
    members = List.copyOf(members);
  }
}
