// The device page's stream (GET /api/v1/stream/device/{id}, server-sent events; D59, docs/http-api.md "Device page
// stream"): each part of the page as the JSON of the route the page would poll, then only the parts that changed.
// device.js opens it while the page is shown and draws each part with the function that draws the poll's answer;
// this module only holds the connection: it parses the events, says when the stream goes live and when it fails, and
// turns the history-bucket events into "a bucket of this range closed".
(function () {
  'use strict';
  var PARTS = ['device', 'timeline', 'commands', 'decisions', 'removed'];

  /**
   * Opens device {@code id}'s stream. {@code page} takes: one function per part (device, timeline, commands,
   * decisions, removed), each given the event's JSON; live() before the first device event of each run of the stream;
   * bucketClosed(range) when a bucket of range '1h' or '1d' closed; down(refused) when the stream fails: refused is
   * true when it was not a stream (401, 404, 503) and will not come back by itself, false while the browser
   * reconnects (after the stream's retry:). Returns { close }: after it nothing more is called.
   */
  function open(id, page) {
    var source = new EventSource('/api/v1/stream/device/' + encodeURIComponent(id));
    var running = true;
    var live = false;
    var buckets = null;
    function on(name, handle) {
      source.addEventListener(name, function (event) {
        if (running) { handle(JSON.parse(event.data)); }
      });
    }
    PARTS.forEach(function (name) {
      on(name, function (data) {
        if (name === 'device' && !live) {
          live = true;
          buckets = null;
          page.live();
        }
        page[name](data);
      });
    });
    on('history-bucket', function (now) {
      var before = buckets;
      buckets = now;
      if (before === null) { return; }
      Object.keys(now).forEach(function (range) {
        if (before[range] !== now[range]) { page.bucketClosed(range); }
      });
    });
    source.addEventListener('error', function () {
      if (!running) { return; }
      live = false;
      var refused = source.readyState === EventSource.CLOSED;
      if (refused) { running = false; }
      page.down(refused);
    });
    return {
      close: function () {
        running = false;
        source.close();
      }
    };
  }

  window.HeadroomDeviceStream = {
    /** Whether this browser has EventSource; without it the device page polls. */
    supported: function () { return typeof EventSource !== 'undefined'; },
    open: open
  };
}());
