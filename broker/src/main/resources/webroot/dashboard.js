// The cluster dashboard: asks the node that served this page for its view of the cluster (/api/cluster) once a
// second and draws it. Plain script, no libraries: the node serves everything the page needs.
'use strict';

(function () {
  const API = '/api/cluster';
  const PERIOD_MS = 1000;
  const WINDOW_MS = 5 * 60 * 1000;
  const TIMEOUT_MS = 5000;
  const RATES = [ // the chart's lines, in drawing order, with the CSS colours of the legend
    {key: 'received', colour: '--received'},
    {key: 'published', colour: '--in'},
    {key: 'delivered', colour: '--out'},
  ];
  const COLUMNS = [ // the node table, one cell per entry; `field` names the cell for readers and tests
    {field: 'id', cls: 'id', text: n => shortId(n.id), title: n => n.id},
    {field: 'address', text: n => n.host + ':' + n.port},
    {field: 'state', badge: n => n.state},
    {field: 'uptime', text: n => duration(n.uptime_ms)},
    {field: 'connections', cls: 'num', text: n => whole(n.connections)},
    {field: 'subscriptions', cls: 'num', text: n => whole(n.subscriptions)},
    {field: 'topics', cls: 'num', text: n => whole(n.topics)},
    {field: 'cluster_consumers', cls: 'num', text: n => whole(n.cluster_consumers)},
    {field: 'published_rate', cls: 'num', text: n => rate(n.rates.published)},
    {field: 'received_rate', cls: 'num', text: n => rate(n.rates.received)},
    {field: 'delivered_rate', cls: 'num', text: n => rate(n.rates.delivered)},
    {field: 'slow_consumer_closes', cls: 'num', text: n => whole(n.slow_consumer_closes)},
    {field: 'errors', cls: 'num', text: n => whole(n.errors)},
    {field: 'heap', cls: 'num', text: n => mebibytes(n.heap_used_bytes) + ' / ' + mebibytes(n.heap_max_bytes)},
  ];

  const $ = id => document.getElementById(id);
  let last = null; // the last view received, redrawn when the window is resized

  function shortId(id) {
    return String(id).slice(0, 8);
  }

  function whole(n) {
    return Number(n || 0).toLocaleString('en-US');
  }

  function rate(r) {
    const value = Number(r || 0);
    return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
  }

  function mebibytes(bytes) {
    return Math.round(Number(bytes || 0) / 1048576) + ' MiB';
  }

  function duration(ms) {
    const s = Math.floor(Number(ms || 0) / 1000);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor(s % 3600 / 60) + ' min';
    return Math.floor(s / 86400) + ' d ' + Math.floor(s % 86400 / 3600) + ' h';
  }

  function renderTotals(view) {
    const t = view.totals;
    $('total-nodes').textContent = t.nodes + (t.members !== t.nodes ? ' of ' + t.members : '');
    $('total-connections').textContent = whole(t.connections);
    $('total-subscriptions').textContent = whole(t.subscriptions);
    $('total-topics').textContent = (t.topics_complete ? '' : '≥ ') + whole(t.topics);
    $('total-published').textContent = rate(t.rates.published);
    $('total-delivered').textContent = rate(t.rates.delivered);
    $('total-slow').textContent = whole(t.slow_consumer_closes);
    $('total-errors').textContent = whole(t.errors);
  }

  function renderNodes(view) {
    const body = $('nodes').tBodies[0];
    const rows = view.nodes.map(node => {
      const row = document.createElement('tr');
      row.dataset.node = node.id;
      if (node.id === view.node) row.className = 'self';
      for (const column of COLUMNS) {
        const cell = document.createElement('td');
        cell.dataset.field = column.field;
        if (column.cls) cell.className = column.cls;
        if (column.badge) {
          const badge = document.createElement('span');
          badge.className = 'state ' + column.badge(node);
          badge.textContent = column.badge(node);
          cell.appendChild(badge);
        } else {
          cell.textContent = column.text(node);
        }
        if (column.title) cell.title = column.title(node);
        row.appendChild(cell);
      }
      return row;
    });
    body.replaceChildren(...rows);
  }

  function renderTopics(view) {
    const items = view.topics.map(t => {
      const item = document.createElement('li');
      const where = document.createElement('span');
      const subscribers = t.subscribers === 1 ? '1 subscriber' : whole(t.subscribers) + ' subscribers';
      where.textContent = subscribers + ', ' + (t.nodes.length === 1 ? '1 node' : t.nodes.length + ' nodes');
      item.title = t.nodes.join('\n');
      item.append(t.topic, ' ', where);
      return item;
    });
    $('topics').replaceChildren(...items);
    $('topics-empty').hidden = items.length > 0;
  }

  // The chart: the last five minutes ending at the node's own clock, so that the browser's clock does not matter.
  function renderChart(view) {
    const canvas = $('chart');
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const style = getComputedStyle(document.documentElement);
    const pad = {left: 56, right: 12, top: 10, bottom: 24};
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const series = view.series;
    const end = view.time;
    const start = end - WINDOW_MS;
    let peak = 0;
    for (const r of RATES) for (const v of series[r.key]) peak = Math.max(peak, v);
    const top = niceCeiling(peak);
    const x = t => pad.left + (t - start) / WINDOW_MS * plotW;
    const y = v => pad.top + plotH - v / top * plotH;

    g.font = '11px system-ui, sans-serif';
    g.lineWidth = 1;
    g.strokeStyle = style.getPropertyValue('--line');
    g.fillStyle = style.getPropertyValue('--muted');
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) { // horizontal grid with the rate scale
      const v = top * i / 4;
      g.beginPath();
      g.moveTo(pad.left, Math.round(y(v)) + 0.5);
      g.lineTo(pad.left + plotW, Math.round(y(v)) + 0.5);
      g.stroke();
      g.fillText(Number.isInteger(v) ? whole(v) : v.toFixed(1), pad.left - 6, y(v));
    }
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (let m = 5; m >= 0; m--) { // minutes ago along the bottom
      const t = end - m * 60000;
      g.fillText(m === 0 ? 'now' : '-' + m + ' min', Math.min(x(t), pad.left + plotW - 12), pad.top + plotH + 6);
    }

    g.lineWidth = 2;
    g.lineJoin = 'round';
    for (const r of RATES) {
      g.strokeStyle = style.getPropertyValue(r.colour);
      g.beginPath();
      let drawing = false;
      for (let i = 0; i < series.time.length; i++) {
        const t = series.time[i];
        if (t < start) continue;
        // A gap of more than three periods (the node was busy or just started) is left open.
        const gap = i > 0 && t - series.time[i - 1] > 3 * view.interval_ms;
        if (!drawing || gap) g.moveTo(x(t), y(series[r.key][i])); else g.lineTo(x(t), y(series[r.key][i]));
        drawing = true;
      }
      g.stroke();
    }
  }

  /** The smallest of 1, 2, 2.5, 5 × 10^k at or above the peak, so the scale reads in round numbers. */
  function niceCeiling(peak) {
    if (peak <= 1) return 1;
    const magnitude = Math.pow(10, Math.floor(Math.log10(peak)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (step * magnitude >= peak) return step * magnitude;
    }
    return 10 * magnitude;
  }

  function render(view) {
    last = view;
    renderTotals(view);
    renderNodes(view);
    renderTopics(view);
    renderChart(view);
    const status = $('status');
    status.className = 'status';
    status.textContent = 'Served by node ' + shortId(view.node) + ' · ' + view.totals.members + ' members · updated '
        + new Date(view.time).toLocaleTimeString();
    status.dataset.time = String(view.time);
  }

  function unreachable(reason) {
    const status = $('status');
    status.className = 'status down';
    status.textContent = 'The node does not answer (' + reason + '); retrying every second. Numbers shown are from '
        + (last ? new Date(last.time).toLocaleTimeString() : 'nowhere yet') + '.';
  }

  // One request at a time: the next is asked for a period after the last one ended, so a slow node is not piled on.
  async function poll() {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(API, {cache: 'no-store', signal: abort.signal});
      if (!response.ok) throw new Error('HTTP ' + response.status);
      render(await response.json());
    } catch (e) {
      unreachable(e.name === 'AbortError' ? 'no answer within ' + TIMEOUT_MS / 1000 + ' s' : e.message);
    } finally {
      clearTimeout(timer);
      setTimeout(poll, PERIOD_MS);
    }
  }

  window.addEventListener('resize', () => { if (last) renderChart(last); });
  poll();
})();
