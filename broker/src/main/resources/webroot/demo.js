// The demo page: a chat room with who is in it, and a live ticker, on one Switchboard client. Query parameters: `nodes`
// (comma-separated WebSocket URLs; default: the node serving this page), `room` (chat.<room>, default lobby), `name`
// (yours in the room), `symbols` (tickers whose latest price is asked for when the page opens; it arrives only if
// ticker.<symbol> is a history topic), `poll` (seconds between two reloads of the list of people, default 15). The
// list of people needs the node's presence on chat.> (--presence 'chat.>').
import { checkTopic, connect } from './client/switchboard.js';

const MAX_LINES = 200;
const MAX_EVENTS = 30;
const MAX_PEOPLE = 50;
const params = new URLSearchParams(location.search);
const PEOPLE_POLL_MS = 1000 * (Number(params.get('poll')) || 15);
const $ = id => document.getElementById(id);

const servers = (params.get('nodes') ?? '').split(',').map(s => s.trim()).filter(s => s.length > 0);
if (servers.length === 0) servers.push((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
const chatTopic = 'chat.' + (params.get('room') || 'lobby');
const symbols = (params.get('symbols') ?? '').split(',').map(s => s.trim()).filter(s => s.length > 0);

$('nodes').textContent = servers.join(', ');
$('chat-topic').textContent = chatTopic;

let client;
try {
  client = connect({ servers });
} catch (e) {
  showState('closed', e.message);
  throw e;
}

// ---- connection status ----

function showState(state, note) {
  const el = $('state');
  el.dataset.state = state;
  el.textContent = note ? state + ' (' + note + ')' : state;
}

function logEvent(text) {
  const li = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = clock();
  li.append(time, ' ' + text);
  const list = $('events');
  list.prepend(li);
  while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
}

client.addEventListener('connecting', e => {
  showState('connecting');
  $('server').textContent = e.detail.url;
});
client.addEventListener('connected', e => {
  showState('connected');
  $('node').textContent = e.detail.node;
  $('node').dataset.node = e.detail.node;
  $('server').textContent = e.detail.url;
  $('reconnects').textContent = String(e.detail.reconnects);
  logEvent((e.detail.reconnected ? 'reconnected to ' : 'connected to ') + e.detail.url + ', node ' + e.detail.node);
});
client.addEventListener('disconnected', e => {
  const d = e.detail;
  showState('disconnected', 'retry in ' + d.retryIn + ' ms');
  $('node').textContent = '–';
  delete $('node').dataset.node;
  logEvent((d.wasConnected ? 'lost ' : 'could not connect to ') + d.url + ' (' + d.code + (d.reason ? ' ' + d.reason : '')
    + '), retrying in ' + d.retryIn + ' ms');
});
client.addEventListener('closed', e => {
  showState('closed', e.detail.error.message);
  $('node').textContent = '–';
  logEvent('closed: ' + e.detail.error.message);
});
client.addEventListener('gap', e => {
  chatNote('missed messages on ' + e.detail.topic + ' (beyond its history window)');
});

// ---- chat ----

function chatLine(from, text, position) {
  const li = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = clock();
  const who = document.createElement('b');
  who.textContent = from;
  li.append(time, ' ', who, ' ', text);
  if (position) li.dataset.offset = String(position.offset);
  appendBounded($('chat-messages'), li);
}

function chatNote(text) {
  const li = document.createElement('li');
  li.className = 'note';
  li.textContent = text;
  appendBounded($('chat-messages'), li);
}

function appendBounded(list, li) {
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  list.append(li);
  while (list.children.length > MAX_LINES) list.firstElementChild.remove();
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function onChat(m) {
  const d = m.data;
  if (d !== null && typeof d === 'object' && typeof d.text === 'string') {
    chatLine(typeof d.from === 'string' ? d.from : '?', d.text, m.position);
  } else {
    chatLine('?', JSON.stringify(d), m.position);
  }
}

// The room is joined with the name as presence info. The node keeps the info a subscription started with, so a new
// name leaves and joins again (a message published in between is not shown).
let joined = null;
function join(name) {
  const leaving = joined === null ? Promise.resolve() : joined.subscription.unsubscribe().catch(() => {});
  return leaving.then(() => client.subscribe(chatTopic, onChat, { info: { name }, onJoin: e => peopleEvent(true, e),
    onLeave: e => peopleEvent(false, e) }))
    .then(subscription => {
      joined = { subscription, name };
      refreshPeople();
    }, e => chatNote('cannot join ' + chatTopic + ': ' + e.code + ' ' + e.message));
}

const nameInput = $('chat-name');
nameInput.value = params.get('name') || localStorage.getItem('switchboard.name')
  || 'guest-' + Math.floor(Math.random() * 9000 + 1000);
let joining = join(nameInput.value.trim() || 'guest');
$('chat-form').addEventListener('submit', e => {
  e.preventDefault();
  const from = nameInput.value.trim() || 'guest';
  const text = $('chat-text').value.trim();
  if (!text) return;
  localStorage.setItem('switchboard.name', from);
  $('chat-text').value = '';
  if (joined !== null && joined.name !== from) joining = join(from);
  joining.then(() => client.publish(chatTopic, { from, text }))
    .catch(err => chatNote('not sent (' + err.code + '): ' + text));
});

// ---- who is in the room ----

// The list is asked for when this page joins and after a reconnect (the count from presence_stats, the names from one
// page of at most MAX_PEOPLE members), and then kept up to date at once by the room's join and leave events. Events
// are not stored: one sent while this page was reconnecting is lost, so the list is also asked for again every
// PEOPLE_POLL_MS, as a safety net. Events that come while a query is out are applied again over its answer, which
// may have been read before them.
let session = null;
let peopleTimer = null;
let asking = false;
let askAgain = false;
/** client -> {name, user}: the members shown */
const people = new Map();
let total = 0;
let recent = [];
client.addEventListener('connected', e => {
  session = e.detail.session;
  if (e.detail.reconnected && joined !== null) refreshPeople();
});

function refreshPeople() {
  if (asking) {
    askAgain = true;
    return;
  }
  clearTimeout(peopleTimer);
  asking = true;
  recent = [];
  let off = false;
  Promise.all([client.presenceStats(chatTopic), client.presence(chatTopic, { limit: MAX_PEOPLE })])
    .then(([stats, page]) => {
      people.clear();
      page.members.forEach(m => people.set(m.client, { name: m.info?.name, user: m.user }));
      total = stats.clients;
      recent.forEach(([isJoin, e]) => applyEvent(isJoin, e));
      showPeople();
    }, e => {
      off = e.code === 'not_enabled' || e.code === 'closed';
      $('people-count').textContent = off ? 'unknown: this node keeps no presence for ' + chatTopic : '';
    })
    .finally(() => {
      asking = false;
      if (off) return;
      if (askAgain) {
        askAgain = false;
        refreshPeople();
      } else {
        peopleTimer = setTimeout(refreshPeople, PEOPLE_POLL_MS);
      }
    });
}

/** A join or leave of the room: shown at once. A user leaves with all its connections. */
function peopleEvent(isJoin, e) {
  if (asking) recent.push([isJoin, e]);
  applyEvent(isJoin, e);
  showPeople();
}

function applyEvent(isJoin, e) {
  if (isJoin) {
    if (!people.has(e.client)) total++;
    people.set(e.client, { name: e.info?.name, user: e.user });
    return;
  }
  for (const [client, m] of [...people]) {
    if (client === e.client || (e.user !== null && m.user === e.user)) {
      people.delete(client);
      total--;
    }
  }
  total = Math.max(total, people.size);
}

function showPeople() {
  $('people-count').textContent = total + (total > people.size ? ', ' + people.size + ' shown' : '');
  $('people').replaceChildren(...[...people].map(([client, m]) => {
    const li = document.createElement('li');
    li.textContent = typeof m.name === 'string' ? m.name : 'anonymous';
    li.classList.toggle('me', client === session);
    return li;
  }).sort((a, b) => a.textContent.localeCompare(b.textContent)));
}

// ---- ticker ----

const rows = new Map();

function tick(m) {
  const symbol = m.topic.slice('ticker.'.length);
  const price = typeof m.data?.price === 'number' ? m.data.price : Number(m.data?.price ?? m.data);
  if (!Number.isFinite(price)) return;
  let row = rows.get(symbol);
  if (!row) {
    const tr = document.createElement('tr');
    tr.dataset.symbol = symbol;
    tr.innerHTML = '<th scope="row"></th><td class="price"></td><td class="change"></td><td class="ticks">0</td>'
      + '<td class="updated"></td>';
    tr.firstElementChild.textContent = symbol;
    row = { tr, price: null, ticks: 0 };
    rows.set(symbol, row);
    const tbody = $('ticker-rows');
    const after = [...tbody.children].find(r => r.dataset.symbol > symbol);
    tbody.insertBefore(tr, after ?? null);
    $('ticker-empty').hidden = true;
  }
  const change = row.price === null ? 0 : price - row.price;
  row.price = price;
  row.ticks++;
  row.tr.querySelector('.price').textContent = price.toFixed(2);
  const c = row.tr.querySelector('.change');
  c.textContent = (change > 0 ? '+' : '') + change.toFixed(2);
  c.dataset.direction = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
  row.tr.querySelector('.ticks').textContent = String(row.ticks);
  row.tr.querySelector('.updated').textContent = clock();
}

// Symbols named in ?symbols= get their own subscription, asking for the latest price; the pattern covers the rest.
const exact = new Set();
for (const symbol of symbols) {
  const topic = 'ticker.' + symbol;
  if (checkTopic(topic) !== null) continue;
  exact.add(topic);
  client.subscribe(topic, tick, { latest: true })
    .catch(e => logEvent('cannot subscribe ' + topic + ': ' + e.code + ' ' + e.message));
}
client.subscribe('ticker.*', m => {
  if (!exact.has(m.topic)) tick(m);
}).catch(e => logEvent('cannot subscribe ticker.*: ' + e.code + ' ' + e.message));

function clock() {
  return new Date().toLocaleTimeString([], { hour12: false });
}

window.switchboard = client; // to try the client from the browser console
