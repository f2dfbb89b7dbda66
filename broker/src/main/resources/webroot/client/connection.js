/**
 * The connection loop of switchboard.js's client, the state machine behind its `state` and its `connecting`,
 * `connected`, `disconnected` and `closed` events: one WebSocket at a time, attempts rotating through the servers
 * with exponential backoff and full jitter, `hello` with a token first when the `token` option is set (and again on
 * the node's `refresh`), `welcome` read (node, session, `max_frame_bytes`, heartbeat), `ping` answered and a silent
 * node left, and the decision to reconnect or to close (terminal close codes, `maxReconnectAttempts`). What the
 * client keeps across connections (publishes, subscriptions, presence requests) it is told about through hooks.
 *
 * @module switchboard/connection
 */
import { ClientErrors, isTerminalClose, SwitchboardError } from './errors.js';

/**
 * @typedef {object} ConnectionHooks What a {@link Connection} tells its client; each is called synchronously.
 * @property {function(string, object):void} emit a state was entered (`connecting`, `connected`, `disconnected`,
 *   `closed`) with the event's detail; `state` is the new one already
 * @property {function(function():void):void} welcomed `welcome` came: the client sends what it keeps, and calls the
 *   function once its subscriptions are settled, which enters `connected`
 * @property {function(object):void} frame any other frame from the current connection (a JSON object with a `type`)
 * @property {function(string):void} lost the connection (or attempt) dropped, for the reason given (the close code
 *   and reason); called before the next attempt is planned or the client closes
 * @property {function(SwitchboardError):void} ended the client closes: every pending operation fails with the error,
 *   which the `closed` event carries too
 */

/** One client's connection to the cluster, reconnecting by itself until closed. */
export class Connection {
  #opts;
  #hooks;
  #nextServer = 0;
  #attempt = 0;
  #state = 'connecting';
  /** the WebSocket, a `{url}` standing for an attempt that has none yet, or null */
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

  /**
   * @param {object} opts the client's options, validated
   * @param {ConnectionHooks} hooks
   */
  constructor(opts, hooks) {
    this.#opts = opts;
    this.#hooks = hooks;
  }

  /** @returns {'connecting'|'connected'|'disconnected'|'closed'} */
  get state() {
    return this.#state;
  }

  /** @returns {boolean} whether a connection is up and welcomed */
  get ready() {
    return this.#ready;
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

  /** @returns {number} the last node's `limits.max_frame_bytes`, `Infinity` when it set none (or before any) */
  get maxFrameBytes() {
    return this.#maxFrameBytes;
  }

  /** @returns {number} bytes the socket holds unsent: 0 without one (also while an attempt waits for its token) */
  get bufferedAmount() {
    return this.#ws?.bufferedAmount ?? 0;
  }

  /** Writes a frame on the current connection; only while {@link ready}. */
  send(frame) {
    this.#ws.send(JSON.stringify(frame));
  }

  /** Writes an encoded frame on the current connection; only while {@link ready}. */
  sendText(text) {
    this.#ws.send(text);
  }

  /** Starts an attempt on the next server (unless closed). */
  connect() {
    this.#reconnectTimer = null;
    if (this.#state === 'closed') return;
    const url = this.#opts.servers[this.#nextServer];
    this.#nextServer = (this.#nextServer + 1) % this.#opts.servers.length;
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

  /**
   * Closes for good (idempotent): stops the attempts, sends a close frame (1000) when `byClient`, has the client fail
   * everything pending with `code` and `message`, and enters `closed` with `closeCode` and `reason`.
   */
  close(code, message, closeCode, reason, byClient) {
    if (this.#state === 'closed') return;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#watchdog);
    const ws = this.#ws;
    this.#ws = null;
    this.#ready = false;
    this.#node = null;
    if (ws && byClient) detach(ws, 1000);
    const error = new SwitchboardError(code, message);
    this.#hooks.ended(error);
    this.#setState('closed', { code: closeCode, reason, error });
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
      default: this.#hooks.frame(f); break;
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
    this.#hooks.welcomed(() => this.#announceConnected());
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
    this.#hooks.lost(why);
    if (isTerminalClose(code)) {
      this.close(ClientErrors.TERMINAL_CLOSE, 'server closed the connection with terminal code ' + why,
        code, reason, false);
      return;
    }
    const max = this.#opts.maxReconnectAttempts;
    if (max >= 0 && this.#attempt >= max) {
      this.close(ClientErrors.CLOSED, 'gave up after ' + this.#attempt + ' reconnect attempts; last: ' + why,
        code, reason, false);
      return;
    }
    const cap = Math.min(this.#opts.reconnectDelayMax, this.#opts.reconnectDelayMin * 2 ** this.#attempt++);
    const retryIn = Math.round(Math.random() * cap);
    this.#setState('disconnected', { url: ws.url ?? this.#url, node: this.#lastNode, code, reason, wasConnected,
      retryIn });
    this.#reconnectTimer = setTimeout(() => this.connect(), retryIn);
  }

  #setState(state, detail) {
    this.#state = state;
    this.#hooks.emit(state, detail);
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
