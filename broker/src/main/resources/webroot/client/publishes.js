/**
 * The publishes of switchboard.js's client, from the call to their `ack` or failure: each encoded once, checked
 * against the node's `max_frame_bytes` and the `publishBufferBytes` bound (which counts the socket's own buffer),
 * queued in order while there is no welcomed connection and written once there is, and settled by the broker's `ack`
 * or `error`, by `requestTimeout`, by a connection lost after it was written (`connection_lost`), or by the client's
 * end.
 *
 * @module switchboard/publishes
 */
import { ClientErrors, SwitchboardError } from './errors.js';

/** The pending publishes of one client, written or not. */
export class Publishes {
  #connection;
  #opts;
  #nextId;
  /** publishes not yet written, in order */
  #queue = [];
  #queuedBytes = 0;
  /** publish id -> pending publish, written or not */
  #pending = new Map();

  /**
   * @param {import('./connection.js').Connection} connection writes the frames; tells whether it is ready, its
   *   node's `max_frame_bytes` and the bytes its socket buffers
   * @param {object} opts the client's options (`requestTimeout`, `publishBufferBytes`)
   * @param {function(string):string} nextId a new request id with the given prefix
   */
  constructor(connection, opts, nextId) {
    this.#connection = connection;
    this.#opts = opts;
    this.#nextId = nextId;
  }

  /**
   * {@link SwitchboardClient#publish} once the topic is checked and the client is not closed: `data` encoded, bounded,
   * queued and written when a connection is ready.
   * @returns {Promise<void>}
   */
  publish(topic, data) {
    let json;
    try {
      json = JSON.stringify(data);
    } catch (e) {
      return Promise.reject(new TypeError('data is not JSON: ' + e.message));
    }
    if (json === undefined) return Promise.reject(new TypeError('data is not JSON: ' + typeof data));
    const id = this.#nextId('p');
    const text = '{"type":"publish","id":' + JSON.stringify(id) + ',"topic":' + JSON.stringify(topic)
      + ',"data":' + json + '}';
    const bytes = utf8Length(text);
    const max = this.#connection.maxFrameBytes;
    if (this.#connection.ready && bytes > max) {
      return Promise.reject(new SwitchboardError(ClientErrors.FRAME_TOO_LARGE, tooLarge(bytes, max)));
    }
    const waiting = this.#queuedBytes + this.#connection.bufferedAmount;
    if (waiting + bytes > this.#opts.publishBufferBytes) {
      return Promise.reject(new SwitchboardError(ClientErrors.BUFFER_FULL, 'publish buffer full: ' + waiting
        + ' bytes waiting, publishBufferBytes is ' + this.#opts.publishBufferBytes + ', this frame ' + bytes));
    }
    return new Promise((resolve, reject) => {
      const p = { id, text, bytes, resolve, reject, sent: false, done: false, timer: null };
      p.timer = setTimeout(() => this.#fail(p, ClientErrors.TIMEOUT,
        'no answer to publish ' + id + ' within ' + this.#opts.requestTimeout + ' ms'), this.#opts.requestTimeout);
      this.#pending.set(id, p);
      this.#queue.push(p);
      this.#queuedBytes += bytes;
      this.pump();
    });
  }

  /** Writes the queued publishes once welcomed; the socket buffers them in order. */
  pump() {
    if (!this.#connection.ready) return;
    while (this.#queue.length > 0) {
      const p = this.#queue.shift();
      if (p.done) continue;
      this.#queuedBytes -= p.bytes;
      const max = this.#connection.maxFrameBytes;
      if (p.bytes > max) {
        this.#fail(p, ClientErrors.FRAME_TOO_LARGE, tooLarge(p.bytes, max));
        continue;
      }
      p.sent = true;
      this.#connection.sendText(p.text);
    }
  }

  /** The broker's `ack`: the publish with that id (if still pending) resolves. */
  acked(id) {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#finish(p);
    p.resolve();
  }

  /** An `error` frame: rejects the publish it answers with its code; false when it answers no publish. */
  refused(id, code, message) {
    const p = this.#pending.get(id);
    if (!p) return false;
    this.#fail(p, code, message);
    return true;
  }

  /** The connection dropped (`why`: its code and reason): the publishes written on it fail; the queued ones wait. */
  lost(why) {
    for (const p of [...this.#pending.values()]) {
      if (p.sent) {
        this.#fail(p, ClientErrors.CONNECTION_LOST, 'connection lost before publish ' + p.id
          + ' was acknowledged (' + why + '); it may or may not have been published');
      }
    }
  }

  /** The client ended: every pending publish rejects with `error`'s code and message. */
  end(error) {
    for (const p of [...this.#pending.values()]) this.#fail(p, error.code, error.message);
    this.#queue = [];
    this.#queuedBytes = 0;
  }

  #fail(p, code, message) {
    if (p.done) return;
    if (!p.sent) {
      const i = this.#queue.indexOf(p);
      if (i >= 0) {
        this.#queue.splice(i, 1);
        this.#queuedBytes -= p.bytes;
      }
    }
    this.#finish(p);
    p.reject(new SwitchboardError(code, message));
  }

  #finish(p) {
    p.done = true;
    clearTimeout(p.timer);
    this.#pending.delete(p.id);
  }
}

function tooLarge(bytes, max) {
  return 'publish frame of ' + bytes + ' bytes is larger than the node\'s max_frame_bytes ' + max;
}

const encoder = new TextEncoder();

function utf8Length(text) {
  return encoder.encode(text).length;
}
