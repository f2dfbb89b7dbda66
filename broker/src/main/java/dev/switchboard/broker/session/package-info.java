/**
 * The WebSocket transport: the handshake gate ({@link dev.switchboard.broker.session.HandshakeGate}: strict RFC 6455
 * upgrade, origin, limits, token), the framing on the Netty channel
 * ({@link dev.switchboard.broker.session.SessionChannel}: assembly, closing handshake), and the
 * {@link dev.switchboard.broker.session.Session} that carries out a client's frames through its hub, with its replies
 * in order and its authentication. Uses {@code routing}, {@code auth} and {@code wire}.
 */
package dev.switchboard.broker.session;
