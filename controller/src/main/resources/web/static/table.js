// The racks-and-devices table (D45): rows (rows.js) kept from the device stream (app.js feeds it), triage filters,
// sort, and the virtualised grid (grid.js) that shows the matching rows. Saved views are views.js, selection actions
// actions.js. Every device-supplied string goes in through textContent, never innerHTML.
(function () {
  'use strict';
  var ROW_HEIGHT = 30;
  /** Flag names of the device JSON's "flags" (docs/http-api.md), in the order the quick filters show them. */
  var FLAGS = ['hot', 'offline', 'stale', 'under-hashing', 'fan-failed', 'board-failed', 'misconfigured', 'curtailed'];
  var STATUSES = ['ONLINE', 'DEGRADED', 'OFFLINE', 'STALE'];
  var MODES = {0: 'sleep', 1: 'normal', 2: 'low-power', 3: 'high-power'};
  var SORTS = {
    id: 'Device id', power: 'Power (W)', jth: 'Efficiency (J/TH)', temp: 'Chip temperature (°C)',
    age: 'Last reading (age)', since: 'Status since (age)'
  };
  var DEFAULT_FILTERS = { flags: [], status: '', kind: '', where: '', q: '', sort: 'id', dir: 'asc' };

  var rowsById = new Map();
  var filters = copyFilters(DEFAULT_FILTERS);
  var grid = null;
  var recomputeFrame = 0;
  var shown = [];
  var listeners = [];
  /** How often the rows were replaced and how many were patched: for a test to tell a reload from an update. */
  var stats = { replaced: 0, patched: 0 };
  /** While the stream's snapshot is still coming in parts: how many devices it has in all; 0 otherwise. */
  var loadingTotal = 0;

  function copyFilters(f) {
    return { flags: f.flags.slice(), status: f.status, kind: f.kind, where: f.where, q: f.q, sort: f.sort, dir: f.dir };
  }

  function age(ms) {
    if (ms === null) { return '—'; }
    var s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 120) { return s + ' s ago'; }
    if (s < 7200) { return Math.round(s / 60) + ' min ago'; }
    return Math.round(s / 3600) + ' h ago';
  }

  function fmt(value, digits) {
    return value === null ? '—' : value.toFixed(digits);
  }

  function text(key, digits) {
    return function (cell, row) {
      var v = row[key];
      cell.textContent = typeof v === 'number' ? v.toFixed(digits) : (v === null || v === undefined ? '—' : String(v));
    };
  }

  var COLUMNS = [
    { key: 'select', label: 'Select', width: '2.4em', className: 'select', hiddenLabel: true, render: function (cell, row) {
      var box = cell.firstChild;
      if (!box) {
        box = document.createElement('input');
        box.type = 'checkbox';
        box.className = 'row-select';
        cell.appendChild(box);
      }
      box.setAttribute('aria-label', 'Select ' + row.id);
    } },
    { key: 'id', label: 'Device', width: 'minmax(8em, 1.2fr)', sortable: true, render: function (cell, row) {
      var link = cell.firstChild;
      if (!link) { link = document.createElement('a'); cell.appendChild(link); }
      // The device page (device.js); an id is any text, so it is encoded into the link.
      link.href = '#/device/' + encodeURIComponent(row.id);
      link.textContent = row.id;
    } },
    { key: 'agent', label: 'Agent / rack', width: 'minmax(6em, 1fr)', render: function (cell, row) {
      cell.textContent = String(row.device.agent || '') + (row.device.rack ? ' / ' + row.device.rack : '');
    } },
    { key: 'kind', label: 'Kind', width: '6.5em', render: function (cell, row) { cell.textContent = row.device.kind; } },
    { key: 'model', label: 'Model', width: 'minmax(7em, 1fr)', render: function (cell, row) {
      cell.textContent = row.device.model;
      cell.title = row.device.model;
    } },
    { key: 'status', label: 'Status', width: '10em', render: function (cell, row) {
      var d = row.device;
      var badge = document.createElement('span');
      badge.className = 'status status-' + (STATUSES.indexOf(d.status) >= 0 ? d.status : 'STALE');
      badge.textContent = d.status;
      badge.title = [d.statusReason, d.statusMessage].filter(Boolean).join(': ');
      // Mode codes from docs/metrics.md: a miner asleep on purpose must not look like a fault.
      var mode = d.metrics && d.metrics.mode ? MODES[d.metrics.mode.value] : undefined;
      if (mode && mode !== 'normal') {
        var tag = document.createElement('span');
        tag.className = 'mode mode-' + mode;
        tag.textContent = mode;
        cell.replaceChildren(badge, tag);
      } else {
        cell.replaceChildren(badge);
      }
    } },
    { key: 'flags', label: 'Flags (why)', width: 'minmax(9em, 2fr)', className: 'why', render: function (cell, row) {
      cell.textContent = row.why;
      cell.title = row.why;
    } },
    { key: 'power', label: 'Power (W)', width: '6.5em', className: 'num', sortable: true, render: text('power', 0) },
    { key: 'hash', label: 'Hashrate (TH/s)', width: '7.5em', className: 'num', render: text('hash', 1) },
    { key: 'jth', label: 'Efficiency (J/TH)', width: '7.5em', className: 'num', sortable: true, render: text('jth', 1) },
    { key: 'temp', label: 'Chip temp. max (°C)', width: '8.5em', className: 'num', sortable: true,
      render: text('temp', 1) },
    { key: 'age', label: 'Last reading (age)', width: '8.5em', className: 'num', sortable: true,
      render: function (cell, row) { cell.textContent = age(row.last); } }
  ];

  function matches(row) {
    var d = row.device;
    if (filters.flags.length > 0 && !filters.flags.some(function (f) { return row.flags[f] !== undefined; })) {
      return false;
    }
    if (filters.status && d.status !== filters.status) { return false; }
    if (filters.kind && d.kind !== filters.kind) { return false; }
    if (filters.where && row.where.indexOf(filters.where.toLowerCase()) < 0) { return false; }
    return !filters.q || row.search.indexOf(filters.q.toLowerCase()) >= 0;
  }

  /** Sort value: numbers, larger is later; age sorts the newest first ascending. Null: no value (always last). */
  function sortValue(row, key) {
    if (key === 'age') { return row.last === null ? null : -row.last; }
    if (key === 'since') { return row.since === null ? null : -row.since; }
    return row[key];
  }

  function compare(a, b) {
    if (filters.sort === 'id') {
      var c = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      return filters.dir === 'desc' ? -c : c;
    }
    var va = a.sortValue;
    var vb = b.sortValue;
    if (va === null || vb === null) {
      return va === null ? (vb === null ? (a.id < b.id ? -1 : 1) : 1) : -1;
    }
    var d = va - vb;
    if (d === 0) { return a.id < b.id ? -1 : a.id > b.id ? 1 : 0; }
    return filters.dir === 'desc' ? -d : d;
  }

  function scheduleRecompute() {
    if (recomputeFrame === 0) { recomputeFrame = requestAnimationFrame(recompute); }
  }

  /** Filters and sorts every row, counts each flag over all of them, and hands the matching rows to the grid. */
  function recompute() {
    recomputeFrame = 0;
    var counts = {};
    FLAGS.forEach(function (f) { counts[f] = 0; });
    var kinds = {};
    var matching = [];
    rowsById.forEach(function (row) {
      row.flagNames.forEach(function (f) { counts[f] = (counts[f] || 0) + 1; });
      kinds[row.device.kind] = true;
      if (matches(row)) {
        row.sortValue = sortValue(row, filters.sort);
        matching.push(row);
      }
    });
    matching.sort(compare);
    shown = matching;
    grid.setRows(matching);
    grid.setSort(filters.sort, filters.dir);
    renderFlagButtons(counts);
    renderKinds(Object.keys(kinds).sort());
    document.getElementById('empty').hidden = rowsById.size > 0;
    document.getElementById('devices-none').hidden = rowsById.size === 0 || matching.length > 0;
    countText();
    listeners.forEach(function (l) { l(); });
  }

  function countText() {
    document.getElementById('devices-count').textContent = shown.length + ' of ' + rowsById.size
      + ' devices shown · ' + grid.selected().size + ' selected';
  }

  function renderFlagButtons(counts) {
    var box = document.getElementById('device-flags');
    if (box.children.length === 0) {
      FLAGS.forEach(function (f) {
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'flag-filter flag-' + f;
        b.dataset.flag = f;
        b.addEventListener('click', function () {
          var next = copyFilters(filters);
          var i = next.flags.indexOf(f);
          if (i >= 0) { next.flags.splice(i, 1); } else { next.flags.push(f); }
          setFilters(next);
        });
        box.appendChild(b);
      });
    }
    Array.prototype.forEach.call(box.children, function (b) {
      var f = b.dataset.flag;
      b.textContent = f + ' ' + (counts[f] || 0);
      b.setAttribute('aria-pressed', String(filters.flags.indexOf(f) >= 0));
    });
  }

  function renderKinds(kinds) {
    var select = document.getElementById('filter-kind');
    var have = Array.prototype.slice.call(select.options, 1).map(function (o) { return o.value; });
    if (filters.kind && kinds.indexOf(filters.kind) < 0) { kinds.push(filters.kind); }
    if (have.join() !== kinds.join()) {
      var options = [select.options[0]];
      kinds.forEach(function (k) {
        var o = document.createElement('option');
        o.value = k;
        o.textContent = k;
        options.push(o);
      });
      select.replaceChildren.apply(select, options);
    }
    select.value = filters.kind;
  }

  /** Shows the filter controls as {@code filters} says. */
  function syncControls() {
    document.getElementById('filter-status').value = filters.status;
    document.getElementById('filter-kind').value = filters.kind;
    document.getElementById('filter-where').value = filters.where;
    document.getElementById('filter-q').value = filters.q;
    document.getElementById('filter-sort').value = filters.sort;
    document.getElementById('filter-dir').value = filters.dir;
  }

  /** Sanitised filters from anything (a saved view, a link): unknown fields dropped, bad values replaced. */
  function cleanFilters(input) {
    var f = copyFilters(DEFAULT_FILTERS);
    if (!input || typeof input !== 'object') { return f; }
    if (Array.isArray(input.flags)) {
      f.flags = input.flags.filter(function (x, i, all) { return FLAGS.indexOf(x) >= 0 && all.indexOf(x) === i; });
    }
    if (STATUSES.indexOf(input.status) >= 0) { f.status = input.status; }
    ['kind', 'where', 'q'].forEach(function (k) {
      if (typeof input[k] === 'string') { f[k] = input[k].slice(0, 200); }
    });
    if (SORTS[input.sort]) { f.sort = input.sort; }
    if (input.dir === 'desc') { f.dir = 'desc'; }
    return f;
  }

  function setFilters(next) {
    filters = cleanFilters(next);
    syncControls();
    grid.select([]);
    scheduleRecompute();
  }

  function readControls() {
    var next = copyFilters(filters);
    next.status = document.getElementById('filter-status').value;
    next.kind = document.getElementById('filter-kind').value;
    next.where = document.getElementById('filter-where').value.trim();
    next.q = document.getElementById('filter-q').value.trim();
    next.sort = document.getElementById('filter-sort').value;
    next.dir = document.getElementById('filter-dir').value;
    setFilters(next);
  }

  /**
   * Every device, replacing what was there (the stream's snapshot, or a poll). With {@code total}, these are the
   * snapshot's first part of that many: the rest come through loading(), and the table is filtered and sorted
   * once, when the last has come, rather than at every part.
   */
  function replaceAll(devices, total) {
    stats.replaced++;
    rowsById = new Map();
    devices.forEach(function (d) { rowsById.set(String(d.id), window.HeadroomRows.toRow(d)); });
    loadingTotal = total === undefined ? 0 : total;
    if (loadingTotal > 0) {
      loadingText();
    } else {
      scheduleRecompute();
    }
  }

  /** A further part of the snapshot; {@code complete} with its last. */
  function loading(devices, complete) {
    devices.forEach(function (d) { rowsById.set(String(d.id), window.HeadroomRows.toRow(d)); });
    if (complete) {
      loadingTotal = 0;
      scheduleRecompute();
    } else {
      loadingText();
    }
  }

  function loadingText() {
    document.getElementById('devices-count').textContent = 'Loading devices: ' + rowsById.size + ' of '
      + loadingTotal + '…';
  }

  /** The devices that changed. */
  function patch(devices) {
    stats.patched += devices.length;
    devices.forEach(function (d) { rowsById.set(String(d.id), window.HeadroomRows.toRow(d)); });
    if (loadingTotal === 0) { scheduleRecompute(); }
  }

  function remove(ids) {
    ids.forEach(function (id) { rowsById.delete(String(id)); });
    scheduleRecompute();
  }

  function init() {
    var sort = document.getElementById('filter-sort');
    Object.keys(SORTS).forEach(function (k) {
      var o = document.createElement('option');
      o.value = k;
      o.textContent = SORTS[k];
      sort.appendChild(o);
    });
    grid = window.HeadroomGrid.create(document.getElementById('devices'), {
      columns: COLUMNS,
      rowHeight: ROW_HEIGHT,
      label: 'Devices',
      onOpen: function (row) { window.location.hash = '#/device/' + encodeURIComponent(row.id); },
      onSort: function (key) {
        var next = copyFilters(filters);
        next.dir = filters.sort === key && filters.dir === 'asc' ? 'desc' : 'asc';
        next.sort = key;
        setFilters(next);
      },
      onSelection: function () { countText(); listeners.forEach(function (l) { l(); }); }
    });
    ['filter-status', 'filter-kind', 'filter-sort', 'filter-dir'].forEach(function (id) {
      document.getElementById(id).addEventListener('change', readControls);
    });
    ['filter-where', 'filter-q'].forEach(function (id) {
      document.getElementById(id).addEventListener('input', readControls);
    });
    document.getElementById('filter-clear').addEventListener('click', function () { setFilters(DEFAULT_FILTERS); });
    document.getElementById('select-matching').addEventListener('click', function () {
      grid.select(shown.map(function (r) { return r.id; }));
    });
    document.getElementById('select-none').addEventListener('click', function () { grid.select([]); });
    syncControls();
    scheduleRecompute();
    // Ages ("12 s ago") move on without new data.
    setInterval(function () { grid.refresh(); }, 1000);
  }

  document.addEventListener('DOMContentLoaded', init);

  window.HeadroomTable = {
    FLAGS: FLAGS,
    stats: stats,
    replaceAll: replaceAll,
    loading: loading,
    patch: patch,
    remove: remove,
    filters: function () { return copyFilters(filters); },
    setFilters: setFilters,
    cleanFilters: cleanFilters,
    /** The selected rows, in the table's order. */
    selectedRows: function () {
      var selected = grid.selected();
      return shown.filter(function (r) { return selected.has(r.id); });
    },
    shownRows: function () { return shown; },
    grid: function () { return grid; },
    onChange: function (listener) { listeners.push(listener); },
    fmt: fmt
  };
}());
