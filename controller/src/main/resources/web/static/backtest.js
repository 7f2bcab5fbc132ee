// Backtest section: opens a report written by `headroom backtest --json` with the File API (read in
// the browser, nothing is uploaded), checks its shape, and draws Headroom against the two baselines
// over time as inline SVG, with the totals table (docs/backtest.md). Every string from the file goes
// in through textContent or an SVG text node, never innerHTML.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  /** Larger files are refused before reading: a 92-day report (the longest) is about 3 MB. */
  var MAX_BYTES = 16 * 1024 * 1024;
  /** Hours in the longest backtest (92 days, docs/backtest.md), and a partial one. */
  var MAX_HOURS = 92 * 24 + 1;
  var WIDTH = 760;
  var PANEL = 190;
  var LEFT = 70;
  var RIGHT = 16;
  var GAP = 46;
  /** Each run's colour and dash (so the lines differ without colour too). */
  var STYLES = [
    { stroke: '#175cd3', dash: '' },
    { stroke: '#b42318', dash: '6 4' },
    { stroke: '#067647', dash: '2 3' }
  ];
  var TOTALS = [
    ['Energy', 'energy_mwh', 'MWh', 3],
    ['Energy cost', 'energy_cost_usd', 'USD', 2],
    ['Hash revenue', 'hash_revenue_usd', 'USD', 2],
    ['Margin', 'margin_usd', 'USD', 2],
    ['Curtailed', 'curtailed_mwh', 'MWh', 3],
    ['Limit violations', 'limit_violations', '', 0],
    ['Commands sent', 'commands', '', 0]
  ];
  var METRICS = {
    cumulative_margin: { label: 'Cumulative margin (USD)', unit: 'USD' },
    margin_usd: { label: 'Margin per hour (USD)', unit: 'USD' },
    curtailed_mwh: { label: 'Curtailed per hour (MWh)', unit: 'MWh' },
    energy_mwh: { label: 'Site energy per hour (MWh)', unit: 'MWh' }
  };
  var report = null;

  function element(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (className) { e.className = className; }
    return e;
  }

  function svg(tag, attributes, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (k) { e.setAttribute(k, attributes[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function isNumber(v) { return typeof v === 'number' && isFinite(v); }

  function num(v, digits) {
    if (!isNumber(v)) { return '—'; }
    var text = v.toFixed(digits);
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text; // no "-0.00" for a rounding residue
  }

  function showError(text) {
    var error = document.getElementById('backtest-error');
    error.textContent = text || '';
    error.hidden = !text;
  }

  // The shape the page needs, checked field by field so a bad file is named, not drawn wrong.
  function need(ok, where, what) {
    if (!ok) { throw new Error(where + ': ' + what); }
  }

  function validate(r) {
    need(r !== null && typeof r === 'object' && !Array.isArray(r), 'the file', 'is not a JSON object');
    ['site', 'from', 'to'].forEach(function (k) {
      need(typeof r[k] === 'string', k, 'missing or not a string (is this a headroom backtest --json report?)');
    });
    need(!isNaN(Date.parse(r.from)) && !isNaN(Date.parse(r.to)), 'from/to', 'not ISO-8601 instants');
    need(isNumber(r.step_seconds), 'step_seconds', 'missing or not a number');
    need(Array.isArray(r.runs) && r.runs.length > 0, 'runs', 'missing or empty');
    need(r.runs.length <= STYLES.length, 'runs', r.runs.length + ' runs; a report has at most ' + STYLES.length);
    r.runs.forEach(function (run, i) {
      var at = 'runs[' + i + ']';
      need(run !== null && typeof run === 'object', at, 'not an object');
      need(typeof run.strategy === 'string', at + '.strategy', 'missing or not a string');
      TOTALS.forEach(function (t) { need(isNumber(run[t[1]]), at + '.' + t[1], 'missing or not a number'); });
      need(Array.isArray(run.reservations), at + '.reservations', 'missing or not a list');
      need(Array.isArray(run.hourly), at + '.hourly',
        'missing: the report has no hourly series (written by an older headroom backtest? run it again)');
      need(run.hourly.length > 0, at + '.hourly', 'empty');
      need(run.hourly.length <= MAX_HOURS, at + '.hourly', run.hourly.length + ' hours; a backtest covers at most ' +
        MAX_HOURS + ' (92 days and a partial hour)');
      var last = -Infinity;
      run.hourly.forEach(function (h, j) {
        var hat = at + '.hourly[' + j + ']';
        need(h !== null && typeof h === 'object', hat, 'not an object');
        var t = Date.parse(h.hour);
        need(typeof h.hour === 'string' && !isNaN(t), hat + '.hour', 'not an ISO-8601 instant');
        need(t > last, hat + '.hour', 'not after the hour before it');
        last = t;
        ['energy_mwh', 'energy_cost_usd', 'hash_revenue_usd', 'margin_usd', 'curtailed_mwh'].forEach(function (k) {
          need(isNumber(h[k]), hat + '.' + k, 'missing or not a number');
        });
        need(h.energy_usd_per_mwh === null || isNumber(h.energy_usd_per_mwh), hat + '.energy_usd_per_mwh',
          'neither a number nor null');
      });
    });
    return r;
  }

  /** Each run's values of {@code metric} as [time ms, value] pairs. */
  function series(run, metric) {
    var sum = 0;
    return run.hourly.map(function (h) {
      var v = metric === 'cumulative_margin' ? (sum += h.margin_usd) : h[metric];
      return [Date.parse(h.hour), v];
    });
  }

  function ticks(min, max, count) {
    if (min === max) { return [min]; }
    var raw = (max - min) / count;
    var magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * magnitude; }).filter(function (s) { return s >= raw; })[0];
    var out = [];
    for (var v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) { out.push(v); }
    return out;
  }

  /** One panel: lines for {@code lines} ([{name, points, style}]) between time t0 and t1, at y offset top. */
  function panel(chart, top, title, lines, t0, t1) {
    var values = [];
    lines.forEach(function (l) { l.points.forEach(function (p) { if (isNumber(p[1])) { values.push(p[1]); } }); });
    var min = Math.min.apply(null, values.concat([0]));
    var max = Math.max.apply(null, values.concat([0]));
    if (min === max) { max = min + 1; }
    var x = function (t) { return LEFT + (t1 === t0 ? 0 : (t - t0) / (t1 - t0)) * (WIDTH - LEFT - RIGHT); };
    var y = function (v) { return top + PANEL - (v - min) / (max - min) * PANEL; };
    chart.appendChild(svg('text', { x: LEFT, y: top - 8, 'class': 'chart-title' }, title));
    ticks(min, max, 4).forEach(function (v) {
      chart.appendChild(svg('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: y(v), y2: y(v), 'class': 'chart-grid' }));
      chart.appendChild(svg('text', { x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end', 'class': 'chart-axis' },
        String(Math.round(v * 1000) / 1000)));
    });
    lines.forEach(function (l) {
      var d = '';
      var pen = false;
      l.points.forEach(function (p) {
        if (!isNumber(p[1])) { pen = false; return; }
        d += (pen ? 'L' : 'M') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1);
        pen = true;
      });
      var path = svg('path', { d: d, fill: 'none', stroke: l.style.stroke, 'stroke-width': 1.6, 'class': 'chart-line' });
      if (l.style.dash) { path.setAttribute('stroke-dasharray', l.style.dash); }
      path.dataset.run = l.name;
      chart.appendChild(path);
    });
    return x;
  }

  function draw() {
    var chart = document.getElementById('backtest-chart');
    var metric = document.getElementById('backtest-metric').value;
    var t0 = Date.parse(report.runs[0].hourly[0].hour);
    var t1 = t0;
    report.runs.forEach(function (run) {
      run.hourly.forEach(function (h) { t1 = Math.max(t1, Date.parse(h.hour)); });
    });
    var height = 2 * PANEL + 2 * GAP + 40;
    chart.replaceChildren();
    chart.setAttribute('viewBox', '0 0 ' + WIDTH + ' ' + height);
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-labelledby', 'backtest-chart-title');
    chart.appendChild(svg('title', { id: 'backtest-chart-title' }, METRICS[metric].label + ' of ' +
      report.runs.map(function (r) { return r.strategy; }).join(', ') + ', and the hourly mean energy price, ' +
      report.from + ' to ' + report.to + ' (UTC hours). The totals are in the table below.'));
    panel(chart, GAP, METRICS[metric].label, report.runs.map(function (run, i) {
      return { name: run.strategy, points: series(run, metric), style: STYLES[i] };
    }), t0, t1);
    var x = panel(chart, 2 * GAP + PANEL, 'Energy price (USD/MWh, hourly mean)', [{
      name: 'energy-price',
      points: report.runs[0].hourly.map(function (h) { return [Date.parse(h.hour), h.energy_usd_per_mwh]; }),
      style: { stroke: '#475467', dash: '' }
    }], t0, t1);
    // Time axis: up to 6 labels in UTC, shared by both panels.
    var bottom = 2 * GAP + 2 * PANEL;
    for (var i = 0; i <= 5; i++) {
      var t = t0 + (t1 - t0) * i / 5;
      chart.appendChild(svg('text', { x: x(t), y: bottom + 18, 'text-anchor': i === 0 ? 'start' : i === 5 ? 'end' : 'middle',
        'class': 'chart-axis' }, new Date(t).toISOString().slice(5, 16).replace('T', ' ')));
      if (t1 === t0) { break; }
    }
    var legend = document.getElementById('backtest-legend');
    legend.replaceChildren();
    report.runs.forEach(function (run, i) {
      var item = element('li');
      var key = svg('svg', { width: 28, height: 10, 'aria-hidden': 'true' });
      var line = svg('line', { x1: 0, x2: 28, y1: 5, y2: 5, stroke: STYLES[i].stroke, 'stroke-width': 2 });
      if (STYLES[i].dash) { line.setAttribute('stroke-dasharray', STYLES[i].dash); }
      key.appendChild(line);
      item.appendChild(key);
      item.appendChild(document.createTextNode(' ' + run.strategy));
      legend.appendChild(item);
    });
  }

  function renderTotals() {
    var table = document.getElementById('backtest-totals');
    var head = element('tr');
    var corner = element('th', 'Total');
    corner.scope = 'col';
    head.appendChild(corner);
    report.runs.forEach(function (run) {
      var th = element('th', run.strategy, 'num');
      th.scope = 'col';
      head.appendChild(th);
    });
    table.querySelector('thead').replaceChildren(head);
    var rows = document.createDocumentFragment();
    TOTALS.forEach(function (t) {
      var tr = element('tr');
      var th = element('th', t[0] + (t[2] ? ' (' + t[2] + ')' : ''));
      th.scope = 'row';
      tr.appendChild(th);
      report.runs.forEach(function (run) { tr.appendChild(element('td', num(run[t[1]], t[3]), 'num')); });
      rows.appendChild(tr);
    });
    var met = element('tr');
    var label = element('th', 'Reservations met');
    label.scope = 'row';
    met.appendChild(label);
    report.runs.forEach(function (run) {
      var count = run.reservations.filter(function (r) { return r && r.met === true; }).length;
      met.appendChild(element('td', count + ' of ' + run.reservations.length, 'num'));
    });
    rows.appendChild(met);
    table.querySelector('tbody').replaceChildren(rows);
  }

  function show(parsed, name) {
    report = parsed;
    showError(null);
    document.getElementById('backtest-about').textContent = name + ': site ' + report.site + ', ' + report.from +
      ' to ' + report.to + ', step ' + report.step_seconds + ' s' + (report.hashprice ? ', hashprice ' + report.hashprice : '');
    draw();
    renderTotals();
    document.getElementById('backtest-result').hidden = false;
  }

  function refuse(name, why) {
    report = null;
    document.getElementById('backtest-result').hidden = true;
    showError(name + ' is not a backtest report: ' + why);
  }

  /** Reads the chosen file in the browser; resolves when it is shown or refused (never rejects). */
  function open(file) {
    if (!file) { return Promise.resolve(); }
    if (file.size > MAX_BYTES) {
      refuse(file.name, 'it is ' + Math.round(file.size / 1048576) + ' MiB; a report is at most ' +
        MAX_BYTES / 1048576 + ' MiB');
      return Promise.resolve();
    }
    return file.text().then(function (text) {
      var parsed;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        refuse(file.name, 'not JSON (' + e.message + ')');
        return;
      }
      try {
        show(validate(parsed), file.name);
      } catch (e) {
        refuse(file.name, e.message);
      }
    }, function (e) {
      refuse(file.name, 'it cannot be read (' + e.message + ')');
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var input = document.getElementById('backtest-file');
    input.addEventListener('change', function () {
      window.HeadroomBacktest.opened = open(input.files[0]);
    });
    document.getElementById('backtest-metric').addEventListener('change', function () {
      if (report) { draw(); }
    });
  });

  window.HeadroomBacktest = { open: open, opened: Promise.resolve() };
}());
