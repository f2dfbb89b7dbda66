/**
 * The subscriptions of switchboard.js's client: the {@link Subscription} it resolves (exported again by
 * switchboard.js), each handler's side of it (`Local`) and the subscription on the wire that the handlers on one
 * topic or pattern share (`Wire`), and the checks of a subscribe's options.
 *
 * @module switchboard/subscription
 */
import { infoProblem, presenceProblem } from './presence.js';
import { isPattern } from './topics.js';

/**
 * One handler on a topic or pattern, as {@link SwitchboardClient#subscribe} resolves it. Several subscriptions on
 * the same topic or pattern share one subscription on the wire; each handler gets every message.
 */
export class Subscription {
  #wire;
  #unsubscribe;

  /** Made by the client only. */
  constructor(wire, ended, unsubscribe) {
    this.#wire = wire;
    this.#unsubscribe = unsubscribe;
    /** @type {string} the topic or pattern, as subscribed */
    this.topic = wire.key;
    /**
     * Settles when the subscription ends: resolves after `unsubscribe()`, rejects with a {@link SwitchboardError}
     * when the broker refused it for good after a reconnect (its code), the server ended it (`unsubscribed`: the
     * application's backend unsubscribed the user from the topic), or the client closed (`closed`,
     * `terminal_close`). The client does not subscribe again after any of these.
     * @type {Promise<void>}
     */
    this.ended = ended;
    Object.freeze(this);
  }

  /**
   * On a history topic, the position of the last message or presence event delivered (to any handler on the topic),
   * or where delivery started; else `null`. Pass it as `since` to resume there later (after a page reload, say).
   * @returns {Position|null}
   */
  get position() {
    return this.#wire.isTopic ? this.#wire.position : null;
  }

  /**
   * Stops deliveries to this handler at once; the broker is told when it was the last one on its topic.
   * @returns {Promise<void>} resolves when the broker confirmed (at once when it did not need telling)
   */
  unsubscribe() {
    return this.#unsubscribe();
  }
}

/** The client's side of one {@link Subscription}: its handler, options and progress. */
export class Local {
  constructor(wire, handler, options, unsubscribe) {
    this.wire = wire;
    this.handler = handler;
    this.options = options;
    /** the broker confirmed it: messages are delivered */
    this.live = false;
    this.cancelled = false;
    /** fails an unanswered subscribe */
    this.timer = null;
    /** {resolve, reject} of the subscribe promise while unanswered */
    this.settle = null;
    let endedResolve;
    let endedReject;
    const ended = new Promise((resolve, reject) => {
      endedResolve = resolve;
      endedReject = reject;
    });
    ended.catch(() => {}); // an end nobody waits for is not an unhandled rejection
    this.endedResolve = endedResolve;
    this.endedReject = endedReject;
    this.subscription = new Subscription(wire, ended, () => unsubscribe(this));
  }

  deliver(message) {
    if (this.cancelled) return;
    try {
      this.handler(message);
    } catch (e) {
      console.error('switchboard: message handler of ' + this.wire.key + ' threw', e);
    }
  }

  /** Calls `onJoin` or `onLeave` (`callback`, when a function) with a presence event, unless unsubscribed. */
  presence(callback, event) {
    if (this.cancelled || typeof callback !== 'function') return;
    try {
      callback(event);
    } catch (e) {
      console.error('switchboard: presence callback of ' + this.wire.key + ' threw', e);
    }
  }

  /** Ends it for good: with `error` (an unanswered subscribe rejects too), or normally (unsubscribed). */
  end(error) {
    this.cancelled = true;
    clearTimeout(this.timer);
    if (error) {
      this.settle?.reject(error);
      this.endedReject(error);
    } else {
      this.endedResolve();
    }
    this.settle = null;
  }
}

/** One subscription on the wire, shared by the handlers on its topic or pattern. */
export class Wire {
  constructor(key, options) {
    this.key = key;
    this.isTopic = !isPattern(key);
    /** @type {Local[]} */
    this.locals = [];
    /** the id of the unanswered subscribe on the current connection */
    this.requestId = null;
    /** the broker answered `subscribed` on the current connection */
    this.active = false;
    this.retries = 0;
    this.retryTimer = null;
    /**
     * history topics: the last position delivered (a message's or a presence event's), or where delivery starts;
     * kept across connections
     */
    this.position = this.isTopic && options.since ? asPosition(options.since) : null;
    /** the message at `position` itself is still to come (subscribed with `latest`) */
    this.inclusive = false;
    this.wantsLatest = this.isTopic && options.latest === true;
    this.requestSince = null;
    this.requestLatest = false;
    /** a subscribe on the current connection asked for presence events */
    this.events = false;
  }

  hasLive() {
    return this.locals.some(s => s.live);
  }

  /** Whether `p` was delivered already: same epoch and not after the position reached (unless `latest`'s message). */
  seen(p) {
    const at = this.position;
    return at !== null && p.epoch === at.epoch && (p.offset < at.offset || (p.offset === at.offset && !this.inclusive));
  }

  /**
   * Takes a delivery (a message or a presence event) at `p`: false when it was delivered already (the duplicate
   * guard); else the position moves on to it, never back.
   */
  reach(p) {
    if (this.seen(p)) return false;
    const at = this.position;
    if (at === null || p.epoch !== at.epoch || p.offset > at.offset) this.position = p;
    this.inclusive = false;
    return true;
  }

  reset() {
    this.requestId = null;
    this.active = false;
    this.events = false;
    this.retries = 0;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

/** Why `options` cannot be a subscribe's to `topic`, or null. */
export function checkSubscribeOptions(topic, options) {
  if (typeof options !== 'object') return 'options must be an object';
  const { since, latest, onGap } = options;
  if ((since != null || latest) && isPattern(topic)) return 'since and latest need a topic, not a pattern: ' + topic;
  if (since != null && latest) return 'since and latest exclude each other';
  if (since != null && asPosition(since) === null) return 'since must be {epoch: string, offset: integer >= -1}';
  if (latest !== undefined && typeof latest !== 'boolean') return 'latest must be true or false';
  if (onGap !== undefined && typeof onGap !== 'function') return 'onGap must be a function';
  return infoProblem(options.info) ?? presenceProblem(topic, options);
}

/** A valid position as a plain object, or null. */
export function asPosition(p) {
  if (p === null || typeof p !== 'object' || typeof p.epoch !== 'string' || !Number.isInteger(p.offset)
    || p.offset < -1) {
    return null;
  }
  return Object.freeze({ epoch: p.epoch, offset: p.offset });
}
