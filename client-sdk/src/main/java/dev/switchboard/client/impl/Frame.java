package dev.switchboard.client.impl;

/**
 * One frame received from a node; fields a frame type does not have are {@code null} or {@code -1}.
 *
 * @param data the raw JSON text of {@code data}, exactly as received
 */
record Frame(String type, String id, String topic, String pattern, String data, String code, String message,
    String node, String session, long heartbeatIntervalMs, long heartbeatTimeoutMs, long maxFrameBytes) {
}
