/**
 * Switchboard's browser client: ES modules, no dependencies, no build step. Every node serves them under
 * `/client/`; import this one, `/client/switchboard.js`, the API: {@link connect}, {@link SwitchboardClient} (the
 * facade that hands each frame to the part it concerns) and the names the other modules export again. Beside it:
 * connection.js (the connection loop: attempts, backoff, token, welcome, heartbeat), wires.js (the subscriptions on
 * the wire), publishes.js (publishes until their ack), subscription.js ({@link Subscription} and its parts),
 * presence.js, errors.js, options.js and topics.js.
 *
 *     import { connect } from '/client/switchboard.js';
 *     const client = connect({ servers: ['ws://node-a:8080/ws', 'ws://node-b:8080/ws'] });
 *     client.addEventListener('connected', e => console.log('on node', e.detail.node));
 *     await client.subscribe('chat.lobby', m => console.log(m.topic, m.data));
 *     await client.publish('chat.lobby', { from: 'alice', text: 'hi' });
 *
 * It behaves like the Java SDK (docs/client-java.md) and speaks docs/protocol.md: connection attempts rotate
 * through the servers with exponential backoff and full jitter; every subscription is sent again on each new
 * connection, on a history topic with `since` = the last position received, so nothing is lost and nothing is
 * handled twice (a duplicate guard drops an offset already seen), and a `gap` is reported when the node answers
 * `recovered: false`; publishes wait (bounded in bytes) while disconnected; `ping` is answered with `pong`, and a
 * server silent for `interval_ms + timeout_ms` is left. Terminal close codes stop it; the others reconnect. With a
 * `token` (or a function giving one), each connection starts with `hello`, and the node's `refresh` is answered.
 * The API and its behaviour are described in docs/client-js.md.
 *
 * @module switchboard
 */
import { Connection } from './connection.js';
import { ClientErrors, isTerminalClose, SwitchboardError } from './errors.js';
import { DEFAULTS, validate } from './options.js';
import { MAX_PAGE, PresenceEvents, PresenceRequests } from './presence.js';
import { Publishes } from './publishes.js';
import { checkSubscribeOptions, Subscription } from './subscription.js';
import { checkTopic, isPattern } from './topics.js';
import { Wires } from './wires.js';

export { ClientErrors, DEFAULTS, Subscription, SwitchboardError, checkTopic, isPattern, isTerminalClose };

/**
 * Connects to a cluster in the background and returns the client at once: it never throws because a server is
 * down, it keeps trying. `subscribe` and `publish` may be called right away; they wait for the connection.
 * @param {ClientOptions} options
 * @returns {SwitchboardClient}
 */
export function connect(options) {
  return new SwitchboardClient(options);
}

/**
 * @typedef {object} ClientOptions
 * @property {string|string[]} servers `ws://` or `wss://` URLs (a URL without a path gets `/ws`); each connection
 *   attempt goes to the next one
 * @property {number} [reconnectDelayMin] first backoff cap, ms (100)
 * @property {number} [reconnectDelayMax] largest backoff cap, ms (10000)
 * @property {number} [maxReconnectAttempts] attempts in a row before giving up; -1 forever (default), 0 never
 * @property {number} [connectTimeout] from the start of an attempt to `welcome`, ms (5000)
 * @property {number} [requestTimeout] for the answer to a subscribe, unsubscribe or publish, ms (10000)
 * @property {number} [publishBufferBytes] bytes of publishes waiting to be sent, the socket's own buffer included
 *   (1 MiB); over it `publish` fails at once with `buffer_full`
 * @property {number} [heartbeatGrace] slack added to the node's `interval_ms + timeout_ms`, ms (1000)
 * @property {string|function():(string|Promise<string>)} [token] for a node that requires authentication: a JWT, or
 *   a function asked for one before every connection attempt and on the node's `refresh`; sent in `hello`
 */

/**
 * @typedef {object} Position A message's place in a history topic: `offset` counts the topic's messages (and, on a
 *   presence topic, its `join` and `leave` events); `epoch` changes only when the whole cluster restarted.
 * @property {string} epoch
 * @property {number} offset
 */

/**
 * @typedef {object} Message
 * @property {string} topic the concrete topic it was published to
 * @property {string|null} pattern the wildcard subscription it came through, `null` for an exact one
 * @property {Position|null} position on a history topic, else `null`
 * @property {number|null} publishedAt when the publishing node accepted the publish: its wall clock, epoch
 *   milliseconds (`new Date(m.publishedAt)`), the same for every subscriber and when recovered from history; `null`
 *   only from a node (or a stored message) of a version before the field existed
 * @property {*} data the published JSON value, parsed (numbers beyond 2^53 lose digits, as in `JSON.parse`)
 */

/**
 * @typedef {object} SubscribeOptions
 * @property {Position} [since] resume after this position (a topic only): the messages after it first, or a gap
 * @property {boolean} [latest] the topic's last stored message first, then live ones (a topic only; not with since)
 * @property {function(GapInfo):void} [onGap] told when messages were missed
 * @property {*} [info] this client's presence info on the topic (any JSON, at most 1024 bytes), sent again after
 *   every reconnect; several subscriptions on one topic share the first one's
 * @property {function(PresenceEvent):void} [onJoin] told when a user joins the topic (a topic only; docs/client-js.md)
 * @property {function(PresenceEvent):void} [onLeave] told when a user leaves the topic, after the node's grace
 */

/**
 * @typedef {object} PresenceEvent A `join` or `leave` of a presence topic: a user's first or last subscription
 * @property {string} topic
 * @property {string|null} user the token's user, `null` for an anonymous client (a user of its own)
 * @property {string} client the session id of the subscription that joined (or left last)
 * @property {*} info its `info`, `null` when none
 * @property {string} node the node it is (or was) connected to
 * @property {Position|null} position on a history topic, its place in the offsets it shares with the messages (stored
 *   and recovered with them); else `null`
 */

/**
 * @typedef {object} GapInfo
 * @property {string} topic
 * @property {Position|null} lastSeen the position reached before the gap
 * @property {Position|null} resumesAfter delivery goes on after this position (`null` on a topic without history)
 */

/**
 * A connection to a Switchboard cluster that reconnects by itself. Create it with {@link connect}.
 *
 * Events (`CustomEvent`, facts in `detail`), one per state it enters, and `gap`, `unsubscribed` and `error`:
 * - `connecting` `{url, attempt}`: an attempt starts (`attempt` counts failed ones in a row)
 * - `connected` `{url, node, session, reconnected, reconnects}`: `welcome` received and every subscription settled
 * - `disconnected` `{url, node, code, reason, wasConnected, retryIn}`: a connection or attempt ended; the next
 *   attempt follows after `retryIn` ms
 * - `closed` `{code, reason, error}`: `close()`, a terminal close code, or `maxReconnectAttempts` used up
 * - `gap` `{topic, lastSeen, resumesAfter}`: a history topic missed messages (`recovered: false`)
 * - `unsubscribed` `{topic, reason}`: the server ended the subscription to `topic` (`reason` `server`)
 * - `error` `{code, message, id}`: an error frame that answers none of this client's pending requests
 */
export class SwitchboardClient extends EventTarget {
  #ids = 0;
  /** @type {Connection} */
  #connection;
  /** @type {Publishes} */
  #publishes;
  /** @type {Wires} */
  #wires;
  #presence;
  #events;

  /** @param {ClientOptions} options */
  constructor(options) {
    super();
    const opts = validate(options);
    const nextId = prefix => prefix + (++this.#ids); // one sequence for every request id, whatever its prefix
    const emit = (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail }));
    this.#connection = new Connection(opts, {
      emit,
      welcomed: settled => this.#welcomed(settled),
      frame: f => this.#received(f),
      lost: why => this.#lost(why),
      ended: error => this.#ended(error),
    });
    const send = f => this.#connection.send(f);
    this.#events = new PresenceEvents(send);
    this.#publishes = new Publishes(this.#connection, opts, nextId);
    this.#wires = new Wires(this.#connection, this.#events, opts, nextId, emit);
    this.#presence = new PresenceRequests(send, () => this.#connection.ready,
      (code, message) => new SwitchboardError(code, message), opts.requestTimeout);
    setTimeout(() => this.#connection.connect(), 0); // listeners added right after connect() see the first event
  }

  /** @returns {'connecting'|'connected'|'disconnected'|'closed'} */
  get state() {
    return this.#connection.state;
  }

  /** @returns {string|null} the id of the node connected to (from `welcome`), while connected */
  get node() {
    return this.#connection.node;
  }

  /** @returns {string|null} the URL of the current or last attempt */
  get url() {
    return this.#connection.url;
  }

  /** @returns {number} connections established after the first one */
  get reconnects() {
    return this.#connection.reconnects;
  }

  /**
   * Subscribes to a topic or pattern (`*` = one segment, a last `>` = one or more). Resolves with the
   * {@link Subscription} once the broker answered `subscribed` (at once when this client already receives that
   * topic or pattern: the handlers then share it, and `since`/`latest` of the later one are not sent). Rejects with
   * a {@link SwitchboardError}: the broker's code (`too_many_subscriptions`, `internal_error`, ...),
   * `invalid_topic` (checked here), `timeout`, `closed`, `terminal_close`; with a `TypeError` for bad arguments.
   * The subscription survives reconnects (see docs/client-js.md).
   * @param {string} topic a topic or pattern
   * @param {function(Message):void} handler called with each message
   * @param {SubscribeOptions} [options]
   * @returns {Promise<Subscription>}
   */
  subscribe(topic, handler, options = {}) {
    const invalid = checkTopic(topic, true);
    if (invalid) return Promise.reject(new SwitchboardError('invalid_topic', invalid + ': ' + topic));
    if (typeof handler !== 'function') return Promise.reject(new TypeError('handler must be a function'));
    const problem = checkSubscribeOptions(topic, options ?? {});
    if (problem) return Promise.reject(new TypeError(problem));
    if (this.#connection.state === 'closed') return Promise.reject(closedError());
    return this.#wires.subscribe(topic, handler, options ?? {});
  }

  /**
   * Publishes `data` (any JSON value, `null` included) to a concrete topic. Resolves when the broker acknowledged it
   * (it accepted it; on a history topic: stored in the cluster). Rejects with a {@link SwitchboardError}: the
   * broker's code (`unavailable`, ...), `invalid_topic`, `buffer_full`, `frame_too_large`, `connection_lost`,
   * `timeout`, `closed`, `terminal_close`; with a `TypeError` when `data` is not JSON (undefined, a function,
   * a BigInt). Publishes made while disconnected wait and are sent after the next connection's subscriptions.
   * @param {string} topic
   * @param {*} data
   * @returns {Promise<void>}
   */
  publish(topic, data) {
    const invalid = checkTopic(topic, false);
    if (invalid) return Promise.reject(new SwitchboardError('invalid_topic', invalid + ': ' + topic));
    if (this.#connection.state === 'closed') return Promise.reject(closedError());
    return this.#publishes.publish(topic, data);
  }

  /**
   * One page of `topic`'s presence, cluster-wide (docs/client-js.md, "Presence"): resolves with
   * `{topic, members: [{client, user, info, node}], next}`, members ordered by client id, at most `limit` (1 to
   * 1000; the node's default 100), those after `after` (the previous page's `next`). Rejects as `publish` does
   * (`not_enabled`, `invalid_topic`, `forbidden`, `rate_limited`, `timeout`, `closed`); waits for the connection.
   * @param {string} topic a concrete topic
   * @param {{after?: string, limit?: number}} [options]
   * @returns {Promise<object>}
   */
  presence(topic, { after, limit } = {}) {
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE)) {
      return Promise.reject(new RangeError('limit must be an integer from 1 to ' + MAX_PAGE));
    }
    return this.#presenceRequest(topic, () => this.#presence.members(topic, after, limit));
  }

  /**
   * `topic`'s presence counts, cluster-wide: resolves with `{topic, clients, users}`; rejects as `presence` does.
   * @param {string} topic a concrete topic
   * @returns {Promise<object>}
   */
  presenceStats(topic) {
    return this.#presenceRequest(topic, () => this.#presence.stats(topic));
  }

  #presenceRequest(topic, ask) {
    const invalid = checkTopic(topic, false);
    if (invalid) return Promise.reject(new SwitchboardError('invalid_topic', invalid + ': ' + topic));
    return this.#connection.state === 'closed' ? Promise.reject(closedError()) : ask();
  }

  /**
   * Closes the client: sends a close frame (1000), rejects every pending operation with `closed`, ends every
   * subscription and emits `closed`. Idempotent.
   */
  close() {
    this.#connection.close(ClientErrors.CLOSED, 'client closed', 1000, 'closed by client', true);
  }

  // ---- what the connection tells ----

  /**
   * `welcome`: every subscription is sent again (`settled`, which enters `connected`, runs once they are answered);
   * then the queued publishes, so that they reach the subscriptions just sent, and the waiting presence requests.
   */
  #welcomed(settled) {
    this.#wires.resubscribe(settled);
    this.#publishes.pump();
    this.#presence.connected();
  }

  /** A frame of the current connection other than `welcome`, `ping` and `refresh`, to the part it concerns. */
  #received(f) {
    switch (f.type) {
      case 'message': this.#wires.route(f); break;
      case 'ack': this.#publishes.acked(f.id); break;
      case 'subscribed': if (!this.#events.answered(f)) this.#wires.subscribed(f); break;
      case 'join': case 'leave': this.#events.route(this.#wires.get(f.topic), f); break;
      case 'unsubscribed': this.#wires.unsubscribed(f); break;
      case 'presence': case 'presence_stats': this.#presence.answered(f); break;
      case 'error': if (!this.#presence.answered(f) && !this.#events.answered(f)) this.#error(f); break;
      default: break; // a frame type added after this client was written
    }
  }

  /** An `error` frame: fails the publish or subscription request it answers, else the client's `error` event. */
  #error(f) {
    const code = typeof f.code === 'string' ? f.code : 'internal_error';
    const message = typeof f.message === 'string' ? f.message : code;
    if (this.#publishes.refused(f.id, code, message) || this.#wires.refused(f.id, code, message)) return;
    console.warn('switchboard: error for no pending request (id ' + f.id + '): ' + code + ' ' + message);
    this.dispatchEvent(new CustomEvent('error', { detail: { code, message, id: f.id ?? null } }));
  }

  /** The connection dropped: what was written on it and not answered fails, or waits for the next one. */
  #lost(why) {
    this.#publishes.lost(why);
    this.#wires.lost();
    this.#presence.lost();
    this.#events.lost();
  }

  /** The client closes: every pending operation and subscription ends with `error`. */
  #ended(error) {
    this.#publishes.end(error);
    this.#presence.failAll(error);
    this.#wires.end(error);
  }
}

function closedError() {
  return new SwitchboardError(ClientErrors.CLOSED, 'client is closed');
}
