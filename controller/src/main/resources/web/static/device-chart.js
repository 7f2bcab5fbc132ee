// The device page's history chart (device.js draws the page and reads the history): one metric's mean (solid) and
// max (dashed) per bucket of GET /api/v1/devices/{id}/history as an inline SVG, no library, with its value axis
// labelled in the metric's unit, the window's start and end, points more than three buckets apart not joined, a
// title and label for screen readers, and every point in the page's points table (docs/ui.md, History).
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';

  function part(id) { return document.getElementById(id); }

  function svg(tag, attributes) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (k) { e.setAttribute(k, attributes[k]); });
    return e;
  }

  /**
   * Draws the history answer h into #device-chart, #device-chart-points and #device-chart-status; rangeLabel names
   * the range in words, fmt gives the page's number, time and table-row formats so the chart reads as the page does.
   */
  function render(h, rangeLabel, fmt) {
    var chart = part('device-chart');
    var points = h.points || [];
    var title = h.metric + ' (' + h.unit + '), ' + rangeLabel + ', mean and max per ' +
      (h.resolutionSeconds >= 60 ? h.resolutionSeconds / 60 + ' min' : h.resolutionSeconds + ' s');
    chart.replaceChildren();
    chart.setAttribute('aria-label', title + ': ' + points.length + ' points');
    chart.dataset.points = String(points.length);
    chart.appendChild(svg('title')).textContent = title;
    var tbody = part('device-chart-points').tBodies[0];
    tbody.replaceChildren();
    points.forEach(function (p) {
      fmt.row(tbody, [fmt.time(p.at), fmt.number(p.value) + ' ' + h.unit, fmt.number(p.max) + ' ' + h.unit]);
    });
    var status = part('device-chart-status');
    if (h.kept === false) {
      status.textContent = 'No history is kept of ' + h.metric + ': history.metrics in controller.yaml leaves it out.';
      chart.setAttribute('hidden', '');
      return;
    }
    if (points.length === 0) {
      status.textContent = 'No samples of ' + h.metric + ' in this range yet.';
      chart.setAttribute('hidden', '');
      return;
    }
    status.textContent = title + '; ' + points.length + ' points.';
    // An SVG element has no hidden property: the attribute is what app.css's [hidden] rule reads.
    chart.removeAttribute('hidden');
    var W = 720, H = 240, L = 70, R = 12, T = 12, B = 30;
    var t0 = Date.parse(h.from), t1 = Date.parse(h.to);
    if (!(t1 > t0)) { t1 = t0 + 1; }
    var lo = Infinity, hi = -Infinity;
    points.forEach(function (p) { lo = Math.min(lo, p.value); hi = Math.max(hi, p.max); });
    if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
    var pad = (hi - lo) * 0.05;
    lo -= pad; hi += pad;
    function x(iso) { return (L + (Date.parse(iso) - t0) / (t1 - t0) * (W - L - R)).toFixed(1); }
    function y(v) { return (T + (hi - v) / (hi - lo) * (H - T - B)).toFixed(1); }
    var gap = 3 * h.resolutionSeconds * 1000;
    function path(field) {
      var d = '';
      var previous = null;
      points.forEach(function (p) {
        var t = Date.parse(p.at);
        d += (previous === null || t - previous > gap ? 'M' : 'L') + x(p.at) + ' ' + y(p[field]) + ' ';
        previous = t;
      });
      return d.trim();
    }
    chart.appendChild(svg('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, 'class': 'chart-axis-line' }));
    chart.appendChild(svg('line', { x1: L, y1: T, x2: L, y2: H - B, 'class': 'chart-axis-line' }));
    [[hi - pad, 'end'], [lo + pad, 'end']].forEach(function (tick) {
      var text = svg('text', { x: L - 6, y: Number(y(tick[0])) + 4, 'text-anchor': tick[1], 'class': 'chart-label' });
      text.textContent = fmt.number(tick[0]) + ' ' + h.unit;
      chart.appendChild(text);
    });
    [[h.from, 'start', L], [h.to, 'end', W - R]].forEach(function (tick) {
      var text = svg('text', { x: tick[2], y: H - 10, 'text-anchor': tick[1], 'class': 'chart-label' });
      text.textContent = fmt.time(tick[0]);
      chart.appendChild(text);
    });
    chart.appendChild(svg('path', { d: path('max'), 'class': 'chart-max' }));
    var mean = svg('path', { d: path('value'), 'class': 'chart-mean' });
    mean.dataset.vertices = String(points.length);
    chart.appendChild(mean);
  }

  window.HeadroomDeviceChart = { render: render };
})();
