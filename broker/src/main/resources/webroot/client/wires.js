/**
 * The subscriptions on the wire of switchboard.js's client: one {@link Wire} per topic or pattern, shared by its
 * handlers; the `subscribe` and `unsubscribe` requests in flight and their answers (`subscribed`, `unsubscribed`,
 * `error`), a refusal retried or ending the handlers, the timeouts; every subscription sent again after `welcome`
 * (a history topic with `since`, a `gap` reported when not recovered) and the wait for them to settle; the routing
 * of `message` frames through the duplicate guard to the handlers; and the server's own `unsubscribed`.
 *
 * @module switchboard/wires
 */
import { ClientErrors, SwitchboardError } from './errors.js';
import { asPosition, Local, Wire } from './subscription.js';

/** Refusals of a subscribe that may succeed when it is sent again unchanged, a little later. */
const RETRYABLE = new Set(['internal_error', 'rate_limited']);

/** The subscriptions of one client, by topic or pattern, and the requests about them on the current connection. */
export class Wires {
  #connection;
  #events;
  #opts;
  #nextId;
  #emit;
  /** @type {Map<string, Wire>} */
  #wires = new Map();
  /** request id -> {wire} of a subscribe, or {resolve, reject, timer} of an unsubscribe */
  #requests = new Map();
  #settling = new Set();
  #onSettled = null;
  #settleTimer = null;

  /**
   * @param {import('./connection.js').Connection} connection writes the frames and tells whether it is ready
   * @param {import('./presence.js').PresenceEvents} events the client's presence events, asked for by the subscribes
   * @param {object} opts the client's options (`requestTimeout`, `reconnectDelayMin`, `reconnectDelayMax`)
   * @param {function(string):string} nextId a new request id with the given prefix
   * @param {function(string, object):void} emit dispatches a client event (`gap`, `unsubscribed`) with its detail
   */
  constructor(connection, events, opts, nextId, emit) {
    this.#connection = connection;
    this.#events = events;
    this.#opts = opts;
    this.#nextId = nextId;
    this.#emit = emit;
  }

  /** The subscription on the wire for a topic or pattern, or undefined. */
  get(key) {
    return this.#wires.get(key);
  }

  /**
   * {@link SwitchboardClient#subscribe} once its arguments are checked and the client is not closed: the handler
   * joins the topic's wire subscription (made, and sent when connected, if there is none).
   * @returns {Promise<Subscription>}
   */
  subscribe(topic, handler, options) {
    let wire = this.#wires.get(topic);
    if (!wire) {
      wire = new Wire(topic, options);
      this.#wires.set(topic, wire);
    }
    const sub = new Local(wire, handler, options, local => this.#unsubscribe(local));
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
      if (wire.requestId === null && wire.retryTimer === null && this.#connection.ready) this.#request(wire);
    });
  }

  /**
   * After `welcome`: every subscription is sent again (a history topic with `since`). `settled` runs once each is
   * answered or refused for good, at the latest after the request timeout.
   */
  resubscribe(settled) {
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

  /** A `subscribed` frame that answers a subscribe of a wire subscription (others are ignored). */
  subscribed(f) {
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

  /** A `message` frame: to the live handlers of its subscription, unless the duplicate guard drops it. */
  route(f) {
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

  /**
   * An `error` frame with request id `id`: a refused subscribe (see {@link #refused}) or a failed unsubscribe, which
   * rejects; false when it answers no request of these.
   */
  refused(id, code, message) {
    const request = id === undefined ? undefined : this.#requests.get(id);
    if (request?.wire) {
      this.#requests.delete(id);
      this.#refused(request.wire, code, message);
      return true;
    }
    if (request) {
      this.#requests.delete(id);
      clearTimeout(request.timer);
      request.reject(new SwitchboardError(code, message));
      return true;
    }
    return false;
  }

  /**
   * The answer to an `unsubscribe`; or, without `id`, the node dropped the subscription itself (`reason` `server`:
   * the application's backend, through the server API): every handler on it ends, `ended` rejecting with
   * `unsubscribed`, the client's `unsubscribed` event tells the topic and reason, and it is not sent again.
   */
  unsubscribed(f) {
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
      this.#emit('unsubscribed', { topic: wire.key, reason });
      return;
    }
    const request = this.#requests.get(f.id);
    if (!request || request.wire) return;
    this.#requests.delete(f.id);
    clearTimeout(request.timer);
    request.resolve();
  }

  /** The connection dropped: nothing is active; unsubscribes in flight are done (the connection took them). */
  lost() {
    for (const wire of this.#wires.values()) wire.reset();
    this.#stopSettling();
    this.#completeUnsubscribes();
    this.#requests.clear();
  }

  /** The client ended: every handler ends with `error`; unsubscribes in flight are done. */
  end(error) {
    this.#stopSettling();
    for (const wire of this.#wires.values()) {
      clearTimeout(wire.retryTimer);
      for (const s of wire.locals) s.end(error);
    }
    this.#wires.clear();
    this.#completeUnsubscribes();
    this.#requests.clear();
  }

  #request(wire) {
    if (wire.requestId !== null) this.#requests.delete(wire.requestId);
    const id = this.#nextId('s');
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
    this.#connection.send(frame);
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
    this.#emit('gap', info);
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
        if (this.#wires.get(wire.key) === wire && this.#connection.ready) this.#request(wire);
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
    if (!onWire || !this.#connection.ready) return null;
    const id = this.#nextId('u');
    this.#connection.send({ type: 'unsubscribe', id, topic: wire.key });
    return id;
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
