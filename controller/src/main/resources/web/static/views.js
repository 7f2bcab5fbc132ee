// Saved views of the device table (D45): a name for the current filters and sort, kept in this browser's
// localStorage (versioned; what cannot be read is set aside with a message, never a blank page), and a link that
// carries the filters themselves in the URL hash (#/devices?flag=hot&sort=temp&dir=desc), so it works in any browser.
// #/view/<name> opens a view saved in this browser.
(function () {
  'use strict';
  var KEY = 'headroom.deviceViews';
  var VERSION = 1;
  var MAX_VIEWS = 50;
  var MAX_NAME = 60;
  var views = {};

  function message(text) {
    var p = document.getElementById('views-message');
    p.textContent = text || '';
    p.hidden = !text;
  }

  /** The saved views, or none with a message when what is stored is not a version-1 list of views. */
  function load() {
    views = {};
    var raw;
    try {
      raw = window.localStorage.getItem(KEY);
    } catch (e) {
      message('Saved views are not available in this browser (' + e.message + ').');
      return;
    }
    if (raw === null) { return; }
    var stored;
    try {
      stored = JSON.parse(raw);
    } catch (e) {
      setAside(raw, 'it is not valid JSON');
      return;
    }
    if (!stored || typeof stored !== 'object' || stored.version !== VERSION || typeof stored.views !== 'object'
        || stored.views === null || Array.isArray(stored.views)) {
      setAside(raw, 'it is not a version-' + VERSION + ' list of views');
      return;
    }
    Object.keys(stored.views).slice(0, MAX_VIEWS).forEach(function (name) {
      if (name.length > 0 && name.length <= MAX_NAME) {
        views[name] = window.HeadroomTable.cleanFilters(stored.views[name]);
      }
    });
  }

  /** Keeps what could not be read under another key (nothing is lost) and starts afresh. */
  function setAside(raw, why) {
    try {
      window.localStorage.setItem(KEY + '.unreadable', raw);
      window.localStorage.removeItem(KEY);
    } catch (e) {
      // Storage refused: the message below still says what happened.
    }
    message('The saved views stored in this browser could not be read (' + why
      + '); they were set aside under ' + KEY + '.unreadable and the table shows all devices.');
  }

  function store() {
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ version: VERSION, views: views }));
      return true;
    } catch (e) {
      message('The view could not be saved in this browser (' + e.message + ').');
      return false;
    }
  }

  function renderList(selectedName) {
    var select = document.getElementById('view-select');
    var options = [select.options[0]];
    Object.keys(views).sort().forEach(function (name) {
      var o = document.createElement('option');
      o.value = name;
      o.textContent = name;
      options.push(o);
    });
    select.replaceChildren.apply(select, options);
    select.value = selectedName && views[selectedName] ? selectedName : '';
  }

  /** The hash that carries {@code filters}: only the fields that differ from showing everything by id. */
  function hashOf(f) {
    var parts = [];
    if (f.flags.length > 0) { parts.push('flag=' + f.flags.map(encodeURIComponent).join(',')); }
    ['status', 'kind', 'where', 'q'].forEach(function (k) {
      if (f[k]) { parts.push(k + '=' + encodeURIComponent(f[k])); }
    });
    if (f.sort !== 'id') { parts.push('sort=' + f.sort); }
    if (f.dir !== 'asc') { parts.push('dir=' + f.dir); }
    return '#/devices' + (parts.length > 0 ? '?' + parts.join('&') : '');
  }

  function filtersOfHash(query) {
    var f = {};
    query.split('&').forEach(function (pair) {
      var i = pair.indexOf('=');
      if (i <= 0) { return; }
      var value;
      try {
        value = decodeURIComponent(pair.slice(i + 1));
      } catch (e) {
        return;
      }
      var key = pair.slice(0, i);
      f[key === 'flag' ? 'flags' : key] = key === 'flag' ? value.split(',') : value;
    });
    return window.HeadroomTable.cleanFilters(f);
  }

  /** Applies a #/devices?… or #/view/<name> hash; any other hash is the device page's or the site's. */
  function route() {
    var hash = window.location.hash;
    var m = /^#\/devices(?:\?(.*))?$/.exec(hash);
    if (m) {
      window.HeadroomTable.setFilters(filtersOfHash(m[1] || ''));
      renderList(null);
      return;
    }
    m = /^#\/view\/(.+)$/.exec(hash);
    if (m) {
      var name;
      try {
        name = decodeURIComponent(m[1]);
      } catch (e) {
        name = m[1];
      }
      if (views[name]) {
        window.HeadroomTable.setFilters(views[name]);
        renderList(name);
      } else {
        message('No saved view ‘' + name + '’ in this browser; the table shows all devices.');
      }
    }
  }

  function updateLink() {
    var link = document.getElementById('view-link');
    link.href = hashOf(window.HeadroomTable.filters());
  }

  function save() {
    var name = document.getElementById('view-name').value.trim();
    if (name.length === 0 || name.length > MAX_NAME) {
      message('A view needs a name of 1 to ' + MAX_NAME + ' characters.');
      return;
    }
    if (!views[name] && Object.keys(views).length >= MAX_VIEWS) {
      message('At most ' + MAX_VIEWS + ' views can be saved; delete one first.');
      return;
    }
    views[name] = window.HeadroomTable.filters();
    if (store()) {
      message(null);
      renderList(name);
    }
  }

  function choose() {
    var name = document.getElementById('view-select').value;
    if (views[name]) {
      window.HeadroomTable.setFilters(views[name]);
      document.getElementById('view-name').value = name;
    }
  }

  function remove() {
    var name = document.getElementById('view-select').value;
    if (!views[name]) { return; }
    delete views[name];
    store();
    renderList(null);
  }

  document.addEventListener('DOMContentLoaded', function () {
    load();
    renderList(null);
    document.getElementById('view-save').addEventListener('click', save);
    document.getElementById('view-select').addEventListener('change', choose);
    document.getElementById('view-delete').addEventListener('click', remove);
    window.HeadroomTable.onChange(updateLink);
    route();
  });
  window.addEventListener('hashchange', route);

  window.HeadroomViews = { route: route, hashOf: hashOf };
}());
