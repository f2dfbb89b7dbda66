package dev.switchboard.admin;

/**
 * One node of the cluster, as of its latest snapshot (sent once a second).
 *
 * @param id its id in the cluster
 * @param host where clients reach it
 * @param port its client port
 * @param state {@code starting}, {@code ready} or {@code draining}
 * @param startedAt when it started, epoch milliseconds
 * @param uptimeMs how long it has run
 * @param connections its WebSocket connections
 * @param sseStreams its server-sent-events streams
 * @param subscriptions the subscriptions its clients hold
 * @param topics the topics and patterns its clients hold
 */
public record NodeInfo(String id, String host, int port, String state, long startedAt, long uptimeMs, long connections,
                       long sseStreams, long subscriptions, long topics) {
}
