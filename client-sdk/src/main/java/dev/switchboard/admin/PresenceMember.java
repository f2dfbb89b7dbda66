package dev.switchboard.admin;

import dev.switchboard.client.Json;

/**
 * One subscription in a topic's presence.
 *
 * @param client the connection's id
 * @param user the user its token named; null for an anonymous client
 * @param info what the client gave with its subscribe, as JSON; null when it gave nothing
 * @param node the node holding the connection
 */
public record PresenceMember(String client, String user, Json info, String node) {
}
