/**
 * The presence of switchboard.js's client (docs/client-js.md, "Presence"): the `join` and `leave` events given to a
 * subscription's `onJoin` and `onLeave`, and the requests `presence` and
 * `presence_stats` between the call and their answer. A request made while disconnected waits for the connection, as
 * a publish does, and rejects with `timeout` when no answer came within `requestTimeout` of the call. As it only
 * reads, one whose connection dropped before the answer is sent again on the next connection (with a new id).
 *
 * @module switchboard/presence
 */

/** The most members one page may hold (the protocol's limit); a node lists 100 when not told. */
export const MAX_PAGE = 1000;
/** The most bytes of JSON a subscription's `info` may take. */
export const MAX_INFO_BYTES = 1024;

import { asPosition } from './subscription.js';
import { isPattern } from './topics.js';

const encoder = new TextEncoder();

/** Why `info` cannot be sent with a subscribe, or null (`undefined` and `null`: no info). */
export function infoProblem(info) {
  if (info === undefined || info === null) return null;
  let json;
  try {
    json = JSON.stringify(info);
  } catch (e) {
    return 'info is not JSON: ' + e.message;
  }
  if (json === undefined) return 'info is not JSON: ' + typeof info;
  const bytes = encoder.encode(json).length;
  return bytes > MAX_INFO_BYTES ? 'info: ' + bytes + ' bytes of JSON, more than ' + MAX_INFO_BYTES : null;
}

/** Why a subscribe's `onJoin`/`onLeave` cannot be used, or null. */
export function presenceProblem(topic, { onJoin, onLeave }) {
  if (onJoin !== undefined && typeof onJoin !== 'function') return 'onJoin must be a function';
  if (onLeave !== undefined && typeof onLeave !== 'function') return 'onLeave must be a function';
  if ((onJoin || onLeave) && isPattern(topic)) return 'onJoin and onLeave need a topic, not a pattern: ' + topic;
  return null;
}

/** Whether a subscription's options ask for presence events: `onJoin` or `onLeave` given. */
export function wantsEvents(options) {
  return typeof options.onJoin === 'function' || typeof options.onLeave === 'function';
}

/**
 * The presence events of one client's subscriptions. A subscribe asks for them (`presence_events`) when one of the
 * handlers on its topic has `onJoin` or `onLeave`; a handler with them that joins a subscription already confirmed
 * without them sends a further subscribe that asks (the node turns them on for the subscription it holds). Each
 * `join` and `leave` goes to the live handlers on its topic that have the matching callback. On a history topic an
 * event has a `position` in the topic's offsets, shared with its messages: it moves the subscription's position on
 * as a message does, and one already delivered (the same epoch, not after the position reached) is dropped.
 */
export class PresenceEvents {
  #send;
  #ids = 0;
  /** ids of the subscribes sent only to turn events on, on the current connection */
  #asking = new Set();

  /** @param {function(object):void} send writes a frame on the current connection */
  constructor(send) {
    this.#send = send;
  }

  /** Whether a subscribe for `wire` asks for events; remembers that it did. */
  request(wire) {
    wire.events = wire.locals.some(s => wantsEvents(s.options));
    return wire.events;
  }

  /** A confirmed subscription whose subscribe did not ask for events asks now, if a handler wants them. */
  ask(wire) {
    if (!wire.active || wire.events || !wire.locals.some(s => wantsEvents(s.options))) return;
    wire.events = true;
    const id = 'e' + (++this.#ids);
    this.#asking.add(id);
    this.#send({ type: 'subscribe', id, topic: wire.key, presence_events: true });
  }

  /** Takes the `subscribed` or `error` answering a subscribe sent by {@link ask}; false when it answers another. */
  answered(f) {
    if (!this.#asking.delete(f.id)) return false;
    if (f.type === 'error') console.warn('switchboard: presence events on ' + f.topic + ' refused: ' + f.code);
    return true;
  }

  /** The connection dropped: each subscription asks again with its next subscribe. */
  lost() {
    this.#asking.clear();
  }

  /**
   * Gives a `join` or `leave` frame to the handlers of `wire`, the subscription on its topic (or undefined). One with
   * a position passes the duplicate guard and moves the position on, as a message does, whether or not a handler has
   * the callback: the next subscribe's `since` is after it.
   */
  route(wire, f) {
    if (!wire) return;
    const position = asPosition(f.position);
    if (wire.isTopic && position !== null && !wire.reach(position)) return; // delivered already
    const event = Object.freeze({ topic: f.topic, user: f.user ?? null, client: f.client, info: f.info ?? null,
      node: f.node, position });
    for (const s of wire.locals.slice()) {
      if (s.live) s.presence(f.type === 'join' ? s.options.onJoin : s.options.onLeave, event);
    }
  }
}

/** The pending presence requests of one client. */
export class PresenceRequests {
  #send;
  #ready;
  #error;
  #timeout;
  #ids = 0;
  /** requests not written on the current connection */
  #waiting = new Set();
  /** id -> request written on the current connection */
  #sent = new Map();

  /**
   * @param {function(object):void} send writes a frame on the current connection
   * @param {function():boolean} ready whether a connection is up and welcomed
   * @param {function(string, string):Error} error makes the client's error for a code and a message
   * @param {number} timeout ms from the call to the answer
   */
  constructor(send, ready, error, timeout) {
    this.#send = send;
    this.#ready = ready;
    this.#error = error;
    this.#timeout = timeout;
  }

  /**
   * One page of `topic`'s members: `{topic, members: [{client, user, info, node}], next}`.
   * @returns {Promise<object>}
   */
  members(topic, after, limit) {
    const frame = { type: 'presence', topic };
    if (after !== undefined && after !== null) frame.after = after;
    if (limit !== undefined) frame.limit = limit;
    return this.#ask(frame, f => Object.freeze({ topic: f.topic, next: typeof f.next === 'string' ? f.next : null,
      members: Object.freeze((Array.isArray(f.members) ? f.members : []).map(m => Object.freeze({
        client: m.client, user: m.user ?? null, info: m.info ?? null, node: m.node })))
    }));
  }

  /** `topic`'s counts: `{topic, clients, users}`. */
  stats(topic) {
    return this.#ask({ type: 'presence_stats', topic },
      f => Object.freeze({ topic: f.topic, clients: f.clients, users: f.users }));
  }

  #ask(frame, decode) {
    return new Promise((resolve, reject) => {
      const q = { frame, decode, resolve, reject, id: null, timer: null };
      q.timer = setTimeout(() => {
        this.#waiting.delete(q);
        if (q.id !== null) this.#sent.delete(q.id);
        reject(this.#error('timeout', 'no answer to ' + frame.type + ' within ' + this.#timeout + ' ms'));
      }, this.#timeout);
      if (this.#ready()) this.#write(q);
      else this.#waiting.add(q);
    });
  }

  #write(q) {
    q.id = 'q' + (++this.#ids);
    this.#sent.set(q.id, q);
    this.#send({ ...q.frame, id: q.id });
  }

  /** A connection is ready (after `welcome` and the subscribes): the waiting requests are written. */
  connected() {
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    waiting.forEach(q => this.#write(q));
  }

  /** The connection dropped: what was written on it waits for the next one. */
  lost() {
    for (const q of this.#sent.values()) {
      q.id = null;
      this.#waiting.add(q);
    }
    this.#sent.clear();
  }

  /** Settles the request a `presence`, `presence_stats` or `error` frame answers; false when none. */
  answered(f) {
    const q = typeof f.id === 'string' ? this.#sent.get(f.id) : undefined;
    if (q === undefined || (f.type !== 'error' && f.type !== q.frame.type)) return false;
    this.#sent.delete(f.id);
    clearTimeout(q.timer);
    if (f.type === 'error') {
      q.reject(this.#error(typeof f.code === 'string' ? f.code : 'internal_error', String(f.message ?? f.code)));
    } else {
      q.resolve(q.decode(f));
    }
    return true;
  }

  /** The client ended: every request rejects with `error`. */
  failAll(error) {
    for (const q of [...this.#waiting, ...this.#sent.values()]) {
      clearTimeout(q.timer);
      q.reject(error);
    }
    this.#waiting.clear();
    this.#sent.clear();
  }
}
