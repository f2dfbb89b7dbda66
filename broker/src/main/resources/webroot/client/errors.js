/**
 * The errors of switchboard.js's client: the codes it adds to the broker's, {@link SwitchboardError}, and which
 * close codes are terminal. switchboard.js exports them again.
 *
 * @module switchboard/errors
 */
/**
 * The codes this client adds to the broker's error codes (`invalid_topic`, `too_many_subscriptions`, ...; see
 * docs/protocol.md), as in the Java SDK's `SwitchboardException`.
 */
export const ClientErrors = Object.freeze({
  /** The client was closed (or gave up reconnecting) before the operation completed. */
  CLOSED: 'closed',
  /** `publishBufferBytes` is used up; the message was not queued. */
  BUFFER_FULL: 'buffer_full',
  /** The publish was sent, but the connection dropped before its `ack`: it may or may not have been published. */
  CONNECTION_LOST: 'connection_lost',
  /** No answer within `requestTimeout`; a publish still queued by then is dropped, not sent. */
  TIMEOUT: 'timeout',
  /** The encoded publish is larger than the node's `limits.max_frame_bytes`; it was not sent. */
  FRAME_TOO_LARGE: 'frame_too_large',
  /** The server closed with a terminal close code; the client does not reconnect. */
  TERMINAL_CLOSE: 'terminal_close',
  /**
   * `Subscription.ended` only: the server ended the subscription without being asked — the application's backend
   * unsubscribed this user from the topic (server API, docs/operations.md; the frame's `reason`, `server`, is in the
   * message). Every handler on the topic ends; the client does not subscribe to it again, not after a reconnect.
   */
  UNSUBSCRIBED: 'unsubscribed',
});

/** A refused or failed operation: `code` is a broker error code or one of {@link ClientErrors}. */
export class SwitchboardError extends Error {
  /**
   * @param {string} code the broker's error code or a client code
   * @param {string} message what happened
   */
  constructor(code, message) {
    super(message);
    this.name = 'SwitchboardError';
    /** @type {string} */
    this.code = code;
  }
}

/**
 * Whether a close code forbids reconnecting (docs/protocol.md, Close codes): 4500–4999, and the standard codes
 * that say the client broke the protocol (1002, 1003, 1007, 1008, 1009, 1010). Every other code, and 1006 (the
 * connection dropped without a close frame), means reconnect.
 * @param {number} code
 * @returns {boolean}
 */
export function isTerminalClose(code) {
  return (code >= 4500 && code <= 4999) || [1002, 1003, 1007, 1008, 1009, 1010].includes(code);
}
