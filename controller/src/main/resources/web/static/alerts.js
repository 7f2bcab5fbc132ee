// Active alerts: the controller's own evaluation of the shipped Prometheus rules (GET /api/v1/alerts,
// docs/alerts.md). They come live over the device stream (app.js hands each alerts event, the same JSON, to
// HeadroomAlerts.streamed); only while the stream is down does app.js call HeadroomAlerts.refresh(), which
// fetches them. Severity is said in words and shown in colour; every API-supplied string goes in through
// textContent, never innerHTML.
(function () {
  'use strict';
  // Counts the stream's renders: a poll that began before one of them is older than what is shown.
  var streamedRenders = 0;

  function element(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (className) { e.className = className; }
    return e;
  }

  /** "12 min" / "3 h 05 min" since an ISO instant, on the controller's evaluation clock. */
  function since(iso, nowIso) {
    var t = Date.parse(iso);
    var now = Date.parse(nowIso);
    if (isNaN(t) || isNaN(now)) { return '—'; }
    var minutes = Math.max(0, Math.floor((now - t) / 60000));
    if (minutes < 60) { return minutes + ' min'; }
    return Math.floor(minutes / 60) + ' h ' + String(minutes % 60).padStart(2, '0') + ' min';
  }

  function render(body) {
    var status = document.getElementById('alerts-status');
    var table = document.getElementById('alerts');
    var tbody = table.querySelector('tbody');
    var firing = body.firing || [];
    var critical = firing.filter(function (a) { return a.severity === 'critical'; }).length;
    if (body.evaluatedAt === null) {
      status.textContent = 'Alerts not evaluated yet.';
    } else if (firing.length === 0) {
      status.textContent = 'No alerts firing' + (body.pending ? ' (' + body.pending + ' pending).' : '.');
    } else {
      status.textContent = firing.length + (firing.length === 1 ? ' alert' : ' alerts') + ' firing (' +
        critical + ' critical)' + (body.pending ? ', ' + body.pending + ' pending.' : '.');
    }
    status.className = critical > 0 ? 'alerts-status alerts-critical' : 'alerts-status';
    tbody.textContent = '';
    firing.forEach(function (a) {
      var row = element('tr', null, 'alert-' + a.severity);
      var severity = element('td');
      severity.appendChild(element('span', a.severity, 'severity severity-' + a.severity));
      row.appendChild(severity);
      row.appendChild(element('td', a.alert));
      row.appendChild(element('td', a.subject));
      row.appendChild(element('td', a.summary));
      var held = element('td', since(a.since, body.evaluatedAt), 'num');
      held.title = 'since ' + a.since;
      row.appendChild(held);
      tbody.appendChild(row);
    });
    table.hidden = firing.length === 0;
  }

  /** One poll; the promise never rejects (a failure is said in the section). */
  function refresh() {
    var before = streamedRenders;
    return fetch('/api/v1/alerts', { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (body) {
        if (streamedRenders === before) { render(body); }
      })
      .catch(function (e) {
        if (streamedRenders !== before) { return; }
        document.getElementById('alerts-status').textContent =
          'Cannot read the alerts (' + e.message + '); the list below may be out of date.';
      });
  }

  /** The device stream's alerts event: what GET /api/v1/alerts answers, sent at each evaluation that changed it. */
  function streamed(body) {
    streamedRenders++;
    render(body);
  }

  window.HeadroomAlerts = { refresh: refresh, streamed: streamed };
}());
