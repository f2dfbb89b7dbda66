package dev.switchboard.client;

import java.net.URI;

/**
 * A change of connection, given to {@link ConnectionListener}s.
 *
 * @param type {@code CONNECTED}, {@code DISCONNECTED}, {@code RECONNECTED} or {@code CLOSED}
 * @param url the server of the connection concerned (the last one tried for {@code CLOSED}), or {@code null}
 * @param nodeId the node of the connection concerned, or {@code null} when none was reached
 * @param closeCode the WebSocket close code ({@code 1006} for a connection that dropped without one), or {@code -1}
 *     for {@code CONNECTED} and {@code RECONNECTED}
 * @param reason why the connection ended, or {@code null}
 */
public record ConnectionEvent(ConnectionState type, URI url, String nodeId, int closeCode, String reason) {
}
