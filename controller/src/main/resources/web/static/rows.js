// One row of the device table (D45) per device: the values the table shows, filters and sorts on, computed once when
// the device changes, so that filtering and sorting 100,000 rows compares plain numbers and strings.
(function () {
  'use strict';
  // Devices that meter other devices: no efficiency of their own.
  var METERING_KINDS = { pdu: true, meter: true, ups: true };
  /** Until the controller reports flags, the page sees "hot" itself at the threshold the alerts use. */
  var HOT_C = 85;
  var version = 0;

  function metricValue(device, key) {
    var m = device.metrics && device.metrics[key];
    return m && typeof m.value === 'number' ? m.value : null;
  }

  function maxChipTemperature(device) {
    var max = null;
    Object.keys(device.metrics || {}).forEach(function (key) {
      if (key === 'temperature.chip' || key.indexOf('temperature.chip[') === 0) {
        var v = device.metrics[key].value;
        if (typeof v === 'number' && (max === null || v > max)) { max = v; }
      }
    });
    return max;
  }

  function lastReading(device) {
    var latest = null;
    Object.keys(device.metrics || {}).forEach(function (key) {
      var t = Date.parse(device.metrics[key].at);
      if (!isNaN(t) && (latest === null || t > latest)) { latest = t; }
    });
    return latest;
  }

  /**
   * The device's flags with their reasons: the controller's own when it sends them (an object, possibly empty), else
   * the few the page can see for itself (said as the page's), so that triage works against an older controller.
   */
  function flagsOf(device, temp) {
    if (device.flags && typeof device.flags === 'object') {
      var out = {};
      Object.keys(device.flags).forEach(function (name) { out[name] = String(device.flags[name]); });
      return out;
    }
    var seen = {};
    if (temp !== null && temp >= HOT_C) {
      seen.hot = 'hottest chip ' + temp.toFixed(1) + ' °C, at or above ' + HOT_C + ' °C (seen by the page)';
    }
    if (device.status === 'OFFLINE' || device.status === 'STALE') {
      seen[device.status.toLowerCase()] = device.status + (device.statusReason ? ' (' + device.statusReason + ')' : '')
        + (device.statusMessage ? ': ' + device.statusMessage : '');
    }
    return seen;
  }

  function toRow(device) {
    var power = metricValue(device, 'power');
    var hash = metricValue(device, 'hashrate');
    var temp = maxChipTemperature(device);
    var since = Date.parse(device.statusSince);
    var flags = flagsOf(device, temp);
    var names = Object.keys(flags);
    return {
      id: String(device.id),
      device: device,
      version: ++version,
      power: power,
      hash: hash,
      temp: temp,
      // Joules per terahash: watts over TH/s, only where the device reports both and is hashing.
      jth: power !== null && hash !== null && hash > 0 && !METERING_KINDS[device.kind] ? power / hash : null,
      last: lastReading(device),
      since: isNaN(since) ? null : since,
      flags: flags,
      flagNames: names,
      why: names.map(function (n) { return n + ': ' + flags[n]; }).join('; '),
      search: (String(device.id) + ' ' + String(device.model || '')).toLowerCase(),
      where: (String(device.agent || '') + ' ' + String(device.rack || '')).toLowerCase()
    };
  }

  window.HeadroomRows = { toRow: toRow };
}());
