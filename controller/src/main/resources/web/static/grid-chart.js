// The active grid event's chart: the site load the engine observed (metered or not) against the event's target
// over time, from the event's "chart" series (at most 360 points, each a compliance sample; GET /api/v1/grid-events
// and the device stream's grid-events event carry it for open events). An inline SVG drawn here, no library, like
// the device page's history chart: units on the axes, the final target and the deadline marked, and the same points
// as a table for screen readers. site.js calls HeadroomGridChart.render(event) each time it renders the event.
// Every API-supplied string goes in through textContent.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var W = 720, H = 240, L = 70, R = 12, T = 14, B = 30;

  function svg(tag, attributes) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (k) { e.setAttribute(k, attributes[k]); });
    return e;
  }

  function element(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (className) { e.className = className; }
    return e;
  }

  function kw(value) {
    if (value === null || value === undefined) { return '—'; }
    return Number(value).toFixed(Math.abs(value) < 10 ? 2 : 1);
  }

  function clock(iso) {
    var t = Date.parse(iso);
    return isNaN(t) ? '—' : new Date(t).toLocaleTimeString([], { hour12: false });
  }

  /** A signature of what is drawn: the chart is redrawn only when the event's series or marks change. */
  function signature(e, points) {
    return [e.id, e.revision, e.state, e.target_kw, e.deadline, JSON.stringify(points)].join('|');
  }

  function table(points) {
    var tbody = document.getElementById('grid-chart-points').tBodies[0];
    var rows = document.createDocumentFragment();
    points.forEach(function (p) {
      var tr = element('tr');
      tr.dataset.at = p.at;
      var time = element('td', clock(p.at), 'num');
      time.title = p.at;
      tr.appendChild(time);
      tr.appendChild(element('td', kw(p.site_load_kw) + ' kW', 'num'));
      tr.appendChild(element('td', p.metered ? 'metered' : 'not metered (estimated)'));
      tr.appendChild(element('td', kw(p.target_kw) + ' kW', 'num'));
      rows.appendChild(tr);
    });
    tbody.replaceChildren(rows);
  }

  function render(e) {
    var chart = document.getElementById('grid-chart');
    var status = document.getElementById('grid-chart-status');
    var points = e.chart || [];
    var drawn = signature(e, points);
    if (chart.dataset.drawn === drawn) { return; }
    chart.dataset.drawn = drawn;
    table(points);
    var title = 'Site load against the target of grid event ' + (e.reference || e.id) + ', kW over time';
    chart.replaceChildren();
    chart.setAttribute('aria-label', title + ': ' + points.length + ' points');
    chart.dataset.points = String(points.length);
    chart.appendChild(svg('title')).textContent = title;
    if (points.length === 0) {
      status.textContent = e.state === 'pending'
        ? 'The chart starts when the event does (' + clock(e.start) + ').'
        : 'No sample of the site load yet: the engine records one every 5 s while the event runs.';
      // An SVG element has no hidden property: the attribute itself.
      chart.toggleAttribute('hidden', true);
      return;
    }
    var unmetered = points.filter(function (p) { return !p.metered; }).length;
    status.textContent = title + '; ' + points.length + ' points' +
      (unmetered ? ', ' + unmetered + ' of them not metered (estimated from the devices)' : ', all metered') + '.';
    chart.toggleAttribute('hidden', false);

    var t0 = Date.parse(e.start);
    var deadline = Date.parse(e.deadline);
    var t1 = Math.max(Date.parse(points[points.length - 1].at), deadline);
    if (!(t1 > t0)) { t1 = t0 + 1000; }
    var hi = 0;
    points.forEach(function (p) { hi = Math.max(hi, p.site_load_kw, p.target_kw); });
    if (e.target_kw !== null && e.target_kw !== undefined) { hi = Math.max(hi, e.target_kw); }
    if (!(hi > 0)) { hi = 1; }
    hi *= 1.08;
    function x(ms) { return (L + (ms - t0) / (t1 - t0) * (W - L - R)).toFixed(1); }
    function y(v) { return (T + (hi - v) / hi * (H - T - B)).toFixed(1); }
    function path(field) {
      return points.map(function (p, i) {
        return (i === 0 ? 'M' : 'L') + x(Date.parse(p.at)) + ' ' + y(p[field]);
      }).join(' ');
    }

    chart.appendChild(svg('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, 'class': 'chart-axis-line' }));
    chart.appendChild(svg('line', { x1: L, y1: T, x2: L, y2: H - B, 'class': 'chart-axis-line' }));
    [[hi / 1.08, 'top'], [0, 'bottom']].forEach(function (tick) {
      var text = svg('text', { x: L - 6, y: Number(y(tick[0])) + 4, 'text-anchor': 'end', 'class': 'chart-label' });
      text.textContent = kw(tick[0]) + ' kW';
      chart.appendChild(text);
    });
    [[t0, 'start', L], [t1, 'end', W - R]].forEach(function (tick) {
      var text = svg('text', { x: tick[2], y: H - 10, 'text-anchor': tick[1], 'class': 'chart-label' });
      text.textContent = clock(new Date(tick[0]).toISOString());
      chart.appendChild(text);
    });
    var finalTarget = e.target_kw;
    if (finalTarget !== null && finalTarget !== undefined) {
      chart.appendChild(svg('line', {
        x1: L, x2: W - R, y1: y(finalTarget), y2: y(finalTarget), 'class': 'chart-final-target', id: 'grid-chart-final'
      }));
      var label = svg('text', { x: W - R - 4, y: Number(y(finalTarget)) - 4, 'text-anchor': 'end', 'class': 'chart-label' });
      label.textContent = 'final target ' + kw(finalTarget) + ' kW';
      chart.appendChild(label);
    }
    var dx = x(deadline);
    chart.appendChild(svg('line', { x1: dx, x2: dx, y1: T, y2: H - B, 'class': 'chart-deadline', id: 'grid-chart-deadline' }));
    // Left of the line when the line is near the right edge (the deadline is the chart's end until it passes).
    var nearEnd = Number(dx) > W - R - 140;
    var deadlineLabel = svg('text', {
      x: Number(dx) + (nearEnd ? -4 : 4), y: T + 10, 'text-anchor': nearEnd ? 'end' : 'start', 'class': 'chart-label'
    });
    deadlineLabel.textContent = 'deadline ' + clock(e.deadline);
    chart.appendChild(deadlineLabel);
    chart.appendChild(svg('path', { d: path('target_kw'), 'class': 'chart-target', id: 'grid-chart-target' }));
    var load = svg('path', { d: path('site_load_kw'), 'class': 'chart-mean', id: 'grid-chart-load' });
    load.dataset.vertices = String(points.length);
    chart.appendChild(load);
    points.forEach(function (p) {
      if (!p.metered) {
        chart.appendChild(svg('circle', {
          cx: x(Date.parse(p.at)), cy: y(p.site_load_kw), r: 3, 'class': 'chart-unmetered'
        }));
      }
    });
  }

  window.HeadroomGridChart = { render: render };
}());
