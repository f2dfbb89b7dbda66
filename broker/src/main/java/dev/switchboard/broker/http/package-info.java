/**
 * The HTTP API: who a request acts as ({@link dev.switchboard.broker.http.HttpCaller}), HTTP publish
 * ({@link dev.switchboard.broker.http.HttpPublish}) and the JSON error replies shared with SSE
 * ({@link dev.switchboard.broker.http.HttpReplies}). Uses {@code routing}, {@code auth}, {@code session} (the token
 * and origin rules of a handshake) and {@code wire}.
 */
package dev.switchboard.broker.http;
