package dev.switchboard.client;

import java.net.URI;

/**
 * A change of connection, given to {@link ConnectionListener}s.
 *
 * @param type {@code CONNECTED}, {@code DISCONNECTED}, {@code RECONNECTED} or {@code CLOSED}
 * @param url the server of the connection concerned (the last one tried for {@code CLOSED}), or {@code null}
 * @param nodeId the node of the connection concerned, or {@code null} when none was reached
 * @param closeCode the close code the server sent ({@code 4001} for a slow consumer, ...; see docs/protocol.md), or
 *     {@code 0} when it sent none: a connection that dropped, was refused, or was closed by the client, and always for
 *     {@code CONNECTED} and {@code RECONNECTED}
 * @param reason the server's close reason, or what the client saw (a refused handshake names the HTTP status), or
 *     {@code null}
 */
public record ConnectionEvent(ConnectionState type, URI url, String nodeId, int closeCode, String reason) {
}
