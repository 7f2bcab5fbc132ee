// The confirmation of an operator's command (D45, D48, D57), shared by the device table's selection (actions.js)
// and the device page's Actions (device-actions.js): sleep, wake, a power target, locate on/off, and an outlet's
// on/off/cycle. The dialog asks the controller's dry-run (POST /api/v1/commands/dry-run) what the command would do
// before it is confirmed: how many devices it goes to and which are skipped and why, the power change (for an outlet,
// of the devices it feeds), the limits that move and what the control engine would do about it; a dangerous command
// (one that cuts power or restarts, as the device's capability says) is said to be one. When the dry-run fails the
// dialog says why and shows the page's own estimate from each device's capabilities. Confirmed: one POST per device
// to the command API, a few at a time, with progress, and each device's result in words as it reaches a final state.
// Operators and admins only (the API refuses a viewer's command too). Every API string goes in as text.
(function () {
  'use strict';
  var CONCURRENCY = 4;
  var SHOWN_RESULTS = 200;
  var POLL_MS = 1000;
  var POLL_LIMIT = 45;
  /** A miner asleep still runs its control board and fans; the page has no measured sleep power, so it guesses. */
  var SLEEP_FRACTION = 0.02;
  var VERBS = {
    sleep: { label: 'Sleep', what: function () { return 'Sleep'; } },
    wake: { label: 'Wake', what: function () { return 'Wake'; } },
    'set-power-target': { label: 'Set power target',
      what: function (p) { return 'Set a power target of ' + p.value + ' W on'; } },
    'locate-on': { label: 'Locate on', what: function () { return 'Turn the locate LED on for'; } },
    'locate-off': { label: 'Locate off', what: function () { return 'Turn the locate LED off for'; } },
    'outlet-on': { label: 'Outlet on', outlet: true,
      what: function (p) { return 'Switch on outlet ' + p.instance + ' of'; } },
    'outlet-off': { label: 'Outlet off', outlet: true,
      what: function (p) { return 'Switch off outlet ' + p.instance + ' of'; } },
    'outlet-cycle': { label: 'Outlet cycle', outlet: true,
      what: function (p) { return 'Power-cycle outlet ' + p.instance + ' of'; } }
  };
  var STATES = {
    DISPATCHED: 'sent to its agent',
    ACCEPTED: 'started by the agent',
    APPLIED: 'done, confirmed by read-back',
    FAILED: 'failed',
    REJECTED: 'refused by the agent',
    EXPIRED: 'no result in time'
  };
  var FINAL = { APPLIED: true, FAILED: true, REJECTED: true, EXPIRED: true };

  var canWrite = false;
  /** The plan the dialog shows, until it is confirmed or cancelled. */
  var pending = null;
  /** Per caller ('table', 'device'): true while its confirmed commands are being sent and followed. */
  var running = {};

  function part(id) { return document.getElementById(id); }

  function capability(device, verb) {
    var caps = Array.isArray(device.capabilities) ? device.capabilities : [];
    for (var i = 0; i < caps.length; i++) {
      if (caps[i] && caps[i].verb === verb) { return caps[i]; }
    }
    return null;
  }

  /** Why {@code device} cannot take this command, or null when it can (the controller's dry-run says it exactly). */
  function skipReason(device, verb, value, instance) {
    var cap = capability(device, verb);
    if (cap === null) { return 'does not support ' + verb; }
    if (verb === 'set-power-target') {
      if (typeof cap.min === 'number' && value < cap.min || typeof cap.max === 'number' && value > cap.max) {
        return 'accepts ' + cap.min + '..' + cap.max + ' W, not ' + value + ' W';
      }
      if (typeof cap.step === 'number' && cap.step > 0 && typeof cap.min === 'number') {
        var k = (value - cap.min) / cap.step;
        if (Math.abs(k - Math.round(k)) > 1e-9) {
          return 'moves in steps of ' + cap.step + ' W from ' + cap.min + ' W';
        }
      }
    }
    if (instance && (cap.instances || []).indexOf(instance) < 0) { return 'has no outlet ' + instance; }
    return null;
  }

  function asleep(device) {
    return device.metrics && device.metrics.mode && device.metrics.mode.value === 0;
  }

  /** The power a device is expected to draw after the command, W (an estimate); null when the page cannot say. */
  function expectedPower(row, verb, value) {
    var nameplate = typeof row.device.nameplatePowerW === 'number' ? row.device.nameplatePowerW : 0;
    var present = row.power === null ? 0 : row.power;
    if (verb === 'sleep') { return asleep(row.device) ? present : Math.min(present, SLEEP_FRACTION * nameplate); }
    if (verb === 'wake') { return asleep(row.device) ? nameplate : present; }
    if (verb === 'set-power-target') { return value; }
    return present;
  }

  function kw(watts) {
    return (watts / 1000).toFixed(1) + ' kW';
  }

  function signedKw(watts) {
    return (watts >= 0 ? '+' : '−') + kw(Math.abs(watts));
  }

  function isDangerous(p) {
    return p.go.some(function (row) {
      var cap = capability(row.device, p.verb);
      return cap !== null && cap.dangerous === true;
    });
  }

  function plan(request) {
    var go = [];
    var skipped = [];
    request.rows.forEach(function (row) {
      var why = skipReason(row.device, request.verb, request.value, request.instance);
      if (why === null) { go.push(row); } else { skipped.push({ row: row, why: why }); }
    });
    var p = { verb: request.verb, value: request.value, instance: request.instance || '', scope: request.scope,
      rows: request.rows, go: go, skipped: skipped, progress: request.progress, results: request.results,
      finished: request.finished || function () {} };
    estimate(p);
    return p;
  }

  function estimate(p) {
    p.present = 0;
    p.after = 0;
    p.unknown = 0;
    p.go.forEach(function (row) {
      if (row.power === null) { p.unknown++; }
      p.present += row.power === null ? 0 : row.power;
      p.after += expectedPower(row, p.verb, p.value);
    });
  }

  /**
   * Opens the confirmation of a command to {@code request.rows} ({id, device, power}), asking the dry-run first.
   * request: verb, value (watts or null), instance (the outlet, or ''), scope ('table' or 'device'), rows, progress
   * and results (where the outcome is said), finished (called when every command has its final state).
   */
  function ask(request) {
    if (!canWrite || running[request.scope]) { return false; }
    var p = plan(request);
    pending = p;
    showPlan(p, null);
    part('action-confirm').disabled = true;
    part('action-dry-run').textContent = 'Asking the controller what this would do…';
    part('action-limits').replaceChildren();
    part('action-engine').textContent = '';
    var dialog = part('action-dialog');
    dialog.setAttribute('aria-busy', 'true');
    if (typeof dialog.showModal === 'function') { dialog.showModal(); } else { dialog.setAttribute('open', ''); }
    part('action-cancel').focus();
    dryRun(p);
    return true;
  }

  /** "2 of the 3 selected devices" from the table; "1 device (pdu-1)" from a device's page. */
  function count(p) {
    if (p.scope !== 'device') { return p.go.length + ' of the ' + p.rows.length + ' selected devices'; }
    var id = p.rows[0].id;
    return p.go.length === 1 ? '1 device (' + id + ')' : p.go.length + ' devices (' + id + ' is skipped)';
  }

  /** The dialog's title, skipped devices, danger and power preview: from the server's answer, else the page's. */
  function showPlan(p, answer) {
    var verb = p.verb;
    part('action-title').textContent = VERBS[verb].what(p) + ' ' + count(p) + '?';
    var skipped = part('action-skipped');
    skipped.textContent = p.skipped.length === 0 ? 'None is skipped.'
      : p.skipped.length + ' will be skipped: ' + p.skipped.slice(0, 10).map(function (s) {
        return s.row.id + ' (' + s.why + ')';
      }).join(', ') + (p.skipped.length > 10 ? ', and ' + (p.skipped.length - 10) + ' more' : '') + '.';
    var danger = part('action-danger');
    var dangerous = isDangerous(p);
    danger.hidden = !dangerous;
    danger.textContent = dangerous ? 'Dangerous: ' + verb + (VERBS[verb].outlet
      ? ' cuts the power of what outlet ' + p.instance + ' feeds' + (verb === 'outlet-cycle' ? ' for a moment, and it restarts' : '')
      : ' cuts the power of the device or restarts it') + ' (its capability says so).' : '';
    part('action-confirm').textContent = dangerous ? 'Confirm ' + verb + ' (dangerous)' : 'Confirm';
    part('action-preview').textContent = answer === null ? ownEstimate(p) : serverEstimate(p, answer);
  }

  function ownEstimate(p) {
    if (VERBS[p.verb].outlet) {
      return 'Power after: not estimated for outlet commands (the page does not know what an outlet feeds).';
    }
    if (p.verb === 'locate-on' || p.verb === 'locate-off') {
      return 'No power change: locate only lights or clears the device\u2019s LED.';
    }
    return 'Estimate: the ' + p.go.length + ' draw ' + kw(p.present) + ' now'
      + (p.unknown > 0 ? ' (' + p.unknown + ' without a power reading)' : '')
      + '; expected after: ' + kw(p.after) + ' (' + signedKw(p.after - p.present) + ')' + (p.verb === 'sleep'
      ? ', taking a sleeping device at about ' + (SLEEP_FRACTION * 100) + ' % of its nameplate power.' : '.');
  }

  function serverEstimate(p, answer) {
    var t = answer.totals;
    var sent = answer.devices.filter(function (d) { return d.send; });
    if (VERBS[p.verb].outlet) {
      // The controller's words per PDU: what the outlet feeds and its power after, or why it is not estimated.
      var unknown = sent.filter(function (d) { return d.power_now_w === null; });
      var told = sent.length === 1 ? sent[0].basis
        : sent.slice(0, 3).map(function (d) { return d.device + ': ' + d.basis; }).join('; ')
          + (sent.length > 3 ? '; and ' + (sent.length - 3) + ' more' : '');
      if (sent.length > 0 && unknown.length === sent.length) { return 'Power after: ' + told + '.'; }
      return 'The controller expects what the outlet feeds to go from ' + kw(t.power_now_w) + ' to '
        + kw(t.power_after_w) + ' (' + signedKw(t.change_w) + '); ' + told + '.';
    }
    var estimated = sent.filter(function (d) { return d.estimate; });
    return 'The controller expects the ' + t.send + ' to go from ' + kw(t.power_now_w) + ' to '
      + kw(t.power_after_w) + ' (' + signedKw(t.change_w) + ')'
      + (estimated.length > 0 ? '; ' + estimated.length + ' of the figures are estimates (' + estimated[0].device
        + ': ' + estimated[0].basis + ').' : (p.verb === 'locate-on' || p.verb === 'locate-off'
        ? ': locate changes no power.' : '.'));
  }

  /** Asks the controller; its answer replaces the page's estimate, a failure is said in words. */
  function dryRun(p) {
    var body = { verb: p.verb, devices: p.rows.map(function (row) { return row.id; }) };
    if (p.verb === 'set-power-target') { body.value = p.value; }
    if (p.instance) { body.instance = p.instance; }
    fetch('/api/v1/commands/dry-run', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    })
      .then(function (response) {
        if (response.status === 413) {
          throw new Error('the selection is too large for one preview: the API takes a body of at most 2 MiB for a preview');
        }
        if (!response.ok) {
          return errorText(response).then(function (t) { throw new Error(t); });
        }
        return response.json();
      })
      .then(function (answer) {
        if (pending !== p) { return; }
        applyAnswer(p, answer);
      }, function (e) {
        if (pending !== p) { return; }
        dryRunFailed(p, e.message);
      });
  }

  function applyAnswer(p, answer) {
    var byId = {};
    answer.devices.forEach(function (d) { byId[d.device] = d; });
    var go = [];
    var skipped = [];
    p.rows.forEach(function (row) {
      var d = byId[row.id];
      if (d && d.send) { go.push(row); return; }
      // The command service's words name the device first ("pdu-1 does not support sleep"); the list names it already.
      var why = d ? d.message : 'not in the controller\u2019s answer';
      if (why.indexOf(row.id + ' ') === 0) { why = why.slice(row.id.length + 1); }
      skipped.push({ row: row, why: why });
    });
    p.go = go;
    p.skipped = skipped;
    showPlan(p, answer);
    part('action-dry-run').textContent = 'The controller\u2019s dry-run (nothing has been sent):';
    var list = part('action-limits');
    list.replaceChildren();
    var limits = answer.limits || [];
    limits.slice(0, 10).forEach(function (l) {
      var li = document.createElement('li');
      var over = l.over_limit_after === true || l.over_shed_line_after === true;
      li.textContent = l.kind + ' ' + l.node + (l.limit ? ' (' + l.limit + ')' : '') + ': ' + l.load_now_kw
        + ' \u2192 ' + l.load_after_kw + ' kW' + (l.limit_kw === null ? ', no limit of its own'
        : ' of ' + l.limit_kw + ' kW, margin ' + l.margin_now_kw + ' \u2192 ' + l.margin_after_kw + ' kW')
        + (l.over_limit_after ? ' \u2014 over its limit' : l.over_shed_line_after ? ' \u2014 over its shed line' : '');
      if (over) { li.className = 'limit-over'; }
      list.appendChild(li);
    });
    if (limits.length > 10) {
      var more = document.createElement('li');
      more.textContent = 'and ' + (limits.length - 10) + ' more limits move.';
      list.appendChild(more);
    }
    if (limits.length === 0) {
      var none = document.createElement('li');
      none.textContent = 'No limit moves.';
      list.appendChild(none);
    }
    part('action-engine').textContent = answer.engine ? answer.engine.says : answer.engine_says;
    ready(p);
  }

  function dryRunFailed(p, why) {
    part('action-dry-run').textContent = 'The controller could not preview this command (' + why
      + '), so no limit or engine reaction is shown; the figures below are the page\u2019s own estimate.';
    showPlan(p, null);
    ready(p);
  }

  function ready(p) {
    part('action-dialog').removeAttribute('aria-busy');
    part('action-confirm').disabled = p.go.length === 0;
  }

  function close() {
    var dialog = part('action-dialog');
    if (dialog === null || !dialog.open) { return; }
    if (typeof dialog.close === 'function') { dialog.close(); } else { dialog.removeAttribute('open'); }
  }

  function errorText(response) {
    return response.json()
      .then(function (body) { return body.error || ('HTTP ' + response.status); },
            function () { return 'HTTP ' + response.status; });
  }

  function wait(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  /** Follows one command until a final state (or the page stops waiting), saying each step. */
  function follow(command, say) {
    var polls = 0;
    function step() {
      if (FINAL[command.state] || polls >= POLL_LIMIT) { return command; }
      polls++;
      return wait(POLL_MS)
        .then(function () {
          return fetch('/api/v1/commands/' + encodeURIComponent(command.commandId), { cache: 'no-store' });
        })
        .then(function (r) { return r.ok ? r.json() : command; }, function () { return command; })
        .then(function (c) { command = c; say(c); return step(); });
    }
    return step();
  }

  function describe(command) {
    var words = STATES[command.state] || command.state;
    return command.verb + (command.instance ? ' (outlet ' + command.instance + ')' : '') + ' ' + words
      + (command.reason ? ' (' + command.reason + ')' : '') + (command.message ? ': ' + command.message : '');
  }

  function run() {
    var p = pending;
    pending = null;
    close();
    if (p === null || p.go.length === 0) { return; }
    running[p.scope] = true;
    var list = p.results;
    var progress = p.progress;
    list.replaceChildren();
    p.skipped.slice(0, SHOWN_RESULTS).forEach(function (s) {
      var li = document.createElement('li');
      li.className = 'result-skipped';
      li.textContent = s.row.id + ': skipped, ' + s.why;
      list.appendChild(li);
    });
    var sent = 0;
    var ok = 0;
    var refused = 0;
    var next = 0;
    var body = { verb: p.verb, ttlSeconds: 30 };
    if (p.verb === 'set-power-target') { body.value = p.value; }
    if (p.instance) { body.instance = p.instance; }
    function say() {
      progress.textContent = 'Sent ' + sent + ' of ' + p.go.length + ': ' + ok + ' accepted, ' + refused
        + ' refused' + (p.skipped.length > 0 ? ', ' + p.skipped.length + ' skipped' : '') + '.';
    }
    say();
    function one(row) {
      var li = null;
      if (list.children.length < SHOWN_RESULTS) {
        li = document.createElement('li');
        li.dataset.device = row.id;
        li.textContent = row.id + ': sending…';
        list.appendChild(li);
      }
      function show(text, cls) {
        if (li) { li.textContent = row.id + ': ' + text; li.className = cls; }
      }
      return fetch('/api/v1/devices/' + encodeURIComponent(row.id) + '/commands', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      })
        .then(function (response) {
          sent++;
          if (!response.ok) {
            refused++;
            say();
            return errorText(response).then(function (t) { show('refused, ' + t, 'result-refused'); });
          }
          ok++;
          say();
          return response.json().then(function (command) {
            show(describe(command), 'result-pending');
            return follow(command, function (c) { show(describe(c), FINAL[c.state] ? 'result-' + c.state : ''); })
              .then(function (c) { show(describe(c), 'result-' + c.state); });
          });
        }, function (e) {
          sent++;
          refused++;
          say();
          show('not sent, the controller could not be reached (' + e.message + ')', 'result-refused');
        });
    }
    function worker() {
      if (next >= p.go.length) { return Promise.resolve(); }
      var row = p.go[next++];
      return one(row).then(worker);
    }
    var workers = [];
    for (var i = 0; i < Math.min(CONCURRENCY, p.go.length); i++) { workers.push(worker()); }
    Promise.allSettled(workers).then(function () {
      running[p.scope] = false;
      if (p.go.length + p.skipped.length > SHOWN_RESULTS) {
        var li = document.createElement('li');
        li.textContent = '(the first ' + SHOWN_RESULTS + ' results are listed)';
        list.appendChild(li);
      }
      progress.textContent = 'Finished: ' + ok + ' of ' + p.go.length + ' accepted, ' + refused + ' refused'
        + (p.skipped.length > 0 ? ', ' + p.skipped.length + ' skipped' : '') + '.';
      p.finished();
    });
  }

  function setRole(role) {
    canWrite = role === 'operator' || role === 'admin';
    if (!canWrite) { pending = null; close(); }
  }

  document.addEventListener('DOMContentLoaded', function () {
    part('action-confirm').addEventListener('click', run);
    part('action-cancel').addEventListener('click', function () { pending = null; close(); });
    part('action-dialog').addEventListener('close', function () { pending = null; });
  });

  window.HeadroomCommand = {
    VERBS: VERBS,
    ask: ask,
    setRole: setRole,
    canWrite: function () { return canWrite; },
    /** True while the commands {@code scope} confirmed are still being sent or followed. */
    running: function (scope) { return running[scope] === true; },
    capability: capability
  };
}());
