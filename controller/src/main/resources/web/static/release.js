// Releasing a device in conflict from its page (D50, D52): the device page's "Claimed by" fact, and for an admin a
// "Release to <claimants>…" button whose confirmation names the device, the owner it is taken from and the
// claimants, then POST /api/v1/devices/{id}/release. The answer is said in words in the page's release status line
// (#device-release-result): the controller's message on 200 (and the page reloads the device), its words on 409 (the
// owner still connected, nobody left to hand it to), and a refusal, server error or unreachable controller likewise.
// Operators and viewers see the fact and who can release it, no button; the API refuses them too.
// Every API-supplied string goes in through textContent, never innerHTML.
(function () {
  'use strict';
  var role = null;
  /** The device whose release is asked or running: { id, owner, claimants }; null when the dialog is closed. */
  var pending = null;
  var running = false;

  function element(tag, text) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function part(id) { return document.getElementById(id); }

  function list(names) {
    return names.length <= 1 ? names.join('') : names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
  }

  /** Says {@code text} in the page's release status line, as a failure when {@code failed}. */
  function say(id, text, failed) {
    var line = part('device-release-result');
    // The answer may come after the user went to another device's page: it is not that device's news.
    if (line === null || window.HeadroomDevice.shown() !== id) { return; }
    line.textContent = text;
    line.className = failed ? 'form-error' : '';
    line.hidden = !text;
  }

  /** Fills the "Claimed by" fact of device {@code d}, whose {@code conflict} lists its owner, then the claimants. */
  function fact(dd, d) {
    var owner = d.conflict[0];
    var claimants = d.conflict.slice(1);
    dd.appendChild(document.createTextNode(d.conflict.join(', ') + ' — ' + owner + ' owns it; commands to it are'
      + ' refused while another agent claims it.'));
    if (role !== 'admin') {
      dd.appendChild(document.createTextNode(' An admin can release it to ' + list(claimants) + ' once ' + owner
        + ' is gone.'));
      return;
    }
    var button = element('button', 'Release to ' + list(claimants) + '…');
    button.type = 'button';
    button.id = 'device-release';
    button.disabled = running;
    button.addEventListener('click', function () { open({ id: d.id, owner: owner, claimants: claimants }); });
    dd.appendChild(document.createTextNode(' '));
    dd.appendChild(button);
  }

  function open(device) {
    if (role !== 'admin' || running) { return; }
    pending = device;
    part('release-title').textContent = 'Release device ' + device.id + ' from ' + device.owner + '?';
    part('release-text').textContent = device.owner + ' loses ' + device.id + ' and ' + list(device.claimants)
      + (device.claimants.length > 1 ? ' are' : ' is') + ' asked for a fresh Birth; the first to send one owns it.'
      + ' Commands to ' + device.id + ' stay refused until a claimant\u2019s Birth takes it. The controller refuses'
      + ' while ' + device.owner + ' is still connected.';
    part('release-busy').textContent = '';
    part('release-confirm').disabled = false;
    var dialog = part('release-dialog');
    if (typeof dialog.showModal === 'function') { dialog.showModal(); } else { dialog.setAttribute('open', ''); }
    // Cancel first: a release moves where the device's commands go.
    part('release-cancel').focus();
  }

  function close() {
    var dialog = part('release-dialog');
    if (dialog.open) {
      if (typeof dialog.close === 'function') { dialog.close(); } else { dialog.removeAttribute('open'); }
    }
  }

  /** Back where the user was: the page's button when it is still there, else the device's heading. */
  function refocus() {
    var button = part('device-release');
    var target = button !== null && !button.disabled && button.offsetParent !== null ? button : part('device-heading');
    if (target !== null) { target.focus(); }
  }

  function busy(on) {
    running = on;
    part('release-confirm').disabled = on;
    var button = part('device-release');
    if (button !== null) { button.disabled = on; }
  }

  function errorText(response) {
    return response.json()
      .then(function (body) { return body.error || ('HTTP ' + response.status); },
            function () { return 'HTTP ' + response.status; });
  }

  function release() {
    var device = pending;
    if (device === null || running) { return; }
    busy(true);
    part('release-busy').textContent = 'Releasing ' + device.id + '…';
    // Like every write of the page: same origin, a JSON body, the session cookie (api-security.md).
    fetch('/api/v1/devices/' + encodeURIComponent(device.id) + '/release', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}'
    })
      .then(function (response) {
        if (response.ok) {
          return response.json().then(function (answer) {
            finish();
            say(device.id, answer.message, false);
            return window.HeadroomDevice.released(device.id, answer.releasedFrom, answer.claimants);
          });
        }
        return errorText(response).then(function (text) {
          finish();
          say(device.id, refusal(response.status, text), true);
          // Not released, but the conflict may have changed meanwhile (the owner's agent gone, a claimant stopped).
          if (response.status === 409) { return window.HeadroomDevice.refresh(); }
        });
      }, function (e) {
        finish();
        say(device.id, 'Cannot reach the controller (' + e.message + '): the release of ' + device.id
          + ' may not have been made; the page shows the device as the controller last said.', true);
      })
      .catch(function (e) {
        finish();
        say(device.id, 'The controller\u2019s answer to the release of ' + device.id + ' could not be read ('
          + e.message + ').', true);
      })
      .finally(refocus);
  }

  /** The request is answered: the dialog closes and the page's button works again. */
  function finish() {
    pending = null;
    busy(false);
    close();
  }

  function refusal(status, text) {
    if (status === 409) { return 'Not released: ' + text + '.'; }
    if (status === 403) { return 'Not released: only an admin may release a device (' + text + ').'; }
    if (status === 401) { return 'Not released: your session has ended; sign in again.'; }
    return 'Not released (HTTP ' + status + '): ' + text + '.';
  }

  function setRole(newRole) {
    role = newRole;
    if (role !== 'admin' && !running) { pending = null; close(); }
  }

  document.addEventListener('DOMContentLoaded', function () {
    part('release-confirm').addEventListener('click', release);
    part('release-cancel').addEventListener('click', close);
    // Escape (the dialog's own cancel) and Cancel both end here; a running release still says its answer.
    part('release-dialog').addEventListener('close', function () {
      if (!running) { pending = null; refocus(); }
    });
  });

  window.HeadroomRelease = { fact: fact, setRole: setRole };
}());
