// Actions on the device table's selection (D45, D48): sleep, wake or a power target, for operators and admins only
// (the API refuses a viewer's command too). The dialog asks the controller's dry-run (POST /api/v1/commands/dry-run)
// what the command would do before it is confirmed: how many devices it goes to and which are skipped and why, the
// power change, the limits that move and what the control engine would do about it. When the dry-run fails the
// dialog says why and shows the page's own estimate from each device's capabilities. Confirmed: one POST per device
// to the command API, a few at a time, with progress, and each device's result in words as it reaches a final state.
(function () {
  'use strict';
  var CONCURRENCY = 4;
  var SHOWN_RESULTS = 200;
  var POLL_MS = 1000;
  var POLL_LIMIT = 45;
  /** A miner asleep still runs its control board and fans; the page has no measured sleep power, so it guesses. */
  var SLEEP_FRACTION = 0.02;
  var VERBS = {
    sleep: { label: 'Sleep' },
    wake: { label: 'Wake' },
    'set-power-target': { label: 'Set power target' }
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
  var pending = null;
  var running = false;

  function capability(device, verb) {
    var caps = Array.isArray(device.capabilities) ? device.capabilities : [];
    for (var i = 0; i < caps.length; i++) {
      if (caps[i] && caps[i].verb === verb) { return caps[i]; }
    }
    return null;
  }

  /** Why {@code device} cannot take this command, or null when it can. */
  function skipReason(device, verb, value) {
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
    return null;
  }

  function asleep(device) {
    return device.metrics && device.metrics.mode && device.metrics.mode.value === 0;
  }

  /** The power a device is expected to draw after the command, W (an estimate). */
  function expectedPower(row, verb, value) {
    var nameplate = typeof row.device.nameplatePowerW === 'number' ? row.device.nameplatePowerW : 0;
    var present = row.power === null ? 0 : row.power;
    if (verb === 'sleep') { return asleep(row.device) ? present : Math.min(present, SLEEP_FRACTION * nameplate); }
    if (verb === 'wake') { return asleep(row.device) ? nameplate : present; }
    return value;
  }

  function kw(watts) {
    return (watts / 1000).toFixed(1) + ' kW';
  }

  function plan(verb, value) {
    var rows = window.HeadroomTable.selectedRows();
    var go = [];
    var skipped = [];
    rows.forEach(function (row) {
      var why = skipReason(row.device, verb, value);
      if (why === null) { go.push(row); } else { skipped.push({ row: row, why: why }); }
    });
    var present = 0;
    var after = 0;
    var unknown = 0;
    go.forEach(function (row) {
      if (row.power === null) { unknown++; }
      present += row.power === null ? 0 : row.power;
      after += expectedPower(row, verb, value);
    });
    return { verb: verb, value: value, rows: rows, go: go, skipped: skipped, present: present, after: after,
      unknown: unknown };
  }

  function open(verb) {
    if (!canWrite || running) { return; }
    var value = null;
    var error = document.getElementById('action-error');
    error.hidden = true;
    if (verb === 'set-power-target') {
      value = Number(document.getElementById('action-target-value').value);
      if (document.getElementById('action-target-value').value === '' || !isFinite(value) || value <= 0) {
        error.textContent = 'Enter the power target in watts (a number above 0).';
        error.hidden = false;
        return;
      }
    }
    var p = plan(verb, value);
    if (p.rows.length === 0) {
      error.textContent = 'Select devices first: click their boxes, shift-click a range, or "Select all matching".';
      error.hidden = false;
      return;
    }
    pending = p;
    showPlan(p, null);
    document.getElementById('action-confirm').disabled = true;
    document.getElementById('action-dry-run').textContent = 'Asking the controller what this would do…';
    document.getElementById('action-limits').replaceChildren();
    document.getElementById('action-engine').textContent = '';
    var dialog = document.getElementById('action-dialog');
    dialog.setAttribute('aria-busy', 'true');
    if (typeof dialog.showModal === 'function') { dialog.showModal(); } else { dialog.setAttribute('open', ''); }
    document.getElementById('action-cancel').focus();
    dryRun(p);
  }

  /** The dialog's title, skipped devices and power preview: from the server's answer, else the page's estimate. */
  function showPlan(p, answer) {
    var verb = p.verb;
    var what = verb === 'set-power-target' ? 'Set a power target of ' + p.value + ' W on ' : VERBS[verb].label + ' ';
    document.getElementById('action-title').textContent = what + p.go.length + ' of the ' + p.rows.length
      + ' selected devices?';
    var skipped = document.getElementById('action-skipped');
    skipped.textContent = p.skipped.length === 0 ? 'None is skipped.'
      : p.skipped.length + ' will be skipped: ' + p.skipped.slice(0, 10).map(function (s) {
        return s.row.id + ' (' + s.why + ')';
      }).join(', ') + (p.skipped.length > 10 ? ', and ' + (p.skipped.length - 10) + ' more' : '') + '.';
    var preview = document.getElementById('action-preview');
    if (answer === null) {
      preview.textContent = 'Estimate: the ' + p.go.length + ' draw ' + kw(p.present) + ' now'
        + (p.unknown > 0 ? ' (' + p.unknown + ' without a power reading)' : '')
        + '; expected after: ' + kw(p.after) + ' (' + signedKw(p.after - p.present) + ')' + (verb === 'sleep'
        ? ', taking a sleeping device at about ' + (SLEEP_FRACTION * 100) + ' % of its nameplate power.' : '.');
      return;
    }
    var t = answer.totals;
    var estimated = answer.devices.filter(function (d) { return d.send && d.estimate; });
    preview.textContent = 'The controller expects the ' + t.send + ' to go from ' + kw(t.power_now_w) + ' to '
      + kw(t.power_after_w) + ' (' + signedKw(t.change_w) + ')'
      + (estimated.length > 0 ? '; ' + estimated.length + ' of the figures are estimates (' + estimated[0].device
        + ': ' + estimated[0].basis + ').' : '.');
  }

  function signedKw(watts) {
    return (watts >= 0 ? '+' : '−') + kw(Math.abs(watts));
  }

  /** Asks the controller; its answer replaces the page's estimate, a failure is said in words. */
  function dryRun(p) {
    var body = { verb: p.verb, devices: p.rows.map(function (row) { return row.id; }) };
    if (p.verb === 'set-power-target') { body.value = p.value; }
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
    document.getElementById('action-dry-run').textContent = 'The controller\u2019s dry-run (nothing has been sent):';
    var list = document.getElementById('action-limits');
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
    document.getElementById('action-engine').textContent = answer.engine ? answer.engine.says : answer.engine_says;
    done(p);
  }

  function dryRunFailed(p, why) {
    document.getElementById('action-dry-run').textContent = 'The controller could not preview this command (' + why
      + '), so no limit or engine reaction is shown; the figures below are the page\u2019s own estimate.';
    showPlan(p, null);
    done(p);
  }

  function done(p) {
    document.getElementById('action-dialog').removeAttribute('aria-busy');
    document.getElementById('action-confirm').disabled = p.go.length === 0;
  }

  function close() {
    var dialog = document.getElementById('action-dialog');
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

  /** Follows one command until a final state (or the page stops waiting), saying each step in {@code item}. */
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
    return command.verb + ' ' + words + (command.reason ? ' (' + command.reason + ')' : '')
      + (command.message ? ': ' + command.message : '');
  }

  function run() {
    var p = pending;
    pending = null;
    close();
    if (p === null || p.go.length === 0) { return; }
    running = true;
    var list = document.getElementById('action-results-list');
    var progress = document.getElementById('action-progress');
    list.replaceChildren();
    p.skipped.slice(0, SHOWN_RESULTS).forEach(function (s) {
      var li = document.createElement('li');
      li.className = 'result-skipped';
      li.textContent = s.row.id + ': skipped, ' + s.why;
      list.appendChild(li);
    });
    var done = 0;
    var ok = 0;
    var refused = 0;
    var next = 0;
    var body = { verb: p.verb, ttlSeconds: 30 };
    if (p.verb === 'set-power-target') { body.value = p.value; }
    function say() {
      progress.textContent = 'Sent ' + done + ' of ' + p.go.length + ': ' + ok + ' accepted, ' + refused
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
          done++;
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
          done++;
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
      running = false;
      if (p.go.length + p.skipped.length > SHOWN_RESULTS) {
        var li = document.createElement('li');
        li.textContent = '(the first ' + SHOWN_RESULTS + ' results are listed)';
        list.appendChild(li);
      }
      progress.textContent = 'Finished: ' + ok + ' of ' + p.go.length + ' accepted, ' + refused + ' refused'
        + (p.skipped.length > 0 ? ', ' + p.skipped.length + ' skipped' : '') + '.';
    });
  }

  function setRole(role) {
    canWrite = role === 'operator' || role === 'admin';
    document.getElementById('device-actions').hidden = !canWrite;
    if (!canWrite) { close(); }
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('action-sleep').addEventListener('click', function () { open('sleep'); });
    document.getElementById('action-wake').addEventListener('click', function () { open('wake'); });
    document.getElementById('action-target').addEventListener('click', function () { open('set-power-target'); });
    document.getElementById('action-confirm').addEventListener('click', run);
    document.getElementById('action-cancel').addEventListener('click', function () { pending = null; close(); });
  });

  window.HeadroomActions = { setRole: setRole };
}());
