/**
 * Server-sent events, the one-way transport: a checked stream request ({@link dev.switchboard.broker.sse.SseRequest},
 * its resume cursor) and the {@link dev.switchboard.broker.sse.SseStream} that subscribes through the hub like a
 * WebSocket session and writes deliveries as SSE events. Uses {@code routing}, {@code http} (replies), {@code auth}
 * and {@code wire}.
 */
package dev.switchboard.broker.sse;
