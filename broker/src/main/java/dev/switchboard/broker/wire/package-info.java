/**
 * The protocol's frames as the node writes and reads them: {@link dev.switchboard.broker.wire.ServerFrames} encodes
 * what the node sends (once per message, shared by every subscriber), {@link dev.switchboard.broker.wire.ClientFrame}
 * parses and checks what a client sends, {@link dev.switchboard.broker.wire.AuthFrames} the authentication replies.
 * Names shared with clients (close codes, error codes, topic rules) come from {@code dev.switchboard.protocol}.
 * Uses nothing else of the broker.
 */
package dev.switchboard.broker.wire;
