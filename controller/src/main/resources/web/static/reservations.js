// Reservations: capacity the AI side asked for, per scope, with what is free against what was
// promised; operators ask for, edit (Edit…: kW, window, lead) and cancel them here. They come live over the device stream (app.js hands
// each reservations event to HeadroomReservations.streamed); refresh() polls only while the stream is down,
// and after a write of this page. app.js tells it the signed-in role. Every API-supplied string goes in
// through textContent.
(function () {
  'use strict';
  var OPEN = { scheduled: true, freeing: true, holding: true, short: true, restoring: true };
  /** Ended reservations shown under the open ones. */
  var RECENT_ENDED = 5;
  var canWrite = false;

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

  function kw(value) {
    if (value === null || value === undefined) { return '—'; }
    return Number(value).toFixed(Math.abs(value) < 10 ? 2 : 1);
  }

  function clock(iso) {
    var t = Date.parse(iso);
    return isNaN(t) ? '—' : new Date(t).toLocaleString([], { hour12: false });
  }

  function showError(text) {
    var error = document.getElementById('reservation-error');
    error.textContent = text || '';
    error.hidden = !text;
  }

  function errorText(response) {
    return response.json()
      .then(function (body) { return body.error || ('HTTP ' + response.status); },
            function () { return 'HTTP ' + response.status; });
  }

  function render(result) {
    var table = document.getElementById('reservations');
    var none = document.getElementById('reservations-none');
    document.getElementById('reservation-form').hidden = !canWrite || result.missing;
    if (result.missing) {
      table.hidden = true;
      none.textContent = 'No reservations: the controller has no site model.';
      none.hidden = false;
      return;
    }
    var all = result.body;
    var open = all.filter(function (r) { return OPEN[r.state]; });
    // A reservation that ended (or went) while its form was open can no longer be edited.
    if (editing !== null && !open.some(function (r) { return r.id === editing && r.state !== 'restoring'; })) {
      closeEdit();
    }
    var ended = all.filter(function (r) { return !OPEN[r.state]; }).slice(-RECENT_ENDED).reverse();
    var rows = document.createDocumentFragment();
    open.concat(ended).forEach(function (r) {
      var tr = element('tr', null, 'reservation state-' + r.state);
      tr.dataset.reservation = r.id;
      cell(tr, r.reference ? r.reference : r.id).title = r.id;
      var state = cell(tr, '');
      state.appendChild(element('span', r.state, 'event-state event-' + r.state));
      cell(tr, r.scope.kind + ' ' + r.scope.id);
      cell(tr, kw(r.kw) + ' kW', 'num');
      cell(tr, r.freed_kw === undefined ? '—' : kw(r.freed_kw) + ' kW' + (r.metered ? ' (metered)' : ' (estimated)'), 'num');
      cell(tr, clock(r.start));
      cell(tr, clock(r.end));
      cell(tr, r.note || '');
      var actions = cell(tr, '');
      if (canWrite && OPEN[r.state] && r.state !== 'restoring') {
        var edit = element('button', 'Edit…');
        edit.type = 'button';
        edit.className = 'reservation-edit';
        edit.setAttribute('aria-label', 'Edit reservation ' + (r.reference || r.id));
        edit.addEventListener('click', function () { openEdit(r); });
        actions.appendChild(edit);
        var button = element('button', 'Cancel');
        button.type = 'button';
        button.setAttribute('aria-label', 'Cancel reservation ' + (r.reference || r.id));
        button.addEventListener('click', function () { cancel(r.id); });
        actions.appendChild(button);
      }
      rows.appendChild(tr);
    });
    table.querySelector('tbody').replaceChildren(rows);
    table.hidden = open.length + ended.length === 0;
    none.textContent = 'No reservations.';
    none.hidden = open.length + ended.length > 0;
  }

  /** A reservations event of the device stream: what GET /api/v1/reservations answers (its 404 body without a site model). */
  function streamed(data) {
    if (data !== null && !Array.isArray(data) && data.error !== undefined) {
      render({ missing: true });
    } else {
      render({ body: data });
    }
  }

  function refresh() {
    return fetch('/api/v1/reservations', { cache: 'no-store' })
      .then(function (response) {
        if (response.status === 404) { return { missing: true }; }
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json().then(function (body) { return { body: body }; });
      })
      .then(render)
      .catch(function (e) { showError('Cannot read reservations (' + e.message + ').'); });
  }

  // Writes go like every other write of the page: same origin, JSON body, the session cookie.
  function submit(event) {
    event.preventDefault();
    var startIn = Number(document.getElementById('reservation-start').value);
    var minutes = Number(document.getElementById('reservation-duration').value);
    var start = Date.now() + startIn * 60000;
    var body = {
      kw: Number(document.getElementById('reservation-kw').value),
      scope: {
        kind: document.getElementById('reservation-kind').value,
        id: document.getElementById('reservation-scope').value.trim()
      },
      start: new Date(start).toISOString(),
      end: new Date(start + minutes * 60000).toISOString(),
      lead_seconds: Number(document.getElementById('reservation-lead').value)
    };
    fetch('/api/v1/reservations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    })
      .then(function (response) {
        if (!response.ok) { return errorText(response).then(showError); }
        showError(null);
        return refresh();
      })
      .catch(function (e) { showError('Cannot reach the controller API (' + e.message + ').'); });
  }

  function cancel(id) {
    fetch('/api/v1/reservations/' + encodeURIComponent(id), {
      method: 'DELETE',
      headers: { 'Content-Type': 'application/json' }
    })
      .then(function (response) {
        if (!response.ok) { return errorText(response).then(showError); }
        showError(null);
        return refresh();
      })
      .catch(function (e) { showError('Cannot reach the controller API (' + e.message + ').'); });
  }

  // --- editing one reservation (PATCH /api/v1/reservations/{id}) ---

  /** The reservation the form edits, and its values as the inputs held them when it opened. */
  var editing = null;
  var editedFrom = null;

  function localInput(iso) {
    var d = new Date(Date.parse(iso));
    function two(n) { return String(n).padStart(2, '0'); }
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + 'T' +
      two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }

  var EDIT_FIELDS = ['kw', 'start', 'end', 'lead'];

  function input(field) { return document.getElementById('reservation-edit-' + field); }

  function openEdit(r) {
    editing = r.id;
    input('kw').value = String(r.kw);
    input('start').value = localInput(r.start);
    input('end').value = localInput(r.end);
    input('lead').value = String(r.lead_seconds);
    // Once the engine frees the capacity, the start and lead are fixed (the API answers 409): say so up front.
    var scheduled = r.state === 'scheduled';
    input('start').disabled = !scheduled;
    input('lead').disabled = !scheduled;
    editedFrom = {};
    EDIT_FIELDS.forEach(function (f) { editedFrom[f] = input(f).value; });
    document.getElementById('reservation-edit-title').textContent = 'Edit reservation ' + (r.reference || r.id) +
      ' (' + r.scope.kind + ' ' + r.scope.id + ')' + (scheduled ? '' : '; its start and lead are fixed now that it is ' + r.state);
    document.getElementById('reservation-edit-status').textContent = '';
    document.getElementById('reservation-edit-form').hidden = false;
    input('kw').focus();
  }

  function closeEdit() {
    editing = null;
    document.getElementById('reservation-edit-form').hidden = true;
  }

  function saveEdit(event) {
    event.preventDefault();
    if (editing === null) { return; }
    var patch = {};
    if (input('kw').value !== editedFrom.kw) { patch.kw = Number(input('kw').value); }
    if (input('start').value !== editedFrom.start) { patch.start = new Date(input('start').value).toISOString(); }
    if (input('end').value !== editedFrom.end) { patch.end = new Date(input('end').value).toISOString(); }
    if (input('lead').value !== editedFrom.lead) { patch.lead_seconds = Number(input('lead').value); }
    var status = document.getElementById('reservation-edit-status');
    if (Object.keys(patch).length === 0) {
      status.textContent = 'Nothing to save: no value differs from the reservation\'s.';
      return;
    }
    fetch('/api/v1/reservations/' + encodeURIComponent(editing), {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(patch)
    })
      .then(function (response) {
        if (!response.ok) {
          return response.json().then(function (body) {
            var problems = body.problems || [];
            return problems.length > 1 ? problems.join('; ') : (body.error || ('HTTP ' + response.status));
          }, function () { return 'HTTP ' + response.status; }).then(function (text) {
            status.textContent = '';
            showError('Not saved: ' + text);
          });
        }
        return response.json().then(function (saved) {
          showError(null);
          closeEdit();
          status.textContent = 'Saved: reservation ' + (saved.reference || saved.id) + ' holds ' + kw(saved.kw) +
            ' kW from ' + clock(saved.start) + ' to ' + clock(saved.end) + ' (' + saved.state + ').';
          return refresh();
        });
      })
      .catch(function (e) { showError('Cannot reach the controller API (' + e.message + ').'); });
  }

  function setRole(role) {
    canWrite = role === 'operator' || role === 'admin';
    if (!canWrite) {
      document.getElementById('reservation-form').hidden = true;
      closeEdit();
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('reservation-form').addEventListener('submit', submit);
    document.getElementById('reservation-edit-form').addEventListener('submit', saveEdit);
    document.getElementById('reservation-edit-close').addEventListener('click', closeEdit);
  });

  window.HeadroomReservations = { refresh: refresh, streamed: streamed, setRole: setRole };
}());
