/**
 * The HTTP API: who a request acts as ({@link dev.switchboard.broker.http.HttpCaller}), HTTP publish
 * ({@link dev.switchboard.broker.http.HttpPublish}), the JSON error replies shared with SSE
 * ({@link dev.switchboard.broker.http.HttpReplies}), and the server API for backends under {@code /api/v1/}
 * ({@link dev.switchboard.broker.http.ServerApi}: its routes, made from one table of operations that its OpenAPI
 * document describes; an API key at the door, publish, broadcast, history pages, a user's connections on every node,
 * cluster info and presence). Uses {@code routing}, {@code auth}, {@code session} (the token and origin rules of a
 * handshake), {@code history}, {@code presence}, {@code ops} and {@code wire}.
 */
package dev.switchboard.broker.http;
