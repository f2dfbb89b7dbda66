/**
 * Switchboard's browser client: ES modules (this one; errors.js, options.js, topics.js, subscription.js and
 * presence.js beside it), no dependencies, no build step. Every node serves them under `/client/`; import this one,
 * `/client/switchboard.js`.
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
import { ClientErrors, isTerminalClose, SwitchboardError } from './errors.js';
import { DEFAULTS, validate } from './options.js';
import { MAX_PAGE, PresenceEvents, PresenceRequests } from './presence.js';
import { asPosition, checkSubscribeOptions, Local, Subscription, Wire } from './subscription.js';
import { checkTopic, isPattern } from './topics.js';

export { ClientErrors, DEFAULTS, Subscription, SwitchboardError, checkTopic, isPattern, isTerminalClose };

/** Refusals of a subscribe that may succeed when it is sent again unchanged, a little later. */
const RETRYABLE = new Set(['internal_error', 'rate_limited']);

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
 * Events (`CustomEvent`, facts in `detail`), one per state it enters, and `gap`:
 * - `connecting` `{url, attempt}`: an attempt starts (`attempt` counts failed ones in a row)
 * - `connected` `{url, node, session, reconnected, reconnects}`: `welcome` received and every subscription settled
 * - `disconnected` `{url, node, code, reason, wasConnected, retryIn}`: a connection or attempt ended; the next
 *   attempt follows after `retryIn` ms
 * - `closed` `{code, reason, error}`: `close()`, a terminal close code, or `maxReconnectAttempts` used up
 * - `gap` `{topic, lastSeen, resumesAfter}`: a history topic missed messages (`recovered: false`)
 * - `error` `{code, message, id}`: an error frame that answers none of this client's pending requests
 */
export class SwitchboardClient extends EventTarget {
  #opts;
  #servers;
  #nextServer = 0;
  #attempt = 0;
  #state = 'connecting';
  #ws = null;
  #ready = false;
  #url = null;
  #node = null;
  #session = null;
  #lastNode = null;
  #everConnected = false;
  #reconnects = 0;
  #maxFrameBytes = Infinity;
  #lastReceived = 0;
  #watchdog = null;
  #reconnectTimer = null;
  #ids = 0;
  /** @type {Map<string, Wire>} */
  #wires = new Map();
  /** request id -> {wire} of a subscribe, or {resolve, reject, timer} of an unsubscribe */
  #requests = new Map();
  #settling = new Set();
  #onSettled = null;
  #settleTimer = null;
  /** publishes not yet written, in order */
  #queue = [];
  #queuedBytes = 0;
  /** publish id -> pending publish, written or not */
  #publishes = new Map();
  #presence;
  #events = new PresenceEvents(f => this.#send(f));

  /** @param {ClientOptions} options */
  constructor(options) {
    super();
    this.#opts = validate(options);
    this.#servers = this.#opts.servers;
    this.#presence = new PresenceRequests(f => this.#send(f), () => this.#ready,
      (code, message) => new SwitchboardError(code, message), this.#opts.requestTimeout);
    setTimeout(() => this.#connect(), 0); // listeners added right after connect() see the first event
  }

  /** @returns {'connecting'|'connected'|'disconnected'|'closed'} */
  get state() {
    return this.#state;
  }

  /** @returns {string|null} the id of the node connected to (from `welcome`), while connected */
  get node() {
    return this.#ready ? this.#node : null;
  }

  /** @returns {string|null} the URL of the current or last attempt */
  get url() {
    return this.#url;
  }

  /** @returns {number} connections established after the first one */
  get reconnects() {
    return this.#reconnects;
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
    if (this.#state === 'closed') return Promise.reject(closedError());
    let wire = this.#wires.get(topic);
    if (!wire) {
      wire = new Wire(topic, options ?? {});
      this.#wires.set(topic, wire);
    }
    const sub = new Local(wire, handler, options ?? {}, local => this.#unsubscribe(local));
    wire.locals.push(sub);
    return new Promise((resolve, reject) => {
      if (wire.active) {
        sub.live = true;
        resolve(sub.subscription);
        this.#events.ask(wire);
        return;
      }
      sub.settle = { resolve, reject };
      sub.timer = setTimeout(() => this.#subscribeTimedOut(sub), this.#opts.requestTimeout);
      if (wire.requestId === null && wire.retryTimer === null && this.#ready) this.#request(wire);
    });
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
    if (this.#state === 'closed') return Promise.reject(closedError());
    let json;
    try {
      json = JSON.stringify(data);
    } catch (e) {
      return Promise.reject(new TypeError('data is not JSON: ' + e.message));
    }
    if (json === undefined) return Promise.reject(new TypeError('data is not JSON: ' + typeof data));
    const id = 'p' + (++this.#ids);
    const text = '{"type":"publish","id":' + JSON.stringify(id) + ',"topic":' + JSON.stringify(topic)
      + ',"data":' + json + '}';
    const bytes = utf8Length(text);
    if (this.#ready && bytes > this.#maxFrameBytes) {
      return Promise.reject(new SwitchboardError(ClientErrors.FRAME_TOO_LARGE, tooLarge(bytes, this.#maxFrameBytes)));
    }
    const waiting = this.#queuedBytes + (this.#ws ? this.#ws.bufferedAmount : 0);
    if (waiting + bytes > this.#opts.publishBufferBytes) {
      return Promise.reject(new SwitchboardError(ClientErrors.BUFFER_FULL, 'publish buffer full: ' + waiting
        + ' bytes waiting, publishBufferBytes is ' + this.#opts.publishBufferBytes + ', this frame ' + bytes));
    }
    return new Promise((resolve, reject) => {
      const p = { id, text, bytes, resolve, reject, sent: false, done: false, timer: null };
      p.timer = setTimeout(() => this.#failPublish(p, ClientErrors.TIMEOUT,
        'no answer to publish ' + id + ' within ' + this.#opts.requestTimeout + ' ms'), this.#opts.requestTimeout);
      this.#publishes.set(id, p);
      this.#queue.push(p);
      this.#queuedBytes += bytes;
      this.#pump();
    });
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
    return this.#state === 'closed' ? Promise.reject(closedError()) : ask();
  }

  /**
   * Closes the client: sends a close frame (1000), rejects every pending operation with `closed`, ends every
   * subscription and emits `closed`. Idempotent.
   */
  close() {
    this.#shutdown(ClientErrors.CLOSED, 'client closed', 1000, 'closed by client', true);
  }

  // ---- connection lifecycle ----

  #connect() {
    this.#reconnectTimer = null;
    if (this.#state === 'closed') return;
    const url = this.#servers[this.#nextServer];
    this.#nextServer = (this.#nextServer + 1) % this.#servers.length;
    this.#url = url;
    this.#setState('connecting', { url, attempt: this.#attempt });
    const attempt = { url }; // stands for the attempt until its WebSocket exists
    this.#ws = attempt;
    // One deadline for the whole attempt: the token, the opening handshake and welcome.
    this.#watchdog = setTimeout(() => this.#drop(this.#ws,
      'no welcome within connectTimeout ' + this.#opts.connectTimeout + ' ms'), this.#opts.connectTimeout);
    if (this.#opts.token === undefined) {
      this.#open(attempt, url, null);
      return;
    }
    this.#askToken().then(token => this.#open(attempt, url, token),
      e => this.#lost(attempt, 1006, 'token supplier failed: ' + e.message));
  }

  /** A fresh token from the `token` option: a string, or a function returning one or a promise of one. */
  #askToken() {
    const token = this.#opts.token;
    return Promise.resolve().then(() => (typeof token === 'function' ? token() : token)).then(t => {
      if (typeof t !== 'string' || t.length === 0) throw new Error('no token');
      return t;
    });
  }

  /** Opens the attempt's WebSocket, unless the attempt was given up meanwhile; sends `hello` first if `token`. */
  #open(attempt, url, token) {
    if (this.#ws !== attempt) return;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      this.#lost(attempt, 1006, 'cannot open ' + url + ': ' + e.message);
      return;
    }
    this.#ws = ws;
    ws.onopen = () => {
      if (token !== null && ws === this.#ws) ws.send(JSON.stringify({ type: 'hello', token }));
    };
    ws.onmessage = e => this.#received(ws, e.data);
    ws.onclose = e => this.#lost(ws, e.code, e.reason);
    ws.onerror = () => {}; // onclose follows, with the code
  }

  /** The node's `refresh`: the token expires soon; a new one is sent in `hello` (a failure is only logged). */
  #refresh(ws) {
    if (this.#opts.token === undefined) return;
    this.#askToken().then(token => {
      if (ws === this.#ws) ws.send(JSON.stringify({ type: 'hello', token }));
    }, e => console.warn('switchboard: cannot refresh the token: ' + e.message + '; the node closes the connection '
      + 'at expiry (4004) and the client reconnects with a token asked for anew'));
  }

  #received(ws, data) {
    if (ws !== this.#ws) return;
    this.#lastReceived = performance.now();
    let f;
    try {
      f = typeof data === 'string' ? JSON.parse(data) : null;
    } catch (e) {
      f = null;
    }
    if (f === null || typeof f !== 'object' || typeof f.type !== 'string') {
      console.warn('switchboard: ignoring a frame that is not a JSON object with a type from ' + ws.url);
      return;
    }
    switch (f.type) {
      case 'welcome': this.#welcome(ws, f); break;
      case 'ping': ws.send('{"type":"pong"}'); break;
      case 'refresh': this.#refresh(ws); break;
      case 'message': this.#route(f); break;
      case 'ack': this.#acked(f.id); break;
      case 'subscribed': if (!this.#events.answered(f)) this.#subscribed(f); break;
      case 'join': case 'leave': this.#events.route(this.#wires.get(f.topic), f); break;
      case 'unsubscribed': this.#unsubscribed(f); break;
      case 'presence': case 'presence_stats': this.#presence.answered(f); break;
      case 'error': if (!this.#presence.answered(f) && !this.#events.answered(f)) this.#error(f); break;
      default: break; // a frame type added after this client was written
    }
  }

  #welcome(ws, f) {
    if (this.#ready) return;
    this.#ready = true;
    this.#attempt = 0;
    this.#node = typeof f.node === 'string' ? f.node : null;
    this.#session = typeof f.session === 'string' ? f.session : null;
    this.#lastNode = this.#node;
    const max = f.limits?.max_frame_bytes;
    this.#maxFrameBytes = Number.isInteger(max) && max > 0 ? max : Infinity;
    const hb = f.heartbeat ?? {};
    const silence = (hb.interval_ms > 0 && hb.timeout_ms > 0 ? hb.interval_ms + hb.timeout_ms : 35_000)
      + this.#opts.heartbeatGrace;
    clearTimeout(this.#watchdog);
    this.#watchSilence(ws, silence);
    this.#resubscribe(() => this.#announceConnected());
    this.#pump(); // after the subscribes: a publish queued meanwhile reaches the subscriptions just sent
    this.#presence.connected();
  }

  /** Drops `ws` once nothing at all was received from it for `limit` ms. */
  #watchSilence(ws, limit) {
    const check = () => {
      const idle = performance.now() - this.#lastReceived;
      if (idle >= limit) {
        this.#drop(ws, 'nothing received for ' + Math.round(idle) + ' ms');
      } else {
        this.#watchdog = setTimeout(check, limit - idle);
      }
    };
    this.#watchdog = setTimeout(check, limit);
  }

  #announceConnected() {
    const reconnected = this.#everConnected;
    this.#everConnected = true;
    if (reconnected) this.#reconnects++;
    this.#setState('connected', { url: this.#url, node: this.#node, session: this.#session, reconnected,
      reconnects: this.#reconnects });
  }

  /** Gives up on a connection that does not answer: closes it and goes on as if it had dropped (1006). */
  #drop(ws, why) {
    if (ws === null || ws !== this.#ws) return;
    this.#lost(ws, 1006, why);
  }

  #lost(ws, code, reason) {
    if (ws === null || ws !== this.#ws) return;
    const wasConnected = this.#state === 'connected';
    detach(ws);
    this.#ws = null;
    this.#ready = false;
    this.#node = null;
    clearTimeout(this.#watchdog);
    const why = code + (reason ? ' ' + reason : '');
    for (const p of [...this.#publishes.values()]) {
      if (p.sent) {
        this.#failPublish(p, ClientErrors.CONNECTION_LOST, 'connection lost before publish ' + p.id
          + ' was acknowledged (' + why + '); it may or may not have been published');
      }
    }
    this.#subscriptionsLost();
    this.#presence.lost();
    this.#events.lost();
    if (isTerminalClose(code)) {
      this.#shutdown(ClientErrors.TERMINAL_CLOSE, 'server closed the connection with terminal code ' + why,
        code, reason, false);
      return;
    }
    const max = this.#opts.maxReconnectAttempts;
    if (max >= 0 && this.#attempt >= max) {
      this.#shutdown(ClientErrors.CLOSED, 'gave up after ' + this.#attempt + ' reconnect attempts; last: ' + why,
        code, reason, false);
      return;
    }
    const cap = Math.min(this.#opts.reconnectDelayMax, this.#opts.reconnectDelayMin * 2 ** this.#attempt++);
    const retryIn = Math.round(Math.random() * cap);
    this.#setState('disconnected', { url: ws.url ?? this.#url, node: this.#lastNode, code, reason, wasConnected,
      retryIn });
    this.#reconnectTimer = setTimeout(() => this.#connect(), retryIn);
  }

  #shutdown(code, message, closeCode, reason, byClient) {
    if (this.#state === 'closed') return;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#watchdog);
    const ws = this.#ws;
    this.#ws = null;
    this.#ready = false;
    this.#node = null;
    if (ws && byClient) detach(ws, 1000);
    const error = new SwitchboardError(code, message);
    for (const p of [...this.#publishes.values()]) this.#failPublish(p, code, message);
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#presence.failAll(error);
    this.#stopSettling();
    for (const wire of this.#wires.values()) {
      clearTimeout(wire.retryTimer);
      for (const s of wire.locals) s.end(error);
    }
    this.#wires.clear();
    this.#completeUnsubscribes();
    this.#requests.clear();
    this.#setState('closed', { code: closeCode, reason, error });
  }

  #setState(state, detail) {
    this.#state = state;
    this.dispatchEvent(new CustomEvent(state, { detail }));
  }

  #send(frame) {
    this.#ws.send(JSON.stringify(frame));
  }

  // ---- publishes ----

  /** Writes the queued publishes once welcomed; the socket buffers them in order. */
  #pump() {
    if (!this.#ready) return;
    while (this.#queue.length > 0) {
      const p = this.#queue.shift();
      if (p.done) continue;
      this.#queuedBytes -= p.bytes;
      if (p.bytes > this.#maxFrameBytes) {
        this.#failPublish(p, ClientErrors.FRAME_TOO_LARGE, tooLarge(p.bytes, this.#maxFrameBytes));
        continue;
      }
      p.sent = true;
      this.#ws.send(p.text);
    }
  }

  #acked(id) {
    const p = this.#publishes.get(id);
    if (!p) return;
    this.#finishPublish(p);
    p.resolve();
  }

  #failPublish(p, code, message) {
    if (p.done) return;
    if (!p.sent) {
      const i = this.#queue.indexOf(p);
      if (i >= 0) {
        this.#queue.splice(i, 1);
        this.#queuedBytes -= p.bytes;
      }
    }
    this.#finishPublish(p);
    p.reject(new SwitchboardError(code, message));
  }

  #finishPublish(p) {
    p.done = true;
    clearTimeout(p.timer);
    this.#publishes.delete(p.id);
  }

  // ---- subscriptions ----

  #request(wire) {
    if (wire.requestId !== null) this.#requests.delete(wire.requestId);
    const id = 's' + (++this.#ids);
    wire.requestId = id;
    this.#requests.set(id, { wire });
    const since = wire.isTopic ? wire.position : null;
    const latest = since === null && wire.wantsLatest;
    wire.requestSince = since;
    wire.requestLatest = latest;
    const frame = { type: 'subscribe', id, topic: wire.key };
    if (since !== null) frame.since = { epoch: since.epoch, offset: since.offset };
    if (latest) frame.latest = true;
    const info = wire.locals.find(s => s.options.info != null)?.options.info; // the node keeps a first info
    if (info !== undefined) frame.info = info;
    if (this.#events.request(wire)) frame.presence_events = true;
    this.#send(frame);
  }

  /**
   * After `welcome`: every subscription is sent again (a history topic with `since`). `settled` runs once each is
   * answered or refused for good, at the latest after the request timeout.
   */
  #resubscribe(settled) {
    for (const wire of this.#wires.values()) {
      this.#request(wire);
      this.#settling.add(wire);
    }
    if (this.#settling.size === 0) {
      settled();
      return;
    }
    this.#onSettled = settled;
    this.#settleTimer = setTimeout(() => {
      console.warn('switchboard: ' + this.#settling.size + ' subscriptions not confirmed '
        + this.#opts.requestTimeout + ' ms after connecting; going on, they are still awaited or retried');
      this.#settled();
    }, this.#opts.requestTimeout);
  }

  #settle(wire) {
    if (this.#settling.delete(wire) && this.#settling.size === 0) this.#settled();
  }

  #settled() {
    const run = this.#onSettled;
    this.#stopSettling();
    if (run) run();
  }

  #stopSettling() {
    this.#settling.clear();
    this.#onSettled = null;
    clearTimeout(this.#settleTimer);
    this.#settleTimer = null;
  }

  #subscribed(f) {
    const wire = this.#requests.get(f.id)?.wire;
    if (!wire) return;
    this.#requests.delete(f.id);
    wire.requestId = null;
    wire.active = true;
    wire.retries = 0;
    const since = wire.requestSince;
    const position = asPosition(f.position);
    if (since !== null && f.recovered !== true) {
      this.#gap(wire, since, position);
    }
    if (position !== null && !(since !== null && f.recovered === true)) {
      // Not recovering: delivery goes on after the current position (or with it, when `latest` was asked).
      wire.position = position;
      wire.inclusive = wire.requestLatest;
    } else if (position === null && since !== null) {
      wire.position = null; // no history to resume on
    }
    wire.wantsLatest = false;
    for (const s of wire.locals) {
      if (!s.live) {
        s.live = true;
        clearTimeout(s.timer);
        s.settle?.resolve(s.subscription);
        s.settle = null;
      }
    }
    this.#settle(wire);
    this.#events.ask(wire); // a handler with onJoin/onLeave came while the subscribe was unanswered
  }

  #gap(wire, lastSeen, resumesAfter) {
    const info = { topic: wire.key, lastSeen, resumesAfter };
    console.warn('switchboard: ' + wire.key + ' missed messages: could not resume after offset ' + lastSeen.offset
      + (resumesAfter ? '; going on after offset ' + resumesAfter.offset : ''));
    for (const s of wire.locals) {
      if (!s.cancelled && typeof s.options.onGap === 'function') {
        try {
          s.options.onGap(info);
        } catch (e) {
          console.error('switchboard: gap listener of ' + wire.key + ' threw', e);
        }
      }
    }
    this.dispatchEvent(new CustomEvent('gap', { detail: info }));
  }

  #route(f) {
    const key = typeof f.pattern === 'string' ? f.pattern : f.topic;
    const wire = this.#wires.get(key);
    if (!wire) return; // unsubscribed meanwhile
    const position = asPosition(f.position);
    if (wire.isTopic && position !== null && !wire.reach(position)) return; // delivered already: the duplicate guard
    const message = Object.freeze({ topic: f.topic, pattern: typeof f.pattern === 'string' ? f.pattern : null,
      position, publishedAt: Number.isSafeInteger(f.published_at) ? f.published_at : null,
      data: f.data === undefined ? null : f.data });
    for (const s of wire.locals.slice()) {
      if (s.live) s.deliver(message);
    }
  }

  #error(f) {
    const code = typeof f.code === 'string' ? f.code : 'internal_error';
    const message = typeof f.message === 'string' ? f.message : code;
    const publish = this.#publishes.get(f.id);
    if (publish) {
      this.#failPublish(publish, code, message);
      return;
    }
    const request = f.id === undefined ? undefined : this.#requests.get(f.id);
    if (request?.wire) {
      this.#requests.delete(f.id);
      this.#refused(request.wire, code, message);
      return;
    }
    if (request) {
      this.#requests.delete(f.id);
      clearTimeout(request.timer);
      request.reject(new SwitchboardError(code, message));
      return;
    }
    console.warn('switchboard: error for no pending request (id ' + f.id + '): ' + code + ' ' + message);
    this.dispatchEvent(new CustomEvent('error', { detail: { code, message, id: f.id ?? null } }));
  }

  /**
   * A subscribe was refused. A {@link RETRYABLE} refusal of a subscription with live handlers is retried with
   * backoff on the same connection; anything else ends every handler on it.
   */
  #refused(wire, code, message) {
    wire.requestId = null;
    if (wire.hasLive() && RETRYABLE.has(code)) {
      const cap = Math.min(this.#opts.reconnectDelayMax, this.#opts.reconnectDelayMin * 2 ** wire.retries++);
      wire.retryTimer = setTimeout(() => {
        wire.retryTimer = null;
        if (this.#wires.get(wire.key) === wire && this.#ready) this.#request(wire);
      }, Math.random() * cap);
      console.warn('switchboard: subscribing again to ' + wire.key + ' failed: ' + code + ' ' + message
        + '; retry ' + wire.retries);
      return;
    }
    if (wire.hasLive()) {
      console.warn('switchboard: subscribing again to ' + wire.key + ' was refused: ' + code + ' ' + message
        + '; its handlers are stopped and Subscription.ended rejects');
    }
    const error = new SwitchboardError(code, message);
    for (const s of wire.locals) s.end(error);
    wire.locals = [];
    this.#wires.delete(wire.key);
    this.#settle(wire);
  }

  #subscribeTimedOut(sub) {
    if (sub.live || !this.#forget(sub)) return;
    if (sub.wire.locals.length === 0) this.#dropWire(sub.wire);
    sub.end(new SwitchboardError(ClientErrors.TIMEOUT, 'no answer to subscribe ' + sub.wire.key + ' in time'));
  }

  /** Takes `sub` off its wire subscription; false when it was not on it any more. */
  #forget(sub) {
    const wire = sub.wire;
    if (this.#wires.get(wire.key) !== wire || !wire.locals.includes(sub)) return false;
    wire.locals = wire.locals.filter(s => s !== sub);
    return true;
  }

  /** {@link Subscription#unsubscribe}. */
  #unsubscribe(sub) {
    if (sub.cancelled) return Promise.resolve();
    sub.end(null);
    if (!this.#forget(sub)) return Promise.resolve();
    const id = sub.wire.locals.length === 0 ? this.#dropWire(sub.wire) : null;
    if (id === null) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.#requests.delete(id)) {
          reject(new SwitchboardError(ClientErrors.TIMEOUT, 'no answer to unsubscribe ' + id + ' in time'));
        }
      }, this.#opts.requestTimeout);
      this.#requests.set(id, { resolve, reject, timer });
    });
  }

  /** Forgets a wire subscription without handlers; sends `unsubscribe` (and returns its id) if the node holds it. */
  #dropWire(wire) {
    this.#wires.delete(wire.key);
    clearTimeout(wire.retryTimer);
    wire.retryTimer = null;
    const onWire = wire.active || wire.requestId !== null;
    if (wire.requestId !== null) this.#requests.delete(wire.requestId);
    this.#settle(wire);
    if (!onWire || !this.#ready) return null;
    const id = 'u' + (++this.#ids);
    this.#send({ type: 'unsubscribe', id, topic: wire.key });
    return id;
  }

  /**
   * The answer to an `unsubscribe`; or, without `id`, the node dropped the subscription itself (`reason` `server`:
   * the application's backend, through the server API): every handler on it ends, `ended` rejecting with
   * `unsubscribed`, the client's `unsubscribed` event tells the topic and reason, and it is not sent again.
   */
  #unsubscribed(f) {
    const wire = f.id === undefined ? this.#wires.get(f.topic) : undefined;
    if (wire) {
      const reason = typeof f.reason === 'string' ? f.reason : null;
      const error = new SwitchboardError(ClientErrors.UNSUBSCRIBED, 'the server ended the subscription to '
        + wire.key + ' (reason ' + reason + ')');
      console.info('switchboard: ' + error.message);
      for (const s of wire.locals) s.end(error);
      wire.locals = [];
      wire.active = false; // the node holds it no more; #dropWire withdraws a subscribe sent since
      this.#dropWire(wire);
      this.dispatchEvent(new CustomEvent('unsubscribed', { detail: { topic: wire.key, reason } }));
      return;
    }
    const request = this.#requests.get(f.id);
    if (!request || request.wire) return;
    this.#requests.delete(f.id);
    clearTimeout(request.timer);
    request.resolve();
  }

  /** The connection dropped: nothing is active; unsubscribes in flight are done (the connection took them). */
  #subscriptionsLost() {
    for (const wire of this.#wires.values()) wire.reset();
    this.#stopSettling();
    this.#completeUnsubscribes();
    this.#requests.clear();
  }

  #completeUnsubscribes() {
    for (const request of this.#requests.values()) {
      if (!request.wire) {
        clearTimeout(request.timer);
        request.resolve();
      }
    }
  }
}

/** Stops listening to a socket and closes it; later events of it are ignored. */
function detach(ws, code = 1000) {
  if (typeof ws.close !== 'function') return;
  ws.onmessage = null;
  ws.onclose = null;
  ws.onerror = null;
  try {
    ws.close(code);
  } catch (e) {
    // already closing
  }
}

function closedError() {
  return new SwitchboardError(ClientErrors.CLOSED, 'client is closed');
}

function tooLarge(bytes, max) {
  return 'publish frame of ' + bytes + ' bytes is larger than the node\'s max_frame_bytes ' + max;
}

const encoder = new TextEncoder();

function utf8Length(text) {
  return encoder.encode(text).length;
}
