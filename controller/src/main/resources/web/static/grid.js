// A virtualised ARIA grid (D45): only the rows in view, plus a few either side, are in the DOM. Rows have one fixed
// height and sit on a spacer as tall as all of them, so the scroll bar is true to the row count; a scroll or an update
// re-renders only the visible rows, at most once per animation frame, reusing the same row elements. Keyboard: arrows,
// PageUp/PageDown, Home/End move the focused row; Enter opens it; Space toggles its selection. Every cell's text goes
// in through textContent, never innerHTML.
(function () {
  'use strict';
  var OVERSCAN = 8;

  /**
   * Makes a grid in {@code root}. options: columns [{key, label, width, className, sortable, hiddenLabel, render(cell, row)}],
   * rowHeight (px), label (the grid's accessible name), onOpen(row), onSort(key), onSelection(selectedIds).
   */
  function create(root, options) {
    var rowHeight = options.rowHeight;
    var columns = options.columns;
    var rows = [];
    var selected = new Set();
    var anchor = -1;
    var focused = -1;
    var frame = 0;
    var pool = [];
    var sortKey = null;
    var sortDir = 'asc';
    var template = columns.map(function (c) { return c.width; }).join(' ');

    root.setAttribute('role', 'grid');
    root.setAttribute('aria-label', options.label);
    root.setAttribute('aria-multiselectable', 'true');
    root.setAttribute('aria-colcount', String(columns.length));
    root.classList.add('vgrid');

    var head = document.createElement('div');
    head.className = 'vgrid-head';
    head.setAttribute('role', 'rowgroup');
    var headRow = document.createElement('div');
    headRow.className = 'vgrid-row';
    headRow.setAttribute('role', 'row');
    headRow.setAttribute('aria-rowindex', '1');
    headRow.style.gridTemplateColumns = template;
    var headers = columns.map(function (c, i) {
      var th = document.createElement('div');
      th.setAttribute('role', 'columnheader');
      th.setAttribute('aria-colindex', String(i + 1));
      th.className = 'vgrid-cell' + (c.className ? ' ' + c.className : '');
      if (c.sortable) {
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'sort-button';
        button.textContent = c.label;
        button.dataset.sort = c.key;
        button.addEventListener('click', function () { options.onSort(c.key); });
        th.appendChild(button);
      } else if (c.hiddenLabel) {
        var label = document.createElement('span');
        label.className = 'visually-hidden';
        label.textContent = c.label;
        th.appendChild(label);
      } else {
        th.textContent = c.label;
      }
      headRow.appendChild(th);
      return th;
    });
    head.appendChild(headRow);

    var viewport = document.createElement('div');
    viewport.className = 'vgrid-viewport';
    viewport.setAttribute('role', 'rowgroup');
    // The grid itself takes the keyboard focus and names its focused row (aria-activedescendant); the viewport
    // only scrolls.
    root.tabIndex = 0;
    var sizer = document.createElement('div');
    sizer.className = 'vgrid-sizer';
    viewport.appendChild(sizer);
    root.replaceChildren(head, viewport);

    function schedule() {
      if (frame === 0) { frame = requestAnimationFrame(render); }
    }

    function rowElement() {
      var el = document.createElement('div');
      el.className = 'vgrid-row vgrid-body-row';
      el.setAttribute('role', 'row');
      el.style.gridTemplateColumns = template;
      el.style.height = rowHeight + 'px';
      el.cells = columns.map(function (c, i) {
        var cell = document.createElement('div');
        cell.setAttribute('role', 'gridcell');
        cell.setAttribute('aria-colindex', String(i + 1));
        cell.className = 'vgrid-cell' + (c.className ? ' ' + c.className : '');
        el.appendChild(cell);
        return cell;
      });
      el.dataset.index = '-1';
      sizer.appendChild(el);
      return el;
    }

    /** Fills the pooled rows with the rows now in view; a row already showing the same version is left alone. */
    function render() {
      frame = 0;
      var top = viewport.scrollTop;
      var height = viewport.clientHeight || rowHeight * 20;
      var first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
      var last = Math.min(rows.length, Math.ceil((top + height) / rowHeight) + OVERSCAN);
      var count = Math.max(0, last - first);
      while (pool.length < count) { pool.push(rowElement()); }
      for (var k = 0; k < pool.length; k++) {
        var el = pool[k];
        if (k >= count) {
          if (!el.hidden) { el.hidden = true; el.shown = null; }
          continue;
        }
        var index = first + k;
        var row = rows[index];
        el.hidden = false;
        if (el.shown !== row || el.version !== row.version || el.index !== index) {
          el.shown = row;
          el.version = row.version;
          el.index = index;
          el.dataset.index = String(index);
          el.dataset.id = row.id;
          el.setAttribute('aria-rowindex', String(index + 2));
          el.style.transform = 'translateY(' + (index * rowHeight) + 'px)';
          el.selectedState = undefined;
          for (var c = 0; c < columns.length; c++) { columns[c].render(el.cells[c], row); }
        }
        var isSelected = selected.has(row.id);
        if (el.selectedState !== isSelected) {
          el.selectedState = isSelected;
          el.setAttribute('aria-selected', String(isSelected));
          el.classList.toggle('selected', isSelected);
          var box = el.querySelector('input.row-select');
          if (box) { box.checked = isSelected; }
        }
        var isFocused = index === focused;
        el.classList.toggle('focused', isFocused);
        el.id = isFocused ? root.id + '-focused' : '';
      }
      if (focused >= first && focused < last) {
        root.setAttribute('aria-activedescendant', root.id + '-focused');
      } else {
        root.removeAttribute('aria-activedescendant');
      }
    }

    /** Replaces the rows (already filtered and sorted); the selection keeps only ids still shown. */
    function setRows(next) {
      var focusedId = focused >= 0 && focused < rows.length ? rows[focused].id : null;
      rows = next;
      sizer.style.height = (rows.length * rowHeight) + 'px';
      root.setAttribute('aria-rowcount', String(rows.length + 1));
      if (focusedId !== null) {
        focused = -1;
        for (var i = 0; i < rows.length; i++) {
          if (rows[i].id === focusedId) { focused = i; break; }
        }
      }
      if (focused >= rows.length) { focused = rows.length - 1; }
      schedule();
    }

    /** Forces every visible row to be filled again (e.g. ages that read "s ago"). */
    function refresh() {
      pool.forEach(function (el) { el.shown = null; });
      schedule();
    }

    function notifySelection() {
      schedule();
      options.onSelection(selected);
    }

    function toggle(index, extend) {
      if (index < 0 || index >= rows.length) { return; }
      var id = rows[index].id;
      if (extend && anchor >= 0 && anchor < rows.length) {
        var from = Math.min(anchor, index);
        var to = Math.max(anchor, index);
        var on = !selected.has(id) || selected.has(rows[anchor].id);
        for (var i = from; i <= to; i++) {
          if (on) { selected.add(rows[i].id); } else { selected.delete(rows[i].id); }
        }
      } else if (selected.has(id)) {
        selected.delete(id);
      } else {
        selected.add(id);
      }
      anchor = index;
      notifySelection();
    }

    function focusRow(index) {
      if (rows.length === 0) { return; }
      focused = Math.max(0, Math.min(rows.length - 1, index));
      var top = focused * rowHeight;
      if (top < viewport.scrollTop) {
        viewport.scrollTop = top;
      } else if (top + rowHeight > viewport.scrollTop + viewport.clientHeight) {
        viewport.scrollTop = top + rowHeight - viewport.clientHeight;
      }
      schedule();
    }

    viewport.addEventListener('scroll', schedule, { passive: true });
    root.addEventListener('focusin', function () {
      if (focused < 0 && rows.length > 0) { focusRow(Math.floor(viewport.scrollTop / rowHeight)); }
    });
    root.addEventListener('keydown', function (event) {
      if (event.target.closest && event.target.closest('input, button, a')) { return; }
      var page = Math.max(1, Math.floor(viewport.clientHeight / rowHeight) - 1);
      var moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
      if (moves[event.key] !== undefined) {
        focusRow((focused < 0 ? 0 : focused) + moves[event.key]);
      } else if (event.key === 'Home') {
        focusRow(0);
      } else if (event.key === 'End') {
        focusRow(rows.length - 1);
      } else if (event.key === 'Enter' && focused >= 0) {
        options.onOpen(rows[focused]);
      } else if (event.key === ' ' && focused >= 0) {
        toggle(focused, event.shiftKey);
      } else {
        return;
      }
      event.preventDefault();
    });
    sizer.addEventListener('click', function (event) {
      var el = event.target.closest('.vgrid-body-row');
      if (!el || el.index === undefined) { return; }
      var index = el.index;
      if (event.target.matches('input.row-select')) {
        toggle(index, event.shiftKey);
      } else if (event.target.closest('a')) {
        return;
      } else if (event.shiftKey) {
        toggle(index, true);
      } else {
        focused = index;
        anchor = index;
        schedule();
      }
      root.focus({ preventScroll: true });
    });

    return {
      setRows: setRows,
      refresh: refresh,
      viewport: viewport,
      rows: function () { return rows; },
      selected: function () { return selected; },
      select: function (ids) { selected = new Set(ids); anchor = -1; notifySelection(); },
      focusRow: focusRow,
      setSort: function (key, dir) {
        sortKey = key;
        sortDir = dir;
        headers.forEach(function (th, i) {
          var c = columns[i];
          if (!c.sortable) { return; }
          th.setAttribute('aria-sort', c.key === sortKey ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none');
        });
      }
    };
  }

  window.HeadroomGrid = { create: create };
}());
