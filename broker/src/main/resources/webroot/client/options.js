/**
 * The options of switchboard.js's {@link connect}: their defaults and their check.
 *
 * @module switchboard/options
 */

/** Default options of {@link connect}; times in milliseconds. */
export const DEFAULTS = Object.freeze({
  reconnectDelayMin: 100,
  reconnectDelayMax: 10_000,
  maxReconnectAttempts: -1,
  connectTimeout: 5_000,
  requestTimeout: 10_000,
  publishBufferBytes: 1024 * 1024,
  heartbeatGrace: 1_000,
});

/** The options with their defaults filled in; throws a `TypeError` or `RangeError` naming a bad one. */
export function validate(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const list = typeof options.servers === 'string' ? options.servers.split(',') : options.servers;
  if (!Array.isArray(list) || list.length === 0) throw new TypeError('servers: at least one ws:// or wss:// URL');
  const servers = list.map(s => String(s).trim()).filter(s => s.length > 0).map(s => {
    let url;
    try {
      url = new URL(s);
    } catch (e) {
      throw new TypeError('servers: not a URL: ' + s);
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError('servers: not ws:// or wss://: ' + s);
    if (url.pathname === '/' || url.pathname === '') url.pathname = '/ws';
    return url.href;
  });
  if (servers.length === 0) throw new TypeError('servers: at least one ws:// or wss:// URL');
  const opts = { ...DEFAULTS, ...options, servers };
  for (const key of Object.keys(DEFAULTS)) {
    const v = opts[key];
    const min = key === 'maxReconnectAttempts' ? -1 : key === 'heartbeatGrace' ? 0 : 1;
    if (!Number.isFinite(v) || v < min) throw new RangeError(key + ' must be a number of at least ' + min);
  }
  if (opts.token !== undefined && typeof opts.token !== 'string' && typeof opts.token !== 'function') {
    throw new TypeError('token must be a string or a function');
  }
  if (opts.reconnectDelayMax < opts.reconnectDelayMin) {
    throw new RangeError('reconnectDelayMax must be at least reconnectDelayMin');
  }
  return opts;
}
