// The device page (#/device/<id>): every metric with unit and quality, a chart of the last hour or day
// from GET /api/v1/devices/{id}/history (an inline SVG drawn by device-chart.js, no library), status with its reason,
// its triage flags with their reasons, its status timeline from GET /api/v1/devices/{id}/timeline, the device's
// commands and the engine's decisions about it, its capabilities and profile (docs/ui.md). A device in conflict
// shows who claims it; release.js draws that fact and an admin's Release button.
// While shown the page holds the device's stream (GET /api/v1/stream/device/{id}, server-sent events: each part as
// its route's JSON, then only the parts that changed, and when a history bucket closed); without EventSource, or
// while the stream is down, it polls those routes every 10 s. The page's section says which: data-stream.
// Every API-supplied string goes in through textContent, never innerHTML.
(function () {
  'use strict';
  var REFRESH_MS = 10000;
  var SVG = 'http://www.w3.org/2000/svg';
  var RANGES = [{ id: '1h', label: 'Last hour' }, { id: '1d', label: 'Last day' }];
  /** After a device's release its id is unknown until a claimant's fresh Birth: look again this often, so many times. */
  var RELEASED_POLL_MS = 1000;
  var RELEASED_POLLS = 30;
  var state = { id: null, metric: null, range: '1h', timer: null, generation: 0, device: null, released: null,
    stream: null, live: false, charted: null };

  function element(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (className) { e.className = className; }
    return e;
  }

  function svg(tag, attributes) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (k) { e.setAttribute(k, attributes[k]); });
    return e;
  }

  function page() { return document.getElementById('device-page'); }

  function part(id) { return document.getElementById(id); }

  function number(value) {
    if (value === null || value === undefined) { return '—'; }
    var abs = Math.abs(value);
    return abs >= 1000 || value === Math.round(value) ? String(Math.round(value * 10) / 10)
      : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  }

  function time(iso) {
    var t = new Date(iso);
    return isNaN(t) ? iso : t.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/:00Z$/, 'Z');
  }

  function fail(response) {
    return response.json().then(function (body) { return body.error || ('HTTP ' + response.status); },
      function () { return 'HTTP ' + response.status; })
      .then(function (text) { var e = new Error(text); e.status = response.status; throw e; });
  }

  function getJson(url) {
    return fetch(url, { cache: 'no-store' }).then(function (r) { return r.ok ? r.json() : fail(r); });
  }

  /** Builds the page's fixed parts once; the refreshes only fill them. */
  function skeleton(id) {
    var root = page();
    root.replaceChildren();
    var back = element('a', '← All devices');
    back.href = '#/';
    root.appendChild(element('p')).appendChild(back);
    var heading = element('h2', 'Device ' + id);
    heading.id = 'device-heading';
    heading.tabIndex = -1;
    root.appendChild(heading);
    var status = element('p', 'Loading…');
    status.id = 'device-status';
    status.setAttribute('role', 'status');
    root.appendChild(status);
    // What came of an admin's release (release.js); kept across the refreshes, outside the body a 404 hides.
    var released = element('p');
    released.id = 'device-release-result';
    released.setAttribute('role', 'status');
    released.setAttribute('aria-live', 'polite');
    released.hidden = true;
    root.appendChild(released);
    var error = element('p', null, 'form-error');
    error.id = 'device-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    root.appendChild(error);
    var body = element('div');
    body.id = 'device-body';
    body.hidden = true;
    root.appendChild(body);

    var facts = element('dl', null, 'facts');
    facts.id = 'device-facts';
    body.appendChild(facts);
    body.appendChild(window.HeadroomDeviceActions.section());

    body.appendChild(element('h3', 'History'));
    var controls = element('div', null, 'chart-controls');
    var label = element('label', 'Metric ');
    var select = element('select');
    select.id = 'device-metric';
    select.addEventListener('change', function () { state.metric = select.value; loadChart(); });
    label.appendChild(select);
    controls.appendChild(label);
    var group = element('span', null, 'range-buttons');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Time range');
    RANGES.forEach(function (r) {
      var b = element('button', r.label);
      b.type = 'button';
      b.id = 'device-range-' + r.id;
      b.addEventListener('click', function () { state.range = r.id; loadChart(); });
      group.appendChild(b);
    });
    controls.appendChild(group);
    body.appendChild(controls);
    var chartStatus = element('p', null, 'empty');
    chartStatus.id = 'device-chart-status';
    chartStatus.setAttribute('aria-live', 'polite');
    body.appendChild(chartStatus);
    var chart = svg('svg', { id: 'device-chart', viewBox: '0 0 720 240', role: 'img', 'class': 'chart' });
    body.appendChild(chart);
    var details = element('details');
    details.appendChild(element('summary', 'Chart points as a table'));
    var table = element('table');
    table.id = 'device-chart-points';
    var head = table.createTHead().insertRow();
    ['Bucket start (UTC)', 'Mean', 'Max'].forEach(function (t) { head.appendChild(element('th', t)); });
    table.createTBody();
    details.appendChild(table);
    body.appendChild(details);

    body.appendChild(element('h3', 'Status timeline'));
    body.appendChild(emptyLine('device-timeline-none'));
    body.appendChild(table4('device-timeline', ['Since (UTC)', 'Status', 'Reason', 'Message']));
    body.appendChild(element('h3', 'Metrics'));
    body.appendChild(table4('device-metrics', ['Metric', 'Value', 'Unit', 'Quality', 'Sampled (UTC)']));
    body.appendChild(element('h3', 'Capabilities'));
    body.appendChild(table4('device-capabilities', ['Command', 'Range', 'Instances', 'Settles in']));
    body.appendChild(element('h3', 'Commands'));
    body.appendChild(emptyLine('device-commands-none'));
    body.appendChild(table4('device-commands', ['Issued (UTC)', 'Command', 'State', 'Read back', 'Message']));
    body.appendChild(element('h3', 'Decisions about this device'));
    body.appendChild(emptyLine('device-decisions-none'));
    body.appendChild(table4('device-decisions', ['Time (UTC)', 'Action', 'Reason', 'Outcome']));
    window.HeadroomRawReply.section(body, id);
  }

  function emptyLine(id) {
    var p = element('p', 'Loading…', 'empty');
    p.id = id;
    return p;
  }

  function table4(id, headings) {
    var table = element('table');
    table.id = id;
    var head = table.createTHead().insertRow();
    headings.forEach(function (t) { var th = element('th', t); th.scope = 'col'; head.appendChild(th); });
    table.createTBody();
    return table;
  }

  function row(tbody, cells) {
    var tr = tbody.insertRow();
    cells.forEach(function (c) { tr.appendChild(element('td', c)); });
    return tr;
  }

  function fact(dl, term, value) {
    dl.appendChild(element('dt', term));
    dl.appendChild(element('dd', value === '' || value === null || value === undefined ? '—' : value));
  }

  function renderDevice(d) {
    var status = part('device-status');
    var badge = element('span', d.status, 'status status-' + d.status);
    status.replaceChildren(badge);
    var why = [d.statusReason, d.statusMessage].filter(Boolean).join(': ');
    status.appendChild(document.createTextNode(
      (why ? ' — ' + why : '') + ' (since ' + time(d.statusSince) + ')'));
    state.device = d;
    var facts = part('device-facts');
    // The facts are drawn afresh on each refresh: a control in them that had the focus gets it back.
    var focused = facts.contains(document.activeElement) ? document.activeElement.id : '';
    facts.replaceChildren();
    fact(facts, 'Kind', d.kind);
    fact(facts, 'Model', d.model);
    fact(facts, 'Agent', d.agent);
    fact(facts, 'Profile', d.profile);
    fact(facts, 'Firmware', d.firmware);
    fact(facts, 'Nameplate power', d.nameplatePowerW > 0 ? number(d.nameplatePowerW) + ' W' : '');
    if (d.nameplateHashrateThs > 0) { fact(facts, 'Nameplate hashrate', number(d.nameplateHashrateThs) + ' TH/s'); }
    // Why a technician should look at it, in the controller's words (docs/http-api.md, "Triage flags").
    var flags = Object.keys(d.flags || {});
    facts.appendChild(element('dt', 'Flags'));
    var flagged = facts.appendChild(element('dd'));
    // Not 'device-flags': that is the device table's quick filters (table.js), in the same document.
    flagged.id = 'device-page-flags';
    if (flags.length === 0) { flagged.textContent = 'none'; }
    flags.forEach(function (f) {
      var line = flagged.appendChild(element('div'));
      line.appendChild(element('span', f, 'triage-flag triage-' + f));
      line.appendChild(document.createTextNode(' ' + d.flags[f]));
    });
    if (d.agentClockOffsetMs !== null && d.agentClockOffsetMs !== undefined) {
      fact(facts, 'Agent clock offset', d.agentClockOffsetMs + ' ms');
    }
    if (d.conflict) {
      facts.appendChild(element('dt', 'Claimed by'));
      var claimed = facts.appendChild(element('dd'));
      claimed.id = 'device-claimed';
      window.HeadroomRelease.fact(claimed, d);
    }
    // A miner's economics (the market's figures from its measured efficiency; docs/market.md): only with a
    // market configured and good power and hashrate readings.
    var e = d.economics;
    if (e) {
      fact(facts, 'Efficiency', number(e.j_per_th) + ' J/TH (' + e.efficiency_source + ')');
      fact(facts, 'Revenue', number(e.revenue_usd_per_kwh) + ' USD/kWh at ' + number(e.hashprice_usd_per_ph_day)
        + ' USD/PH/day');
      fact(facts, 'Break-even energy price', number(e.break_even_usd_per_mwh) + ' USD/MWh'
        + (e.energy_usd_per_mwh !== undefined ? ' (energy now ' + number(e.energy_usd_per_mwh) + ' USD/MWh)' : ''));
      if (e.struck !== undefined) { fact(facts, 'Market strike', e.struck ? 'struck: its model is curtailed' : 'mining'); }
    }
    if (focused && part(focused)) { part(focused).focus(); }

    var keys = Object.keys(d.metrics || {});
    var metrics = part('device-metrics').tBodies[0];
    metrics.replaceChildren();
    keys.forEach(function (k) {
      var m = d.metrics[k];
      row(metrics, [k, number(m.value), m.unit, m.quality, time(m.at)]).cells[1].className = 'num';
    });
    if (keys.length === 0) { row(metrics, ['No readings yet.', '', '', '', '']); }

    var select = part('device-metric');
    var options = Array.prototype.map.call(select.options, function (o) { return o.value; }).join('\n');
    if (options !== keys.join('\n')) {
      select.replaceChildren();
      keys.forEach(function (k) { select.appendChild(element('option', k + ' (' + d.metrics[k].unit + ')')).value = k; });
    }
    if (state.metric === null || keys.indexOf(state.metric) < 0) {
      state.metric = keys.indexOf('power') >= 0 ? 'power' : (keys[0] || null);
    }
    if (state.metric !== null) { select.value = state.metric; }

    var caps = part('device-capabilities').tBodies[0];
    caps.replaceChildren();
    (d.capabilities || []).forEach(function (c) {
      var range = c.min !== undefined ? number(c.min) + ' … ' + number(c.max) + (c.unit ? ' ' + c.unit : '') : '—';
      row(caps, [c.verb + (c.dangerous ? ' (dangerous)' : ''), range, (c.instances || []).join(', ') || '—',
        c.settleMs ? (c.settleMs / 1000) + ' s' : '—']);
    });
    if (!d.capabilities || d.capabilities.length === 0) { row(caps, ['Accepts no command (read only).', '', '', '']); }
    window.HeadroomDeviceActions.render(d);
  }

  /** The status timeline, newest first: when the device went OFFLINE, why, and when it came back. */
  function renderTimeline(t) {
    var changes = (t.changes || []).slice().reverse();
    var tbody = part('device-timeline').tBodies[0];
    tbody.replaceChildren();
    changes.forEach(function (c) {
      var tr = row(tbody, [time(c.at), '', c.reason || '—', c.message || '']);
      tr.cells[1].appendChild(element('span', c.status, 'status status-' + c.status));
    });
    part('device-timeline').hidden = changes.length === 0;
    var none = part('device-timeline-none');
    none.textContent = 'The last ' + t.capacity + ' changes of status or reason are kept; newest first.';
  }

  function renderCommands(commands) {
    var tbody = part('device-commands').tBodies[0];
    tbody.replaceChildren();
    commands.forEach(function (c) {
      var what = c.verb + (c.value !== null && c.value !== undefined ? ' ' + number(c.value) : '') +
        (c.instance ? ' (instance ' + c.instance + ')' : '');
      row(tbody, [time(c.issuedAt), what, c.state + (c.reason ? ' (' + c.reason + ')' : ''),
        c.readBack === null || c.readBack === undefined ? '—' : String(c.readBack), c.message || '']);
    });
    part('device-commands').hidden = commands.length === 0;
    var none = part('device-commands-none');
    none.textContent = 'No command sent to this device recently.';
    none.hidden = commands.length > 0;
  }

  function renderDecisions(all, id) {
    var mine = all.filter(function (d) { return d.device === id || d.target_device === id; });
    var tbody = part('device-decisions').tBodies[0];
    tbody.replaceChildren();
    mine.forEach(function (d) {
      var action = d.action + (d.value_w !== undefined && d.value_w !== null ? ' ' + Math.round(d.value_w) + ' W' : '');
      row(tbody, [time(d.at), action, d.reason || '', d.dispatched ? 'sent' : (d.refusal ? 'refused: ' + d.refusal : 'not sent')]);
    });
    part('device-decisions').hidden = mine.length === 0;
    var none = part('device-decisions-none');
    none.textContent = 'The control engine has made no recent decision about this device.';
    none.hidden = mine.length > 0;
  }

  function renderChart(h) {
    var label = RANGES.filter(function (r) { return r.id === h.range; })[0];
    RANGES.forEach(function (r) {
      part('device-range-' + r.id).setAttribute('aria-pressed', String(r.id === h.range));
    });
    window.HeadroomDeviceChart.render(h, label ? label.label.toLowerCase() : h.range,
      { number: number, time: time, row: row });
  }

  function loadChart() {
    var generation = state.generation;
    state.charted = state.metric + ' ' + state.range;
    if (state.metric === null) {
      part('device-chart-status').textContent = 'This device has no metric to chart yet.';
      part('device-chart').setAttribute('hidden', '');
      return Promise.resolve();
    }
    var url = '/api/v1/devices/' + encodeURIComponent(state.id) + '/history?metric=' +
      encodeURIComponent(state.metric) + '&range=' + state.range;
    return getJson(url).then(function (h) {
      if (generation === state.generation) { renderChart(h); }
    }, function (e) {
      if (generation === state.generation) {
        part('device-chart-status').textContent = 'Cannot read the history of ' + state.metric + ': ' + e.message;
        part('device-chart').setAttribute('hidden', '');
      }
    });
  }

  function refresh() {
    var generation = state.generation;
    var id = state.id;
    state.timer = null;
    var base = '/api/v1/devices/' + encodeURIComponent(id);
    var error = part('device-error');
    var next = REFRESH_MS;
    return getJson(base).then(function (d) {
      if (generation !== state.generation) { return; }
      showDevice(d);
      var work = [loadChart(),
        getJson(base + '/timeline').then(renderTimeline, function (e) {
          part('device-timeline-none').textContent = 'Cannot read the status timeline: ' + e.message;
        }),
        getJson('/api/v1/commands?device=' + encodeURIComponent(id)).then(renderCommands, function (e) {
          part('device-commands-none').textContent = 'Cannot read the commands: ' + e.message;
        }),
        getJson('/api/v1/decisions?limit=500').then(function (all) { renderDecisions(all, id); }, function (e) {
          part('device-decisions-none').textContent = e.status === 404
            ? 'No control engine: it runs when controller.yaml names a site model.'
            : 'Cannot read the decisions: ' + e.message;
          part('device-decisions').hidden = true;
        })];
      return Promise.allSettled(work);
    }, function (e) {
      if (generation !== state.generation) { return; }
      var released = e.status === 404 && state.released !== null && state.released.id === id ? state.released : null;
      if (released !== null && released.polls < RELEASED_POLLS) {
        released.polls++;
        next = RELEASED_POLL_MS;
      }
      showMissing(id, e);
    }).then(function () {
      // While the stream is live it brings every change: no timer.
      if (generation === state.generation && !state.live) { state.timer = setTimeout(refresh, next); }
    });
  }

  /** What GET /api/v1/devices/{id} answered (a poll, or the stream's device event): the page's body shown. */
  function showDevice(d) {
    state.released = null;
    part('device-error').hidden = true;
    part('device-body').hidden = false;
    renderDevice(d);
  }

  /** The device cannot be read: gone (404, or the stream's removed event), released, or another error; in words. */
  function showMissing(id, e) {
    var error = part('device-error');
    if (e.status === 404) { state.device = null; }
    part('device-status').textContent = '';
    var released = e.status === 404 && state.released !== null && state.released.id === id ? state.released : null;
    error.textContent = released !== null
      ? 'Device ' + id + ' was released from ' + released.from + '; it is back when ' + released.claimants.join(' or ')
        + ' sends the fresh Birth it was asked for.'
      : e.status === 404
      ? 'No device \u2018' + id + '\u2019 is known to this controller: check the id, or the agent that reports it has not sent its birth.'
      : 'Cannot read device ' + id + ': ' + e.message + '.';
    error.hidden = false;
    part('device-body').hidden = e.status === 404 ? true : part('device-body').hidden;
  }

  /** Live (the stream brings the changes) or polling (every 10 s), on the page's section for the stylesheet and tests. */
  function setLive(on) {
    state.live = on;
    page().dataset.stream = on ? 'live' : 'polling';
  }

  /**
   * Holds the device's stream (device-stream.js) instead of the timer: each event is the JSON of the route the poll
   * reads, drawn by the same functions. The chart is re-read when its metric or range changes and when the stream says
   * a bucket of its range closed, never on a timer. A stream that fails falls back to polling until it is back.
   */
  function openStream(id) {
    state.stream = window.HeadroomDeviceStream.open(id, {
      live: function () {
        // From polling to live: a poll under way is superseded, its answer is older than the stream's.
        state.generation++;
        if (state.timer !== null) { clearTimeout(state.timer); state.timer = null; }
        setLive(true);
      },
      device: function (d) {
        showDevice(d);
        if (state.charted !== state.metric + ' ' + state.range) { loadChart(); }
      },
      timeline: renderTimeline,
      commands: renderCommands,
      decisions: function (all) { renderDecisions(all, id); },
      removed: function () { showMissing(id, { status: 404 }); },
      bucketClosed: function (range) { if (range === state.range) { loadChart(); } },
      down: function (refused) {
        if (refused) { state.stream = null; }
        if (state.live) {
          setLive(false);
          state.charted = null;
        }
        // Polling until the stream is back: at once, unless a poll's timer already runs.
        if (state.timer === null) { reload(); }
      }
    });
  }

  /** Off the page (or to another device): the stream closed, and the section no longer says how it is kept. */
  function closeStream() {
    if (state.stream !== null) { state.stream.close(); }
    state.stream = null;
    state.live = false;
    delete page().dataset.stream;
    state.charted = null;
  }

  /** Shows the device page for the hash #/device/<id>, or the site page for any other hash. */
  function route() {
    var match = /^#\/device\/(.+)$/.exec(window.location.hash);
    state.generation++;
    if (state.timer !== null) { clearTimeout(state.timer); state.timer = null; }
    closeStream();
    if (!match) {
      document.body.classList.remove('device-view');
      page().hidden = true;
      state.id = null;
      return Promise.resolve();
    }
    var id;
    try { id = decodeURIComponent(match[1]); } catch (e) { id = match[1]; }
    if (id !== state.id) { state.metric = null; state.range = '1h'; state.released = null; }
    state.device = null;
    state.id = id;
    document.body.classList.add('device-view');
    page().hidden = false;
    skeleton(id);
    part('device-heading').focus();
    setLive(false);
    if (!window.HeadroomDeviceStream.supported()) { return refresh(); }
    openStream(id);
    return Promise.resolve();
  }

  /** Reads the device again now; a refresh still under way is superseded, so only one timer chain runs. */
  function reload() {
    if (state.id === null) { return Promise.resolve(); }
    state.generation++;
    if (state.timer !== null) { clearTimeout(state.timer); state.timer = null; }
    return refresh();
  }

  window.HeadroomDevice = {
    route: route,
    refresh: reload,
    /** The id of the device shown, or null on the site's page. */
    shown: function () { return state.id; },
    /** After a release: reloads, and looks again each second while the id waits for a claimant's Birth. */
    released: function (id, from, claimants) {
      if (id !== state.id) { return Promise.resolve(); }
      state.released = { id: id, from: from, claimants: claimants, polls: 0 };
      return reload();
    },
    /** The signed-in role decides what the conflict fact offers (release.js); redrawn at once. */
    setRole: function (role) {
      window.HeadroomRelease.setRole(role);
      window.HeadroomDeviceActions.setRole(role);
      window.HeadroomRawReply.setRole(role);
      if (state.device !== null && state.id !== null) { renderDevice(state.device); }
    }
  };
  window.addEventListener('hashchange', route);
  document.addEventListener('DOMContentLoaded', route);
}());
