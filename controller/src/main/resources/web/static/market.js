// Market section: each price input (value, unit, age, stale or not), break-even and strike state per
// model and class, and the hourly ledger of the last 24 h beside the counterfactual, from GET
// /api/v1/market and /api/v1/market/summary (docs/market.md). Live over the device stream (app.js hands
// each market event to HeadroomMarket.streamed); refresh() polls only while the stream is down. Every
// API-supplied string goes in through textContent, never innerHTML.
(function () {
  'use strict';
  var HOURS = 24;

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

  function isNumber(v) { return typeof v === 'number' && isFinite(v); }

  /** A number with a fixed number of decimals, or a dash when there is none. */
  function num(v, digits) {
    if (!isNumber(v)) { return '—'; }
    var text = v.toFixed(digits);
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text; // no "-0.00" for a rounding residue
  }

  /** Seconds as "42 s", "12 min", "3 h 05 min", "2 d 4 h". */
  function duration(seconds) {
    if (!isNumber(seconds)) { return '—'; }
    var s = Math.max(0, Math.round(seconds));
    if (s < 120) { return s + ' s'; }
    var minutes = Math.floor(s / 60);
    if (minutes < 60) { return minutes + ' min'; }
    var hours = Math.floor(minutes / 60);
    if (hours < 48) { return hours + ' h ' + String(minutes % 60).padStart(2, '0') + ' min'; }
    return Math.floor(hours / 24) + ' d ' + (hours % 24) + ' h';
  }

  /** An ISO instant as "2026-12-01 14:05 UTC" (the ledger's hours are UTC hours). */
  function utc(iso) {
    var t = Date.parse(iso);
    if (isNaN(t)) { return '—'; }
    return new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }

  function errorText(response) {
    return response.json()
      .then(function (body) { return body && body.error ? body.error : 'HTTP ' + response.status; },
            function () { return 'HTTP ' + response.status; });
  }

  function status(text, className) {
    var p = document.getElementById('market-status');
    p.textContent = text;
    p.className = className ? 'market-status ' + className : 'market-status';
  }

  /** What the page says about one input's freshness, the fallback included when it is in force. */
  function inputState(input, body) {
    if (!input.stale) { return { text: 'fresh', className: 'market-fresh' }; }
    var why = input.value === null ? 'stale: no price yet' : 'stale: older than ' + duration(input.max_age_seconds);
    var fallback = body.fallback || {};
    if (input.input === body.strike_on) {
      why += '; fallback ' + fallback.policy + ' in force';
      if (fallback.policy === 'assume-price' && isNumber(fallback.assume_usd_per_mwh)) {
        why += ' (' + num(fallback.assume_usd_per_mwh, 2) + ' USD/MWh assumed)';
      }
    } else if (input.input === 'hashprice') {
      why += isNumber(fallback.assume_hashprice_usd_per_ph_day)
        ? '; fallback: ' + num(fallback.assume_hashprice_usd_per_ph_day, 2) + ' USD/PH/day assumed'
        : '; no break-even: every model struck';
    }
    return { text: why, className: 'market-stale' };
  }

  function renderInputs(body) {
    var rows = document.createDocumentFragment();
    (body.inputs || []).forEach(function (input) {
      var tr = element('tr');
      tr.dataset.input = input.input;
      cell(tr, input.input);
      cell(tr, input.value === null ? 'no price' : num(input.value, 2) + ' ' + input.unit, 'num');
      cell(tr, input.time ? utc(input.time) : '—');
      cell(tr, input.age_seconds === undefined ? '—' : duration(input.age_seconds), 'num');
      cell(tr, duration(input.max_age_seconds), 'num');
      var state = inputState(input, body);
      cell(tr, '').appendChild(element('span', state.text, 'market-state ' + state.className));
      var source = cell(tr, input.source || '');
      if (input.failures) {
        source.appendChild(element('span', ' · ' + input.failures + ' failed reads' +
          (input.last_failure ? ', last: ' + input.last_failure : ''), 'market-failures'));
      }
      rows.appendChild(tr);
    });
    document.querySelector('#market-inputs tbody').replaceChildren(rows);
  }

  function strikeOf(body, kind, name) {
    return (body.strikes || []).filter(function (s) { return s.kind === kind && s.name === name; })[0];
  }

  function renderModels(body) {
    var margin = body.rules ? body.rules.margin_usd_per_mwh : 0;
    var rows = document.createDocumentFragment();
    var all = (body.models || []).map(function (m) { return { kind: 'model', name: m.model, be: m }; })
      .concat((body.classes || []).map(function (c) { return { kind: 'class', name: c['class'], be: c }; }));
    all.forEach(function (entry) {
      var be = entry.be;
      var strike = strikeOf(body, entry.kind, entry.name);
      var tr = element('tr', null, strike ? 'market-struck' : null);
      tr.dataset.model = entry.name;
      cell(tr, entry.kind === 'class' ? 'class ' + entry.name : entry.name);
      cell(tr, num(be.j_per_th, 1) + ' J/TH (' + be.efficiency_source + ')', 'num');
      cell(tr, num(be.hashprice_usd_per_ph_day, 2) + ' USD/PH/day', 'num');
      cell(tr, num(be.revenue_usd_per_kwh, 4) + ' USD/kWh', 'num');
      cell(tr, num(be.break_even_usd_per_mwh, 2) + ' USD/MWh', 'num');
      var state = cell(tr, '');
      if (strike) {
        state.appendChild(element('span', 'struck', 'market-state market-stale'));
        state.appendChild(element('span', ' since ' + utc(strike.since) + ': ' + strike.reason, 'market-reason'));
      } else {
        state.appendChild(element('span', 'mining', 'market-state market-fresh'));
        if (isNumber(be.break_even_usd_per_mwh)) {
          state.appendChild(element('span', ' (struck above ' + num(be.break_even_usd_per_mwh + margin, 2) +
            ' USD/MWh for ' + body.rules.curtail_after_intervals + ' intervals)', 'market-reason'));
        }
      }
      rows.appendChild(tr);
    });
    // A strike whose model the last decision no longer lists (e.g. nothing measured) still shows.
    (body.strikes || []).forEach(function (s) {
      var listed = all.some(function (e) { return e.kind === s.kind && e.name === s.name; });
      if (listed) { return; }
      var tr = element('tr', null, 'market-struck');
      tr.dataset.model = s.name;
      cell(tr, s.kind === 'class' ? 'class ' + s.name : s.name);
      for (var i = 0; i < 4; i++) { cell(tr, '—', 'num'); }
      var state = cell(tr, '');
      state.appendChild(element('span', 'struck', 'market-state market-stale'));
      state.appendChild(element('span', ' since ' + utc(s.since) + ': ' + s.reason, 'market-reason'));
      rows.appendChild(tr);
    });
    document.querySelector('#market-models tbody').replaceChildren(rows);
    document.getElementById('market-models').hidden = all.length === 0 && (body.strikes || []).length === 0;
    document.getElementById('market-models-none').hidden = !(all.length === 0 && (body.strikes || []).length === 0);
  }

  function ledgerCells(tr, h) {
    cell(tr, num(h.energy_kwh, 1), 'num');
    cell(tr, num(h.energy_cost_usd, 2), 'num');
    cell(tr, num(h.hash_revenue_usd, 2), 'num');
    cell(tr, num(h.ai_kwh, 1), 'num');
    cell(tr, num(h.ai_revenue_usd, 2), 'num');
    cell(tr, num(h.curtailed_mwh, 3), 'num');
    cell(tr, num(h.margin_usd, 2), 'num');
    cell(tr, num(h.counterfactual_margin_usd, 2), 'num');
    cell(tr, num(h.gain_usd, 2), 'num');
    cell(tr, duration(h.unpriced_seconds), 'num');
  }

  function renderSummary(summary) {
    var hours = summary.hours || [];
    var rows = document.createDocumentFragment();
    hours.slice().reverse().forEach(function (h) {
      var tr = element('tr');
      tr.dataset.hour = h.hour;
      var th = element('th', utc(h.hour));
      th.scope = 'row';
      tr.appendChild(th);
      ledgerCells(tr, h);
      rows.appendChild(tr);
    });
    document.querySelector('#market-hours tbody').replaceChildren(rows);
    var total = element('tr');
    var th = element('th', 'Total, ' + hours.length + (hours.length === 1 ? ' hour' : ' hours'));
    th.scope = 'row';
    total.appendChild(th);
    ledgerCells(total, summary.total || {});
    document.querySelector('#market-hours tfoot').replaceChildren(total);
    document.getElementById('market-hours').hidden = hours.length === 0;
    document.getElementById('market-hours-none').hidden = hours.length > 0;
  }

  function render(body, summary) {
    var struck = (body.strikes || []).length;
    var price = isNumber(body.strike_price_usd_per_mwh) ? num(body.strike_price_usd_per_mwh, 2) + ' USD/MWh' : 'none';
    status('Policy: ' + body.policy + ' · strike price (' + body.strike_on + ') ' + price + ' · ' +
      (struck === 0 ? 'nothing struck' : struck + (struck === 1 ? ' strike' : ' strikes')) +
      (body.decided_at ? ' · decided ' + utc(body.decided_at) : ''), struck > 0 ? 'market-alert' : null);
    renderInputs(body);
    renderModels(body);
    renderSummary(summary);
    document.getElementById('market-body').hidden = false;
  }

  /** GETs a JSON body, or rejects with the API's error text; a 404 resolves to {missing: text}. */
  function get(url) {
    return fetch(url, { cache: 'no-store' }).then(function (response) {
      if (response.status === 404) { return errorText(response).then(function (t) { return { missing: t }; }); }
      if (!response.ok) { return errorText(response).then(function (t) { throw new Error(t); }); }
      return response.json();
    });
  }

  /** One poll; the promise never rejects (a failure is said in the section). */
  function refresh() {
    return Promise.all([get('/api/v1/market'), get('/api/v1/market/summary?hours=' + HOURS)])
      .then(function (both) {
        var body = both[0];
        var summary = both[1];
        if (body.missing !== undefined) {
          document.getElementById('market-body').hidden = true;
          // The API says "no market: add a 'market' section to controller.yaml (docs/market.md)".
          status('No market configured: ' + body.missing.replace(/^no market: /, '') + '.', 'market-none');
          return;
        }
        if (summary.missing !== undefined) { throw new Error(summary.missing); }
        render(body, summary);
      })
      .catch(function (e) {
        status('Cannot read the market (' + e.message + '); the values below may be out of date.', 'market-alert');
      });
  }

  /**
   * A market event of the device stream: what GET /api/v1/market answers with the summary of the last HOURS
   * beside it (its 404 body without a market), rendered as a poll's answer would be.
   */
  function streamed(data) {
    if (data.error !== undefined) {
      document.getElementById('market-body').hidden = true;
      status('No market configured: ' + String(data.error).replace(/^no market: /, '') + '.', 'market-none');
      return;
    }
    render(data, data.summary || {});
  }

  window.HeadroomMarket = { refresh: refresh, streamed: streamed };
}());
