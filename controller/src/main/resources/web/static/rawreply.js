// The device page's "Raw last reply" section (D58): for a technician's bug report, what the device itself last
// answered its agent's poll. An operator or admin presses "Fetch the device's last reply": POST
// /api/v1/devices/{id}/last-reply sends a read-last-reply command through the agent, then GET
// /api/v1/devices/{id}/last-reply?command=… is read until the agent answered. Shown: what the poll asked, when the
// reply was read, whether it was cut, and the reply itself in a <pre>, with a Copy button. Every string from the API
// (the device's own text above all) goes in through textContent, never innerHTML. Viewers see why there is no button.
(function () {
  'use strict';
  /** How often and how long the page looks for the agent's answer (the command's ttl is 10 s, +5 s grace). */
  var POLL_MS = 500;
  var POLL_LIMIT_MS = 20000;
  var role = null;
  /** The device of the section drawn, and a counter so a late answer for another fetch or device is dropped. */
  var current = { id: null, fetch: 0 };

  function element(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  function part(id) { return document.getElementById(id); }

  function allowed() { return role === 'operator' || role === 'admin'; }

  /** Draws the section for device {@code id} at the end of {@code body}; called once per device page. */
  function section(body, id) {
    current = { id: id, fetch: current.fetch + 1 };
    var box = element('section');
    box.id = 'raw-reply';
    box.setAttribute('aria-labelledby', 'raw-reply-heading');
    var heading = element('h3', 'Raw last reply (for a technician\u2019s bug report)');
    heading.id = 'raw-reply-heading';
    box.appendChild(heading);
    box.appendChild(element('p', 'What the device itself last answered its agent\u2019s poll, as text, with'
      + ' passwords and tokens removed by the agent. It may contain pool addresses and worker names.', 'empty'));
    var button = element('button', 'Fetch the device\u2019s last reply');
    button.type = 'button';
    button.id = 'raw-reply-fetch';
    button.addEventListener('click', function () { fetchReply(id); });
    box.appendChild(button);
    var note = element('p', null, 'empty');
    note.id = 'raw-reply-role';
    note.hidden = true;
    box.appendChild(note);
    var status = element('p');
    status.id = 'raw-reply-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    box.appendChild(status);
    var facts = element('dl', null, 'facts');
    facts.id = 'raw-reply-facts';
    facts.hidden = true;
    box.appendChild(facts);
    var pre = element('pre');
    pre.id = 'raw-reply-text';
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', 'The device\u2019s raw reply');
    pre.hidden = true;
    box.appendChild(pre);
    var copy = element('button', 'Copy');
    copy.type = 'button';
    copy.id = 'raw-reply-copy';
    copy.hidden = true;
    copy.addEventListener('click', copyReply);
    box.appendChild(copy);
    body.appendChild(box);
    drawRole();
  }

  function drawRole() {
    var button = part('raw-reply-fetch');
    if (button === null) { return; }
    button.hidden = !allowed();
    var note = part('raw-reply-role');
    note.textContent = allowed() || role === null ? ''
      : 'Only an operator or an admin can fetch a device\u2019s raw reply (you are ' + role + ').';
    note.hidden = note.textContent === '';
  }

  function say(text, failed) {
    var line = part('raw-reply-status');
    if (line === null) { return; }
    line.textContent = text;
    line.className = failed ? 'form-error' : '';
  }

  /** The API's words for a refused request, or its status. */
  function errorText(response) {
    return response.json().then(function (b) { return b.error || ('HTTP ' + response.status); },
      function () { return 'HTTP ' + response.status; });
  }

  function refused(status, text) {
    if (status === 401) { return 'Not fetched: your session has ended; sign in again.'; }
    if (status === 403) { return 'Not fetched: only an operator or an admin may fetch a raw reply (' + text + ').'; }
    if (status === 404) { return 'Not fetched: ' + text + '.'; }
    if (status === 409) { return 'Not fetched: the agent cannot be reached now (' + text + ').'; }
    return 'Not fetched (HTTP ' + status + '): ' + text + '.';
  }

  function fetchReply(id) {
    if (!allowed() || current.id !== id) { return; }
    var mine = ++current.fetch;
    var button = part('raw-reply-fetch');
    button.disabled = true;
    say('Asking the agent for ' + id + '\u2019s last reply\u2026', false);
    var base = '/api/v1/devices/' + encodeURIComponent(id) + '/last-reply';
    fetch(base, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
      .then(function (response) {
        if (!response.ok) {
          return errorText(response).then(function (text) { finish(mine, refused(response.status, text), true); });
        }
        return response.json().then(function (command) {
          return poll(mine, base + '?command=' + encodeURIComponent(command.commandId), Date.now() + POLL_LIMIT_MS);
        });
      })
      .catch(function (e) { finish(mine, 'Cannot reach the controller (' + e.message + ').', true); });
  }

  function poll(mine, url, until) {
    if (mine !== current.fetch) { return Promise.resolve(); }
    return fetch(url, { headers: { 'Accept': 'application/json' } }).then(function (response) {
      if (!response.ok) {
        return errorText(response).then(function (text) { finish(mine, refused(response.status, text), true); });
      }
      return response.json().then(function (answer) {
        if (mine !== current.fetch) { return; }
        var state = answer.command.state;
        if (answer.lastReply) {
          show(answer.lastReply);
          finish(mine, 'The agent sent the last reply.', false);
        } else if ((state === 'DISPATCHED' || state === 'ACCEPTED') && Date.now() < until) {
          say(answer.explanation + '\u2026', false);
          return new Promise(function (resolve) { setTimeout(resolve, POLL_MS); })
            .then(function () { return poll(mine, url, until); });
        } else {
          finish(mine, answer.explanation || ('The command ended ' + state + '.'), true);
        }
      });
    });
  }

  function finish(mine, text, failed) {
    if (mine !== current.fetch) { return; }
    say(text, failed);
    var button = part('raw-reply-fetch');
    if (button !== null) { button.disabled = false; }
  }

  function show(raw) {
    var facts = part('raw-reply-facts');
    facts.replaceChildren();
    [['Asked', raw.request], ['Read at (UTC)', raw.readAt.replace('T', ' ')],
      ['Truncated', raw.truncated ? 'yes: cut at 64 KiB, the rest is not kept' : 'no']].forEach(function (f) {
      facts.appendChild(element('dt', f[0]));
      var dd = element('dd');
      dd.appendChild(element(f[0] === 'Asked' ? 'code' : 'span', f[1], f[0] === 'Asked' ? 'raw-reply-asked' : ''));
      facts.appendChild(dd);
    });
    facts.hidden = false;
    var pre = part('raw-reply-text');
    pre.textContent = raw.reply;
    pre.hidden = false;
    part('raw-reply-copy').hidden = false;
  }

  function copyReply() {
    var text = part('raw-reply-text').textContent;
    var done = function () { say('Copied the reply (' + text.length + ' characters).', false); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function (e) {
        selectReply();
        say('Cannot copy (' + e.message + '): the reply is selected; press Ctrl+C.', true);
      });
    } else {
      selectReply();
      say('This browser cannot copy for the page: the reply is selected; press Ctrl+C.', true);
    }
  }

  function selectReply() {
    var range = document.createRange();
    range.selectNodeContents(part('raw-reply-text'));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function setRole(newRole) {
    role = newRole;
    drawRole();
  }

  window.HeadroomRawReply = { section: section, setRole: setRole };
}());
