/**
 * The topic grammar of docs/protocol.md, for switchboard.js (which exports both functions again).
 *
 * @module switchboard/topics
 */

const SEGMENT = /^[A-Za-z0-9_\-:@=]+$/;

/**
 * Why `topic` is not a valid topic (or, with `allowWildcards`, pattern), or `null` when it is: the grammar of
 * docs/protocol.md, checked before anything is sent, as the broker would.
 * @param {string} topic
 * @param {boolean} [allowWildcards]
 * @returns {string|null}
 */
export function checkTopic(topic, allowWildcards = false) {
  if (typeof topic !== 'string' || topic.length === 0) return 'topic is empty';
  if (topic.length > 255) return 'topic is longer than 255 characters';
  const segments = topic.split('.');
  if (segments.length > 16) return 'topic has more than 16 segments';
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s.length === 0) return 'topic has an empty segment';
    if (s === '*' || s === '>') {
      if (!allowWildcards) return 'wildcards are allowed in subscriptions only';
      if (s === '>' && i !== segments.length - 1) return "'>' must be the last segment";
    } else if (!SEGMENT.test(s)) {
      return 'topic has a character outside A-Z a-z 0-9 _ - : @ =';
    }
  }
  return null;
}

/**
 * Whether a valid topic or pattern has a wildcard segment.
 * @param {string} topic
 * @returns {boolean}
 */
export function isPattern(topic) {
  return topic.split('.').some(s => s === '*' || s === '>');
}
