// Site view: the site tree with load against every limit, the active grid event (with its chart, drawn by
// grid-chart.js, and an operator's Edit… form), and the control engine's recent decisions. They come live over the device stream (app.js hands each site, grid-events
// and decisions event to HeadroomSite.streamed and calls tick() on every poll for the countdowns); only
// while the stream is down does app.js call HeadroomSite.refresh(), which fetches them. app.js also tells
// it the signed-in role. Every API-supplied string goes in through textContent, never innerHTML.
(function () {
  'use strict';
  var DECISIONS = 20;
  /** Share of a limit above which a bar turns to a warning, and above which it reads as over. */
  var HIGH_PERCENT = 90;
  var OVER_PERCENT = 100;
  var ACTIVE_STATES = { pending: true, ramping: true, holding: true, restoring: true };

  var canWrite = false;
  // The controller's clock minus the browser's, from the site snapshot's "at": deadlines count down
  // and new events end on the controller's time, not on a laptop's clock that may be off by minutes.
  var clockOffsetMs = 0;
  var activeEvent = null;
  // The last grid events shown, re-rendered by tick() so that the countdowns run between events.
  var lastGrid = null;
  // Whether the stream is live: then a write's result comes with the stream's next grid-events event.
  var live = false;
  // Counts the stream's renders: a poll that began before one of them is older than what is shown.
  var streamedRenders = 0;

  function now() { return Date.now() + clockOffsetMs; }

  function kw(value) {
    if (value === null || value === undefined) { return '—'; }
    return value.toFixed(Math.abs(value) < 10 ? 2 : 1);
  }

  function element(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (className) { e.className = className; }
    return e;
  }

  function cell(row, text, className) {
    var td = element('td', text, className);
    row.appendChild(td);
    return td;
  }

  function clock(iso) {
    var t = Date.parse(iso);
    if (isNaN(t)) { return '—'; }
    return new Date(t).toLocaleTimeString([], { hour12: false });
  }

  /** "in 4 min 05 s" / "2 min 10 s ago". */
  function countdown(iso) {
    var t = Date.parse(iso);
    if (isNaN(t)) { return ''; }
    var s = Math.round((t - now()) / 1000);
    var a = Math.abs(s);
    var text = a >= 60 ? Math.floor(a / 60) + ' min ' + String(a % 60).padStart(2, '0') + ' s' : a + ' s';
    return s >= 0 ? 'in ' + text : text + ' ago';
  }

  /** ok, high (above 90 % of the limit) or over (above it); none without a limit. */
  function level(load, limit) {
    if (limit === null || limit === undefined || !(limit > 0)) { return 'none'; }
    var percent = load / limit * 100;
    if (percent > OVER_PERCENT) { return 'over'; }
    return percent > HIGH_PERCENT ? 'high' : 'ok';
  }

  function bar(load, limit) {
    var outer = element('div', null, 'bar');
    var fill = element('div', null, 'bar-fill level-' + level(load, limit));
    var percent = load / limit * 100;
    // CSSOM, not a style attribute: the page's CSP allows the one and refuses the other.
    fill.style.width = Math.max(0, Math.min(100, percent)).toFixed(1) + '%';
    outer.appendChild(fill);
    outer.appendChild(element('span', Math.round(percent) + ' %', 'bar-text'));
    outer.title = kw(load) + ' of ' + kw(limit) + ' kW';
    return outer;
  }

  function fetchJson(path) {
    return fetch(path, { cache: 'no-store' }).then(function (response) {
      if (response.status === 404) { return { missing: true, status: 404 }; }
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.json().then(function (body) { return { body: body }; });
    });
  }

  function errorText(response) {
    return response.json()
      .then(function (body) { return body.error || ('HTTP ' + response.status); },
            function () { return 'HTTP ' + response.status; });
  }

  // --- site tree ---

  function treeRow(rows, node, depth) {
    if (node.kind === 'device') { return; }
    var tr = element('tr', null, 'node depth-' + Math.min(depth, 5) + ' level-' + level(node.load_kw, node.limit_kw));
    tr.dataset.node = node.id;
    tr.dataset.kind = node.kind;
    var name = cell(tr, '');
    name.appendChild(element('span', node.kind, 'node-kind'));
    name.appendChild(document.createTextNode(' ' + node.id));
    var barCell = cell(tr, '');
    if (node.limit_kw !== null && node.limit_kw !== undefined) { barCell.appendChild(bar(node.load_kw, node.limit_kw)); }
    cell(tr, kw(node.load_kw), 'num');
    cell(tr, kw(node.limit_kw), 'num');
    cell(tr, kw(node.headroom_kw), 'num');
    var source = cell(tr, node.source);
    if (node.meter) { source.title = 'meter ' + node.meter; }
    // The stream and the poll both ask for ?devices=count: the count, without the device leaves.
    var devices = node.device_count !== undefined
      ? node.device_count
      : (node.children || []).filter(function (c) { return c.kind === 'device'; }).length;
    cell(tr, devices > 0 ? String(devices) : '', 'num');
    var byClass = node.load_by_class_kw || {};
    cell(tr, Object.keys(byClass).map(function (c) { return c + ' ' + kw(byClass[c]); }).join(' · '));
    cell(tr, node.promised_kw === undefined ? '' : kw(node.promised_kw), 'num');
    rows.appendChild(tr);
    (node.children || []).forEach(function (child) { treeRow(rows, child, depth + 1); });
  }

  function renderSite(result) {
    var table = document.getElementById('site-tree');
    var none = document.getElementById('site-none');
    var problems = document.getElementById('site-problems');
    if (result.missing) {
      table.hidden = true;
      problems.hidden = true;
      none.textContent = 'No site model: set site-model in controller.yaml to see feeds, PDUs and racks here.';
      none.hidden = false;
      return;
    }
    var site = result.body;
    var at = Date.parse(site.at);
    if (!isNaN(at)) { clockOffsetMs = at - Date.now(); }
    var rows = document.createDocumentFragment();
    treeRow(rows, site, 0);
    (site.zones || []).forEach(function (zone) { treeRow(rows, zone, 0); });
    table.querySelector('tbody').replaceChildren(rows);
    table.hidden = false;
    none.hidden = true;
    var items = document.createDocumentFragment();
    (site.problems || []).forEach(function (p) {
      items.appendChild(element('li', (p.device ? p.device + ': ' : '') + p.message));
    });
    problems.replaceChildren(items);
    problems.hidden = (site.problems || []).length === 0;
  }

  // --- grid event ---

  /** The event the site is working to now: pending to restoring, or failed but not yet over. */
  function active(events) {
    for (var i = 0; i < events.length; i++) {
      var e = events[i];
      if (ACTIVE_STATES[e.state]) { return e; }
      if (e.state === 'failed' && !(Date.parse(e.end) <= now())) { return e; }
    }
    return null;
  }

  function requested(e) {
    var r = e.requested || {};
    if (r.target_kw !== undefined && r.target_kw !== null) { return 'site at most ' + kw(r.target_kw) + ' kW'; }
    if (r.reduce_kw !== undefined && r.reduce_kw !== null) { return 'reduce by ' + kw(r.reduce_kw) + ' kW'; }
    if (r.reduce_percent !== undefined && r.reduce_percent !== null) { return 'reduce by ' + r.reduce_percent + ' %'; }
    return '';
  }

  function renderGrid(result) {
    var none = document.getElementById('grid-none');
    var panel = document.getElementById('grid-active');
    lastGrid = result;
    var events = result.missing ? [] : result.body;
    var e = active(events);
    activeEvent = e;
    document.getElementById('grid-form').hidden = !canWrite || e !== null;
    if (e === null) {
      closeEdit();
      panel.hidden = true;
      none.textContent = result.missing
        ? 'No active grid event (this controller does not offer grid events).'
        : 'No active grid event.';
      none.hidden = false;
      return;
    }
    none.hidden = true;
    document.getElementById('grid-id').textContent =
        e.id + (e.reference ? ' · ' + e.reference : '') + (e.source ? ' · from ' + e.source : '');
    var state = document.getElementById('grid-state');
    state.textContent = e.state;
    state.className = 'event-state event-' + e.state;
    var target = e.target_kw === null || e.target_kw === undefined ? 'not known yet' : kw(e.target_kw) + ' kW';
    var asked = requested(e);
    document.getElementById('grid-target').textContent = target + (asked ? ' (' + asked + ')' : '');
    document.getElementById('grid-deadline').textContent = clock(e.deadline);
    document.getElementById('grid-countdown').textContent = countdown(e.deadline);
    document.getElementById('grid-end').textContent = clock(e.end) + ' (' + countdown(e.end) + ')';
    document.getElementById('grid-load').textContent =
        (e.site_load_kw === null || e.site_load_kw === undefined ? '—' : kw(e.site_load_kw) + ' kW') +
        (e.site_load_source ? ', ' + e.site_load_source : '');
    document.getElementById('grid-reached').textContent = e.reached_target_at
      ? clock(e.reached_target_at) + (e.time_to_target_seconds !== null && e.time_to_target_seconds !== undefined
        ? ' (' + e.time_to_target_seconds + ' s after the start)' : '')
      : 'not yet';
    document.getElementById('grid-cancel').hidden = !canWrite;
    document.getElementById('grid-edit').hidden = !canWrite;
    if (editing !== null && editing !== e.id) { closeEdit(); }
    window.HeadroomGridChart.render(e);
    panel.hidden = false;
  }

  function showGridError(text) {
    var error = document.getElementById('grid-error');
    error.textContent = text || '';
    error.hidden = !text;
  }

  // Writes go like every other write of the page: same origin, JSON body, the session cookie.
  function startEvent(event) {
    event.preventDefault();
    var value = Number(document.getElementById('grid-value').value);
    var minutes = Number(document.getElementById('grid-duration').value);
    var ramp = Number(document.getElementById('grid-ramp').value);
    var body = { end: new Date(now() + minutes * 60000).toISOString(), ramp_seconds: ramp, source: 'web' };
    body[document.getElementById('grid-mode').value] = value;
    fetch('/api/v1/grid-events', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    })
      .then(function (response) {
        if (!response.ok) { return errorText(response).then(showGridError); }
        showGridError(null);
        return live ? null : refreshGrid();
      })
      .catch(function (e) { showGridError('Cannot reach the controller API (' + e.message + ').'); });
  }

  function cancelEvent() {
    if (activeEvent === null) { return; }
    fetch('/api/v1/grid-events/' + encodeURIComponent(activeEvent.id), {
      method: 'DELETE',
      headers: { 'Content-Type': 'application/json' }
    })
      .then(function (response) {
        if (!response.ok) { return errorText(response).then(showGridError); }
        showGridError(null);
        return live ? null : refreshGrid();
      })
      .catch(function (e) { showGridError('Cannot reach the controller API (' + e.message + ').'); });
  }

  // --- editing the active event (PATCH /api/v1/grid-events/{id}) ---

  /** "2026-12-01T10:00:00Z" as a datetime-local input's value, in the browser's zone, to the second. */
  function localInput(iso) {
    var d = new Date(Date.parse(iso));
    function two(n) { return String(n).padStart(2, '0'); }
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + 'T' +
      two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }

  /** The form's values when it opened, to send only what the operator changed (a JSON merge patch). */
  var editing = null;
  var editedFrom = null;

  function openEdit() {
    if (activeEvent === null) { return; }
    var e = activeEvent;
    var r = e.requested || {};
    var mode = ['target_kw', 'reduce_kw', 'reduce_percent'].filter(function (m) {
      return r[m] !== undefined && r[m] !== null;
    })[0] || 'target_kw';
    editing = e.id;
    editedFrom = { mode: mode, value: String(r[mode]), end: localInput(e.end), ramp: String(e.ramp_seconds) };
    document.getElementById('grid-edit-mode').value = mode;
    document.getElementById('grid-edit-value').value = editedFrom.value;
    document.getElementById('grid-edit-end').value = editedFrom.end;
    document.getElementById('grid-edit-ramp').value = editedFrom.ramp;
    // As the inputs hold them (a datetime-local drops ":00" seconds), so that an untouched field is not sent.
    editedFrom.value = document.getElementById('grid-edit-value').value;
    editedFrom.end = document.getElementById('grid-edit-end').value;
    document.getElementById('grid-edit-status').textContent = '';
    document.getElementById('grid-edit-form').hidden = false;
    document.getElementById('grid-edit-value').focus();
  }

  function closeEdit() {
    editing = null;
    document.getElementById('grid-edit-form').hidden = true;
  }

  function problemsText(response) {
    return response.json().then(function (body) {
      var problems = body.problems || [];
      return problems.length > 1 ? problems.join('; ') : (body.error || ('HTTP ' + response.status));
    }, function () { return 'HTTP ' + response.status; });
  }

  function saveEdit(event) {
    event.preventDefault();
    if (editing === null) { return; }
    var mode = document.getElementById('grid-edit-mode').value;
    var value = document.getElementById('grid-edit-value').value;
    var end = document.getElementById('grid-edit-end').value;
    var ramp = document.getElementById('grid-edit-ramp').value;
    var patch = {};
    if (mode !== editedFrom.mode || value !== editedFrom.value) { patch[mode] = Number(value); }
    if (end !== editedFrom.end) { patch.end = new Date(end).toISOString(); }
    if (ramp !== editedFrom.ramp) { patch.ramp_seconds = Number(ramp); }
    var status = document.getElementById('grid-edit-status');
    if (Object.keys(patch).length === 0) {
      status.textContent = 'Nothing to save: no value differs from the event\'s.';
      return;
    }
    fetch('/api/v1/grid-events/' + encodeURIComponent(editing), {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(patch)
    })
      .then(function (response) {
        if (!response.ok) {
          return problemsText(response).then(function (text) {
            status.textContent = '';
            showGridError('Not saved: ' + text);
          });
        }
        return response.json().then(function (saved) {
          showGridError(null);
          closeEdit();
          status.textContent = 'Saved: grid event ' + (saved.reference || saved.id) + ' is at revision ' + saved.revision +
            ', target ' + (saved.target_kw === null ? 'not known yet' : kw(saved.target_kw) + ' kW') +
            ', deadline ' + clock(saved.deadline) + ', ends ' + clock(saved.end) + '.';
          return live ? null : refreshGrid();
        });
      })
      .catch(function (e) { showGridError('Cannot reach the controller API (' + e.message + ').'); });
  }

  function refreshGrid() {
    return fetchJson('/api/v1/grid-events').then(unlessStreamed(renderGrid));
  }

  /** render, for a poll begun now: skipped when the stream has rendered since, which is newer. */
  function unlessStreamed(render) {
    var before = streamedRenders;
    return function (result) {
      if (streamedRenders === before) { render(result); }
    };
  }

  // --- decisions ---

  function actionText(d) {
    var text = d.action;
    if (d.value_w !== undefined && d.value_w !== null) { text += ' ' + Math.round(d.value_w) + ' W'; }
    if (d.target_device) { text += ' (outlet ' + d.instance + ' of ' + d.target_device + ')'; }
    return text;
  }

  /** "pdu pdu-1 at 6.02/5.03 kW", and the kind of limit unless it is the node's breaker. */
  function constraintText(c) {
    if (!c) { return ''; }
    var text = c.kind + ' ' + c.node + ' at ' + kw(c.load_kw) + '/' + kw(c.limit_kw) + ' kW';
    return c.limit && c.limit !== 'breaker' ? text + ' (' + c.limit + ')' : text;
  }

  function outcome(d) {
    if (d.dispatched) { return 'sent'; }
    return d.refusal ? 'refused: ' + d.refusal : 'not sent';
  }

  function renderDecisions(result) {
    var table = document.getElementById('decisions');
    var none = document.getElementById('decisions-none');
    var decisions = result.missing ? [] : result.body.slice(0, DECISIONS);
    var rows = document.createDocumentFragment();
    decisions.forEach(function (d) {
      var tr = element('tr', null, d.dispatched ? 'sent' : 'refused');
      tr.dataset.device = d.device;
      tr.dataset.at = d.at;
      var time = cell(tr, clock(d.at), 'num');
      time.title = d.at;
      cell(tr, d.device);
      cell(tr, actionText(d) + (d.restore ? ' (restore)' : ''));
      cell(tr, constraintText(d.constraint));
      cell(tr, d.reason + (d.event ? (d.event.indexOf('rsv-') === 0 ? ' · reservation ' : ' · grid event ') + d.event : ''));
      var out = cell(tr, outcome(d));
      if (d.command_id) { out.title = 'command ' + d.command_id; }
      rows.appendChild(tr);
    });
    table.querySelector('tbody').replaceChildren(rows);
    table.hidden = decisions.length === 0;
    none.textContent = result.missing
      ? 'No control engine: it runs when controller.yaml names a site model.'
      : 'No decisions yet: every node is within its limits.';
    none.hidden = decisions.length > 0;
  }

  /** One poll of all three sections; each fails on its own, and the promise never rejects. */
  function refresh() {
    var site = fetchJson('/api/v1/site?devices=count').then(unlessStreamed(renderSite));
    // After the site: its snapshot sets the clock the grid event's countdown uses.
    var grid = site.catch(function () {}).then(refreshGrid);
    var decisions = fetchJson('/api/v1/decisions?limit=' + DECISIONS).then(unlessStreamed(renderDecisions));
    return Promise.allSettled([site, grid, decisions]);
  }

  /**
   * One event of the device stream: its data is what the endpoint answers (GET /api/v1/site?devices=count, /api/v1/grid-events,
   * /api/v1/decisions?limit=20), or that endpoint's 404 body ({"error": …}) when the controller has no site model.
   */
  function streamed(name, data) {
    var result = data !== null && !Array.isArray(data) && data.error !== undefined ? { missing: true } : { body: data };
    streamedRenders++;
    live = true;
    if (name === 'site') { renderSite(result); }
    if (name === 'grid-events') { renderGrid(result); }
    if (name === 'decisions') { renderDecisions(result); }
  }

  /** Between the stream's events: the grid event's countdowns move on, nothing is fetched. */
  function tick() {
    if (lastGrid !== null) { renderGrid(lastGrid); }
  }

  /** Whether the stream is live (app.js says when it goes down). */
  function setLive(on) { live = on; }

  function setRole(role) {
    canWrite = role === 'operator' || role === 'admin';
    if (!canWrite) { document.getElementById('grid-form').hidden = true; }
    document.getElementById('grid-cancel').hidden = !canWrite;
    document.getElementById('grid-edit').hidden = !canWrite;
    if (!canWrite) { closeEdit(); }
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('grid-form').addEventListener('submit', startEvent);
    document.getElementById('grid-cancel').addEventListener('click', cancelEvent);
    document.getElementById('grid-edit').addEventListener('click', openEdit);
    document.getElementById('grid-edit-close').addEventListener('click', closeEdit);
    document.getElementById('grid-edit-form').addEventListener('submit', saveEdit);
  });

  window.HeadroomSite = { refresh: refresh, streamed: streamed, tick: tick, setLive: setLive, setRole: setRole };
}());
