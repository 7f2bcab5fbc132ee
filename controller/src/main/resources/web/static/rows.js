// One row of the device table (D45) per device: the values the table shows, filters and sorts on, computed once when
// the device changes, so that filtering and sorting 100,000 rows compares plain numbers and strings.
(function () {
  'use strict';
  // Devices that meter other devices: no efficiency of their own.
  var METERING_KINDS = { pdu: true, meter: true, ups: true };
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
   * The device's triage flags with their reasons, as the controller judged them (docs/http-api.md, "Triage flags"):
   * the page never judges a device itself, so the table, the API's ?flag= filter and a script cannot disagree.
   */
  function flagsOf(device) {
    var out = {};
    if (device.flags && typeof device.flags === 'object') {
      Object.keys(device.flags).forEach(function (name) { out[name] = String(device.flags[name]); });
    }
    return out;
  }

  function toRow(device) {
    var power = metricValue(device, 'power');
    var hash = metricValue(device, 'hashrate');
    var temp = maxChipTemperature(device);
    var since = Date.parse(device.statusSince);
    var flags = flagsOf(device);
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
