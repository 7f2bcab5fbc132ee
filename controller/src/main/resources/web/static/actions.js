// Actions on the device table's selection (D45, D48, D57): sleep, wake, a power target, locate on or off, for
// operators and admins only (the API refuses a viewer's command too). Each opens the shared confirmation
// (command-dialog.js), which asks the controller's dry-run first, then sends the command to each selected device and
// says each result in words in the table's progress line and results list. Outlets are switched per outlet from the
// PDU's own page (device-actions.js).
(function () {
  'use strict';
  var canWrite = false;

  function part(id) { return document.getElementById(id); }

  function open(verb) {
    if (!canWrite || window.HeadroomCommand.running('table')) { return; }
    var value = null;
    var error = part('action-error');
    error.hidden = true;
    if (verb === 'set-power-target') {
      value = Number(part('action-target-value').value);
      if (part('action-target-value').value === '' || !isFinite(value) || value <= 0) {
        error.textContent = 'Enter the power target in watts (a number above 0).';
        error.hidden = false;
        return;
      }
    }
    var rows = window.HeadroomTable.selectedRows();
    if (rows.length === 0) {
      error.textContent = 'Select devices first: click their boxes, shift-click a range, or "Select all matching".';
      error.hidden = false;
      return;
    }
    window.HeadroomCommand.ask({
      verb: verb,
      value: value,
      instance: '',
      scope: 'table',
      rows: rows,
      progress: part('action-progress'),
      results: part('action-results-list')
    });
  }

  function setRole(role) {
    canWrite = role === 'operator' || role === 'admin';
    window.HeadroomCommand.setRole(role);
    part('device-actions').hidden = !canWrite;
  }

  document.addEventListener('DOMContentLoaded', function () {
    part('action-sleep').addEventListener('click', function () { open('sleep'); });
    part('action-wake').addEventListener('click', function () { open('wake'); });
    part('action-target').addEventListener('click', function () { open('set-power-target'); });
    part('action-locate-on').addEventListener('click', function () { open('locate-on'); });
    part('action-locate-off').addEventListener('click', function () { open('locate-off'); });
  });

  window.HeadroomActions = { setRole: setRole };
}());
