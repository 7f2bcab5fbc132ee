// Live updates for the device table (table.js), the summary and the power section, and the device stream's
// events for the site view (site.js) and the alerts (alerts.js). Every device-supplied string goes in through
// textContent, never innerHTML.
(function () {
  'use strict';
  var REFRESH_MS = 2000;
  var STATUSES = ['ONLINE', 'DEGRADED', 'OFFLINE', 'STALE'];
  // Devices that meter other devices; adding their power would count the same watts twice.
  var METERING_KINDS = { pdu: true, meter: true, ups: true };

  function metricValue(device, key) {
    var m = device.metrics && device.metrics[key];
    return m ? m.value : null;
  }

  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  // PDUs, meters and UPSes with their headline readings: what the racks draw, and which outlets are live.
  function renderPower(devices) {
    var rows = document.createDocumentFragment();
    var shown = 0;
    devices.forEach(function (d) {
      if (!METERING_KINDS[d.kind]) { return; }
      shown++;
      var on = 0;
      var off = 0;
      Object.keys(d.metrics || {}).forEach(function (key) {
        if (key.indexOf('outlet.state[') === 0) {
          if (d.metrics[key].value === 1) { on++; } else { off++; }
        }
      });
      var power = metricValue(d, 'power');
      var tr = document.createElement('tr');
      if (d.status === 'STALE') { tr.className = 'stale'; }
      cell(tr, d.id);
      cell(tr, d.agent);
      cell(tr, d.kind);
      var badge = document.createElement('span');
      badge.className = 'status status-' + (STATUSES.indexOf(d.status) >= 0 ? d.status : 'STALE');
      badge.textContent = d.status;
      cell(tr, '').appendChild(badge);
      cell(tr, power === null ? '—' : (power / 1000).toFixed(2), 'num');
      cell(tr, on + off > 0 ? String(on) : '—', 'num');
      cell(tr, on + off > 0 ? String(off) : '—', 'num');
      rows.appendChild(tr);
    });
    document.querySelector('#power-devices tbody').replaceChildren(rows);
    document.getElementById('power-section').hidden = shown === 0;
  }

  /**
   * The summary line and the power section; the device table itself is table.js, fed the same devices. Runs over
   * every device once per update (sums, no DOM per device), so it stays cheap at 100,000.
   */
  function render(devices) {
    var counts = {};
    STATUSES.forEach(function (s) { counts[s] = 0; });
    var powerW = 0;
    var hashTh = 0;
    var metering = [];
    devices.forEach(function (d) {
      counts[d.status] = (counts[d.status] || 0) + 1;
      var power = metricValue(d, 'power');
      var hash = metricValue(d, 'hashrate');
      if (METERING_KINDS[d.kind]) {
        metering.push(d);
      } else if (power !== null) {
        powerW += power;
      }
      if (hash !== null) { hashTh += hash; }
    });
    metering.sort(function (a, b) { return a.id < b.id ? -1 : a.id > b.id ? 1 : 0; });
    renderPower(metering);
    var hashText = hashTh >= 1000 ? (hashTh / 1000).toFixed(2) + ' PH/s' : hashTh.toFixed(1) + ' TH/s';
    document.getElementById('summary').textContent =
        devices.length + ' devices: ' +
        STATUSES.map(function (s) { return counts[s] + ' ' + s.toLowerCase(); }).join(', ') +
        ' · device power ' + (powerW / 1000).toFixed(1) + ' kW · hashrate ' + hashText;
  }

  function showBanner(text) {
    var banner = document.getElementById('banner');
    banner.textContent = text;
    banner.hidden = text === null;
  }

  // Signing in: the API answers 401 until the session cookie (HttpOnly, set by POST
  // /api/v1/session) comes with each request; the page never sees the token itself.
  var refreshTimer = null;

  // The device table is kept live by the controller's device stream (GET /api/v1/stream, server-sent
  // events): a snapshot, then only the devices that changed. The same stream carries the site view's
  // site tree, grid events and decisions, and the alerts, each whenever it changed. Without it (an old
  // browser, the stream refused at its limit, the connection lost) the table falls back to polling
  // /api/v1/devices, and the site view and the alerts to polling their endpoints.
  var stream = null;
  var streamLive = false;
  /**
   * Refreshes left before polling starts while a new stream has not sent its snapshot yet: at 100,000 devices a poll
   * answers the same 50 MB the snapshot does, so the page waits for the stream rather than loading it all twice.
   */
  var STREAM_GRACE = 30;
  var streamGrace = 0;
  var devicesById = null;
  /** The snapshot's parts seen so far while it loads: { seen, parts, total }; null once complete. */
  var snapshotParts = null;

  function renderStreamed() {
    render(Array.from(devicesById.values()));
  }

  /** Live or polling, on <main> for the stylesheet and the browser tests; site.js is told too. */
  function setLive(on) {
    streamLive = on;
    document.querySelector('main').dataset.stream = on ? 'live' : 'polling';
    window.HeadroomSite.setLive(on);
  }

  // The site view's events, each the JSON of its endpoint. The controller sends them after the snapshot; like the
  // device events they are dropped on a page without one (devicesById null), so nothing renders out of order.
  var SITE_EVENTS = ['site', 'grid-events', 'decisions'];

  function openStream() {
    if (stream !== null || typeof EventSource === 'undefined') { return; }
    stream = new EventSource('/api/v1/stream');
    streamGrace = STREAM_GRACE;
    // The snapshot comes in parts (a snapshot event, then snapshot-part events): each is one short task, so
    // the page stays responsive while 100,000 devices load, and the table is filtered and sorted once, at the last.
    stream.addEventListener('snapshot', function (event) {
      devicesById = new Map();
      var body = JSON.parse(event.data);
      body.devices.forEach(function (d) { devicesById.set(d.id, d); });
      setLive(true);
      showBanner(null);
      var parts = body.parts || 1;
      snapshotParts = parts > 1 ? { seen: 1, parts: parts, total: body.total } : null;
      window.HeadroomTable.replaceAll(body.devices, snapshotParts !== null ? body.total : undefined);
      if (snapshotParts === null) { renderStreamed(); }
    });
    stream.addEventListener('snapshot-part', function (event) {
      if (devicesById === null || snapshotParts === null) { return; }
      var devices = JSON.parse(event.data).devices;
      devices.forEach(function (d) { devicesById.set(d.id, d); });
      snapshotParts.seen++;
      var complete = snapshotParts.seen >= snapshotParts.parts;
      window.HeadroomTable.loading(devices, complete);
      if (complete) {
        snapshotParts = null;
        renderStreamed();
      }
    });
    stream.addEventListener('devices', function (event) {
      if (devicesById === null) { return; }
      var changed = JSON.parse(event.data).devices;
      changed.forEach(function (d) { devicesById.set(d.id, d); });
      window.HeadroomTable.patch(changed);
      renderStreamed();
    });
    stream.addEventListener('removed', function (event) {
      if (devicesById === null) { return; }
      var ids = JSON.parse(event.data).ids;
      ids.forEach(function (id) { devicesById.delete(id); });
      window.HeadroomTable.remove(ids);
      renderStreamed();
    });
    SITE_EVENTS.forEach(function (name) {
      stream.addEventListener(name, function (event) {
        if (devicesById === null) { return; }
        window.HeadroomSite.streamed(name, JSON.parse(event.data));
      });
    });
    stream.addEventListener('alerts', function (event) {
      if (devicesById === null) { return; }
      window.HeadroomAlerts.streamed(JSON.parse(event.data));
    });
    stream.addEventListener('market', function (event) {
      if (devicesById === null) { return; }
      window.HeadroomMarket.streamed(JSON.parse(event.data));
    });
    stream.addEventListener('reservations', function (event) {
      if (devicesById === null) { return; }
      window.HeadroomReservations.streamed(JSON.parse(event.data));
    });
    stream.addEventListener('error', function () {
      // The browser reconnects by itself (the stream's retry:) unless the answer was not a stream
      // (401, 503): then polling takes over until the next sign-in.
      setLive(false);
      streamGrace = 0;
      if (stream !== null && stream.readyState === EventSource.CLOSED) { stream = null; }
    });
  }

  function closeStream() {
    if (stream !== null) { stream.close(); }
    stream = null;
    setLive(false);
    devicesById = null;
  }

  function showLogin(message) {
    if (refreshTimer !== null) { clearTimeout(refreshTimer); refreshTimer = null; }
    closeStream();
    window.HeadroomTable.replaceAll([]);
    document.getElementById('account').hidden = true;
    document.querySelector('main').hidden = true;
    document.getElementById('summary').textContent = 'Sign in to see the site.';
    showBanner(null);
    var error = document.getElementById('login-error');
    error.textContent = message || '';
    error.hidden = !message;
    document.getElementById('login').hidden = false;
    document.getElementById('login-name').focus();
  }

  function showAccount(session) {
    document.getElementById('login').hidden = true;
    document.querySelector('main').hidden = false;
    document.getElementById('account-name').textContent = session.name;
    document.getElementById('account-role').textContent = session.role;
    window.HeadroomSite.setRole(session.role);
    window.HeadroomReservations.setRole(session.role);
    window.HeadroomActions.setRole(session.role);
    window.HeadroomDevice.setRole(session.role);
    document.getElementById('account').hidden = false;
  }

  function errorText(response) {
    return response.json()
      .then(function (body) { return body.error || ('HTTP ' + response.status); },
            function () { return 'HTTP ' + response.status; });
  }

  function signIn(event) {
    event.preventDefault();
    var password = document.getElementById('login-password');
    fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: document.getElementById('login-name').value, password: password.value })
    })
      .then(function (response) {
        password.value = '';
        if (!response.ok) { return errorText(response).then(function (text) { showLogin(text); }); }
        return response.json().then(function (session) {
          showAccount(session);
          refresh();
        });
      })
      .catch(function (e) { showLogin('Cannot reach the controller API (' + e.message + ').'); });
  }

  function signOut() {
    fetch('/api/v1/session', { method: 'DELETE', headers: { 'Content-Type': 'application/json' } })
      .finally(function () { showLogin(null); });
  }

  function refresh() {
    refreshTimer = null;
    // While the stream is live it brings the site view, the alerts, the market and the reservations; else they
    // poll their own endpoints alongside the device table (a 401 there shows here as well).
    if (streamLive) {
      window.HeadroomSite.tick();
    } else {
      window.HeadroomSite.refresh();
      window.HeadroomAlerts.refresh();
      window.HeadroomReservations.refresh();
      window.HeadroomMarket.refresh();
    }
    openStream();
    if (streamLive || streamGrace > 0) {
      if (!streamLive) { streamGrace--; }
      refreshTimer = setTimeout(refresh, REFRESH_MS);
      return;
    }
    fetch('/api/v1/devices', { cache: 'no-store' })
      .then(function (response) {
        if (response.status === 401) { return null; }
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (devices) {
        if (devices === null) {
          showLogin('Your session has ended; sign in again.');
          return;
        }
        showBanner(null);
        if (!streamLive) {
          window.HeadroomTable.replaceAll(devices);
          render(devices);
        }
        refreshTimer = setTimeout(refresh, REFRESH_MS);
      })
      .catch(function (e) {
        showBanner('Cannot reach the controller API (' + e.message + '); the values below may be out of date.');
        refreshTimer = setTimeout(refresh, REFRESH_MS);
      });
  }

  function start() {
    fetch('/api/v1/session', { cache: 'no-store' })
      .then(function (response) {
        if (response.status === 401) { showLogin(null); return; }
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json().then(function (session) {
          showAccount(session);
          refresh();
        });
      })
      .catch(function (e) {
        showBanner('Cannot reach the controller API (' + e.message + ').');
        setTimeout(start, REFRESH_MS);
      });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('login').addEventListener('submit', signIn);
    document.getElementById('sign-out').addEventListener('click', signOut);
    start();
  });
}());
