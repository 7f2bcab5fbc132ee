// The device page's Actions (issue 11, D57): from the device's own capabilities, a button per command an operator
// gives by hand — sleep, wake, a power target (its input bounded by the capability's range, step and unit), locate on
// and off — and for a PDU a row per outlet with on, off and cycle, with the outlet's state and power from its
// readings. Off and cycle are marked dangerous where the capability says so. Each button opens the shared
// confirmation (command-dialog.js) with the controller's dry-run, then says the command's result in words here as it
// reaches its final state, and reads the device again. Viewers get no buttons (the API refuses their commands too).
// device.js places the section (section()), fills it on each refresh (render()) and passes the role (setRole()).
// Every API-supplied string goes in through textContent, never innerHTML.
(function () {
  'use strict';
  var DEVICE_VERBS = ['sleep', 'wake', 'set-power-target', 'locate-on', 'locate-off'];
  var OUTLET_VERBS = [
    { verb: 'outlet-on', label: 'On…', key: 'on' },
    { verb: 'outlet-off', label: 'Off…', key: 'off' },
    { verb: 'outlet-cycle', label: 'Cycle…', key: 'cycle' }
  ];
  var canWrite = false;
  /** The device last drawn, and what its buttons were built from (rebuilt only when that changes). */
  var device = null;
  var built = null;

  function element(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (className) { e.className = className; }
    return e;
  }

  function part(id) { return document.getElementById(id); }

  function button(id, text, onClick) {
    var b = element('button', text);
    b.type = 'button';
    b.id = id;
    b.addEventListener('click', onClick);
    return b;
  }

  /** The section, empty; device.js puts it in the page's body once per device shown. */
  function section() {
    var s = element('section', null, 'device-actions-section');
    s.id = 'device-actions-section';
    s.setAttribute('aria-labelledby', 'device-actions-heading');
    s.hidden = true;
    var heading = element('h3', 'Actions');
    heading.id = 'device-actions-heading';
    s.appendChild(heading);
    var about = element('p', 'The commands this device accepts, from its capabilities. Each shows what the controller'
      + '\u2019s dry-run says it would do, and is sent only once you confirm it.', 'empty');
    s.appendChild(about);
    var buttons = element('div', null, 'grid-form device-action-buttons');
    buttons.id = 'device-action-buttons';
    s.appendChild(buttons);
    var outlets = element('table');
    outlets.id = 'device-outlets';
    outlets.hidden = true;
    outlets.appendChild(element('caption', 'Outlets: their state and power as the PDU reads them'));
    var head = outlets.createTHead().insertRow();
    ['Outlet', 'State', 'Power (W)', 'Actions'].forEach(function (t) {
      var th = element('th', t);
      th.scope = 'col';
      head.appendChild(th);
    });
    outlets.createTBody();
    s.appendChild(outlets);
    var error = element('p', null, 'form-error');
    error.id = 'device-action-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    s.appendChild(error);
    var progress = element('p');
    progress.id = 'device-action-progress';
    progress.setAttribute('role', 'status');
    progress.setAttribute('aria-live', 'polite');
    s.appendChild(progress);
    var results = element('ul', null, 'action-results');
    results.id = 'device-action-results';
    results.setAttribute('aria-label', 'Results of the commands sent from this page');
    s.appendChild(results);
    built = null;
    return s;
  }

  function capabilities(d) {
    return Array.isArray(d.capabilities) ? d.capabilities : [];
  }

  /** Outlets named by any outlet capability, in their numeric order where they are numbers. */
  function outletsOf(d) {
    var seen = {};
    var list = [];
    capabilities(d).forEach(function (c) {
      if (!window.HeadroomCommand.VERBS[c.verb] || !window.HeadroomCommand.VERBS[c.verb].outlet) { return; }
      (c.instances || []).forEach(function (i) {
        if (!seen[i]) { seen[i] = true; list.push(i); }
      });
    });
    return list.sort(function (a, b) {
      var x = Number(a);
      var y = Number(b);
      return isFinite(x) && isFinite(y) ? x - y : (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  function say(text) {
    var error = part('device-action-error');
    error.textContent = text;
    error.hidden = !text;
  }

  function ask(d, verb, value, instance) {
    say('');
    if (window.HeadroomCommand.running('device')) {
      say('A command from this page is still on its way; its result comes below first.');
      return;
    }
    var power = d.metrics && d.metrics.power && typeof d.metrics.power.value === 'number' ? d.metrics.power.value : null;
    window.HeadroomCommand.ask({
      verb: verb,
      value: value,
      instance: instance,
      scope: 'device',
      rows: [{ id: d.id, device: d, power: power }],
      progress: part('device-action-progress'),
      results: part('device-action-results'),
      finished: function () {
        if (window.HeadroomDevice.shown() === d.id) { window.HeadroomDevice.refresh(); }
      }
    });
  }

  /** The target typed in, checked against the capability's range and step; null (and said why) when it is not. */
  function target(cap) {
    var input = part('device-action-target-value');
    var unit = cap.unit || 'W';
    var value = Number(input.value);
    var range = typeof cap.min === 'number' && typeof cap.max === 'number'
      ? ' between ' + cap.min + ' and ' + cap.max + ' ' + unit : ' above 0 ' + unit;
    var step = typeof cap.step === 'number' && cap.step > 0 ? ', in steps of ' + cap.step + ' ' + unit : '';
    if (input.value === '' || !isFinite(value) || !(value > 0)
        || (typeof cap.min === 'number' && value < cap.min) || (typeof cap.max === 'number' && value > cap.max)) {
      say('Enter the power target' + range + step + '.');
      input.focus();
      return null;
    }
    return value;
  }

  function buildButtons(d) {
    var area = part('device-action-buttons');
    area.replaceChildren();
    var any = false;
    DEVICE_VERBS.forEach(function (verb) {
      var cap = window.HeadroomCommand.capability(d, verb);
      if (cap === null) { return; }
      any = true;
      var label = window.HeadroomCommand.VERBS[verb].label + '…' + (cap.dangerous ? ' (dangerous)' : '');
      if (verb === 'set-power-target') {
        var unit = cap.unit || 'W';
        var field = element('label', 'Power target (' + unit + ') ');
        var input = element('input');
        input.id = 'device-action-target-value';
        input.type = 'number';
        if (typeof cap.min === 'number') { input.min = String(cap.min); }
        if (typeof cap.max === 'number') { input.max = String(cap.max); }
        input.step = typeof cap.step === 'number' && cap.step > 0 ? String(cap.step) : 'any';
        field.appendChild(input);
        if (typeof cap.min === 'number' && typeof cap.max === 'number') {
          field.appendChild(document.createTextNode(' (' + cap.min + ' … ' + cap.max + ' ' + unit + ')'));
        }
        area.appendChild(field);
      }
      var b = button('device-action-' + verb, label, function () {
        var value = null;
        if (verb === 'set-power-target') {
          value = target(cap);
          if (value === null) { return; }
        }
        ask(device, verb, value, '');
      });
      if (cap.dangerous) { b.className = 'dangerous'; }
      area.appendChild(b);
    });
    var outlets = outletsOf(d);
    if (!any && outlets.length === 0) {
      area.appendChild(element('p', 'This device accepts none of the page\u2019s actions (sleep, wake, power target,'
        + ' locate, outlets).', 'empty'));
    }
    var table = part('device-outlets');
    var tbody = table.tBodies[0];
    tbody.replaceChildren();
    outlets.forEach(function (instance) {
      var tr = tbody.insertRow();
      tr.dataset.outlet = instance;
      tr.appendChild(element('td', instance));
      tr.appendChild(element('td', '—', 'outlet-state'));
      tr.appendChild(element('td', '—', 'num outlet-power'));
      var cell = tr.appendChild(element('td'));
      OUTLET_VERBS.forEach(function (o) {
        var cap = window.HeadroomCommand.capability(d, o.verb);
        if (cap === null || (cap.instances || []).indexOf(instance) < 0) { return; }
        var b = button('device-outlet-' + instance + '-' + o.key, o.label + (cap.dangerous ? ' (dangerous)' : ''),
          function () { ask(device, o.verb, null, instance); });
        b.setAttribute('aria-label', window.HeadroomCommand.VERBS[o.verb].label + ' ' + instance
          + (cap.dangerous ? ', dangerous' : ''));
        if (cap.dangerous) { b.className = 'dangerous'; }
        cell.appendChild(b);
        cell.appendChild(document.createTextNode(' '));
      });
    });
    table.hidden = outlets.length === 0;
  }

  /** Each outlet's state and power from the device's readings, on every refresh. */
  function readings(d) {
    var metrics = d.metrics || {};
    Array.prototype.forEach.call(part('device-outlets').tBodies[0].rows, function (tr) {
      var state = metrics['outlet.state[' + tr.dataset.outlet + ']'];
      var power = metrics['power[' + tr.dataset.outlet + ']'];
      tr.cells[1].textContent = !state ? '—' : (state.value === 0 ? 'off' : state.value === 1 ? 'on' : String(state.value))
        + (state.quality && state.quality !== 'good' ? ' (' + state.quality + ')' : '');
      tr.cells[2].textContent = !power || typeof power.value !== 'number' ? '—' : String(Math.round(power.value));
    });
  }

  /** Fills the section for device {@code d}: nothing for a viewer, the buttons for an operator or admin. */
  function render(d) {
    device = d;
    var root = part('device-actions-section');
    if (root === null) { return; }
    root.hidden = !canWrite;
    if (!canWrite) {
      part('device-action-buttons').replaceChildren();
      part('device-outlets').tBodies[0].replaceChildren();
      built = null;
      return;
    }
    var from = d.id + '\n' + JSON.stringify(capabilities(d));
    if (built !== from) {
      buildButtons(d);
      built = from;
    }
    readings(d);
  }

  function setRole(role) {
    canWrite = role === 'operator' || role === 'admin';
  }

  window.HeadroomDeviceActions = { section: section, render: render, setRole: setRole };
}());
