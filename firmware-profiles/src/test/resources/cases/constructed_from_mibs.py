#!/usr/bin/env python3
"""Writes the golden cases of the profiles for which no public recording under a usable licence exists
(Raritan PDU2-MIB, ServerTech Sentry4-MIB, APC PowerNet-MIB upsAdv). Run from this folder.

These walks are CONSTRUCTED, not captured: the OIDs, index layouts, types, units, scales and sentinels
are the MIBs' (each profile names its MIB file and revision); the few values a MIB's DESCRIPTION gives
as examples are used as given (Raritan: "if the value is 1 and …DecimalDigits is 2, then actual value
is 0.01"; APC: upsBasicIdentModel "APC Smart-UPS 600"; APC: 255 = battery temperature not present;
Sentry4: -1 = not available); every other value is invented to be plausible and is no claim about a
real unit. expected-readings.json is computed here from the raw values with the MIBs' scales, not by
the code under test.
"""
import json
import os

RARITAN = "1.3.6.1.4.1.13742.6."
ST4 = "1.3.6.1.4.1.1718.4.1."
APC = "1.3.6.1.4.1.318.1.1.1."


def key(oid):
    return [int(p) for p in oid.split(".")]


# Plausible ranges of protocol's MetricDictionary: a value outside is read but UNCERTAIN.
RANGES = {"power": (0, 20_000), "energy": (0, 1e9), "current": (0, 1_000), "voltage": (0, 1_000),
          "outlet.state": (0, 1), "temperature.sensor": (-40, 150), "humidity": (0, 100), "load": (0, 200),
          "battery.charge": (0, 100), "battery.runtime": (0, 1e6), "battery.status": (0, 2), "power.source": (0, 3)}


def reading(metric, instance, value):
    low, high = RANGES[metric]
    quality = "GOOD" if low <= value <= high else "UNCERTAIN"
    return {"metric": metric, "instance": instance, "value": round(value, 9), "quality": quality}


def write(case, lines, expected, source):
    os.makedirs(case, exist_ok=True)
    with open(os.path.join(case, "walk.snmprec"), "w", encoding="utf-8") as f:
        f.writelines(f"{o}|{t}|{v}\n" for o, t, v in sorted(lines, key=lambda r: key(r[0])))
    with open(os.path.join(case, "expected-readings.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(case, "SOURCE.md"), "w", encoding="utf-8") as f:
        f.write(source)


def source(mib, what):
    return ("# Source of this case\n\n**Constructed, not a capture**, by `constructed_from_mibs.py` (see its header): "
            f"OIDs, index layout, types, units and scales from {mib}; values invented except where stated. "
            "No public recording of this family under a licence we may use exists (LibreNMS's are GPL-3.0)."
            f"\n\n{what}\n")


# ---- Raritan PX3 (PDU2-MIB) -------------------------------------------------------------------------
# Physical values per outlet: current A, voltage V, power W, energy Wh, on?
OUTLETS = {1: (0.512, 230, 110, 250_000, True), 2: (0.734, 230, 160, 310_250, True),
           3: (0.01, 230, 0, 12, True), 4: (0.9, 230, 200, 401_000, True), 5: (0.123, 230, 25, 52_000, True),
           6: (0.02, 230, 5, 1_500, True), 7: (0.0, 230, 0, 99_999, False), 8: (0.0, 230, 0, 0, False)}
INLET = (2.345, 230, 512, 1_234_567)      # A, V, W, Wh
TYPES = {1: ("current", 2), 4: ("voltage", 1), 5: ("power", 3), 8: ("energy", 5)}   # type: (metric, units)


def raritan(extra_digits):
    base_digits = {1: 3, 4: 0, 5: 0, 8: 0}
    lines = [("1.3.6.1.2.1.1.1.0", "4", "Raritan PX3 constructed fixture"),
             ("1.3.6.1.2.1.1.2.0", "6", "1.3.6.1.4.1.13742.6"),
             (RARITAN + "3.2.1.1.3.1", "4", "PX3-5190R")]
    readings = []

    def scaled(value, digits):
        return int(round(value * 10 ** digits))

    for t, value in zip((1, 4, 5, 8), INLET):
        d = base_digits[t] + extra_digits
        lines += [(f"{RARITAN}5.2.3.1.2.1.1.{t}", "2", "1"),
                  (f"{RARITAN}5.2.3.1.4.1.1.{t}", "66", str(scaled(value, d))),
                  (f"{RARITAN}3.3.4.1.6.1.1.{t}", "2", str(TYPES[t][1])),
                  (f"{RARITAN}3.3.4.1.7.1.1.{t}", "66", str(d))]
    readings += [reading("power", "", 512), reading("energy", "", 1234.567),
                 reading("current", "inlet1", 2.345), reading("voltage", "inlet1", 230)]
    for n, (amps, volts, watts, wh, on) in OUTLETS.items():
        for t, value in zip((1, 4, 5, 8), (amps, volts, watts, wh)):
            # The MIB's own example: outlet 3's current is the raw value 1 with 2 decimal digits, 0.01 A.
            d = (2 if (n == 3 and t == 1) else base_digits[t]) + extra_digits
            available = not (n == 8 and t == 8)            # outlet 8 has no energy sensor
            lines += [(f"{RARITAN}5.4.3.1.2.1.{n}.{t}", "2", "1" if available else "2"),
                      (f"{RARITAN}5.4.3.1.4.1.{n}.{t}", "66", str(scaled(value, d)) if available else "0"),
                      (f"{RARITAN}3.5.4.1.6.1.{n}.{t}", "2", str(TYPES[t][1])),
                      (f"{RARITAN}3.5.4.1.7.1.{n}.{t}", "66", str(d))]
            metric = TYPES[t][0]
            if available and metric != "voltage":
                readings.append(reading(metric, str(n), value / 1000 if metric == "energy" else value))
        lines.append((f"{RARITAN}4.1.2.1.3.1.{n}", "2", "7" if on else "8"))
        readings.append(reading("outlet.state", str(n), 1 if on else 0))
    return lines, readings


def raritan_cases():
    mib = "PDU2-MIB (LAST-UPDATED 202209210000Z, DotZero24/pysnmp-mibs `mibs/raritan/PDU2-MIB`)"
    lines, rs = raritan(0)
    write("raritan/px3/constructed-pdu2", lines, {
        "comment": "Raritan PX3, 8 outlets: inlet current 2345 with 3 decimal digits = 2.345 A; outlet 3's current is "
                   "the MIB's own example (1 with 2 digits = 0.01 A); outlet 8 has no energy sensor "
                   "(IsAvailable false): no energy reading; outlets 7 and 8 are off (outletSwitchingState 8). "
                   "Outlet voltage rows are not read.",
        "profile": "raritan/pdu2", "health": "ONLINE", "reason": "",
        "identity": {"model": "PX3-5190R", "firmware": "Raritan PX3 constructed fixture"}, "readings": rs,
        "sum-check": {"metric": "power", "parts": "^[0-9]+$", "total": "", "within-percent": 5,
                      "why": "inlet active power includes the PDU's own draw: 500 W over the outlets, 512 W at the inlet "
                             "(invented figures)."}},
        source(mib, "Sensor rows for rmsCurrent(1), rmsVoltage(4), activePower(5) and activeEnergy(8) of inlet 1 and "
                    "outlets 1-8 of PDU 1, with measurementsInlet/OutletSensorIsAvailable, inlet/outletSensorUnits and "
                    "inlet/outletSensorDecimalDigits; outletSwitchingState on(7)/off(8)."))
    lines, rs = raritan(1)
    write("raritan/px3/quirk-more-decimal-digits", lines, {
        "comment": "The same physical values as constructed-pdu2 with one more decimal digit on every sensor (raw values "
                   "ten times larger): the readings are identical, so the digits are read per row, never assumed.",
        "profile": "raritan/pdu2", "health": "ONLINE", "reason": "",
        "identity": {"model": "PX3-5190R", "firmware": "Raritan PX3 constructed fixture"}, "readings": rs},
        source(mib, "As `constructed-pdu2`, with every …SensorDecimalDigits one higher and every value ten times "
                    "larger (PX firmware lets the digits differ by sensor and model)."))


# ---- ServerTech Sentry4 ------------------------------------------------------------------------------
def sentry4_cases():
    mib = "Sentry4-MIB (LAST-UPDATED 202303101100Z, DotZero24/pysnmp-mibs `mibs/sentry/Sentry4-MIB`)"
    # outlet: (hundredth A, W, Wh, state) ; -1 = not available, state 0 unknown
    outlets = {1: (125, 260, 1_200_000, 1), 2: (210, 440, 2_345_678, 1), 3: (0, 0, 10, 2), 4: (332, 690, 3_000_001, 1),
               5: (98, 200, 800_000, 1), 6: (40, 80, 12_345, 1), 7: (0, 0, 0, 2), 8: (-1, -1, -1, 0)}
    lines = [("1.3.6.1.2.1.1.1.0", "4", "Sentry Switched PDU constructed fixture"),
             ("1.3.6.1.2.1.1.2.0", "6", "1.3.6.1.4.1.1718.4"),
             (ST4 + "2.2.1.5.1", "4", "C2WG24SN"),
             (ST4 + "3.3.1.3.1.1", "2", "1710"), (ST4 + "3.3.1.10.1.1", "2", "123456"),
             (ST4 + "5.3.1.3.1.1.1", "2", "2081"), (ST4 + "5.3.1.6.1.1.1", "2", "912"),
             (ST4 + "9.3.1.1.1.1", "2", "-410"),                      # temperature invalid: not read
             (ST4 + "10.3.1.1.1.1", "2", "45"), (ST4 + "10.3.1.1.1.2", "2", "-1")]
    rs = [reading("power", "", 1710), reading("energy", "", 12345.6),
          reading("voltage", "phase1", 208.1), reading("current", "phase1", 9.12), reading("humidity", "probe1", 45)]
    for n, (amps, watts, wh, state) in outlets.items():
        lines += [(f"{ST4}8.3.1.3.1.1.{n}", "2", str(amps)), (f"{ST4}8.3.1.7.1.1.{n}", "2", str(watts)),
                  (f"{ST4}8.3.1.14.1.1.{n}", "2", str(wh)), (f"{ST4}8.3.1.1.1.1.{n}", "2", str(state))]
        if amps != -1:
            rs += [reading("current", str(n), amps / 100), reading("power", str(n), watts),
                   reading("energy", str(n), wh / 1000)]
        if state in (1, 2):
            rs.append(reading("outlet.state", str(n), 1 if state == 1 else 0))
    write("servertech/pro2/constructed-sentry4", lines, {
        "comment": "Sentry4, unit 1 cord 1, 8 outlets: phase 2081 tenth V = 208.1 V, 912 hundredth A = 9.12 A; outlet 8 "
                   "answers -1 (not available) everywhere and state unknown(0): no reading at all, never a zero; "
                   "humidity probe 2 answers -1: no reading. The -410 invalid temperature is not read.",
        "profile": "servertech/sentry4", "health": "ONLINE", "reason": "",
        "identity": {"model": "C2WG24SN", "firmware": "Sentry Switched PDU constructed fixture"}, "readings": rs,
        "sum-check": {"metric": "power", "parts": "^[0-9]+$", "total": "", "within-percent": 5,
                      "why": "the input cord's power includes the unit's own draw: 1670 W over the outlets, 1710 W on "
                             "the cord (invented figures)."}},
        source(mib, "st4InputCordMonitorTable, st4PhaseMonitorTable, st4OutletMonitorTable, st4TempSensorMonitorTable "
                    "and st4HumidSensorMonitorTable rows of unit 1, cord 1."))


# ---- APC Smart-UPS (PowerNet-MIB upsBasic / upsAdv) --------------------------------------------------
def smart_ups_cases():
    mib = "APC PowerNet-MIB v4.3.0 (DotZero24/pysnmp-mibs `mibs/apc/PowerNet-MIB`)"
    descr = ("APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.7.2 PN:apc_hw05_aos_672.bin AF1:v6.7.2 "
             "AN1:apc_hw05_sumx_672.bin MN:AP9631 HR:05 SN: ZA0000000000 MD:01/01/2020) "
             "(Embedded PowerNET SNMP Agent SW v2.2 compatible)")
    for case, status, charge, ticks, temp, vin, load, comment in (
            ("apc/smart-ups-600/constructed-online", 2, 100, 216000, 27, 230, 38,
             "Smart-UPS on line: mains, battery normal 100 %, 216000 ticks = 2160 s run time, 27 °C."),
            ("apc/smart-ups-600/constructed-on-battery", 3, 87, 90000, 255, 0, 41,
             "Smart-UPS on battery (upsBasicOutputStatus onBattery(3)): power.source battery, input 0 V, 900 s left; "
             "battery temperature 255 means not present: no reading.")):
        lines = [("1.3.6.1.2.1.1.1.0", "4", descr), ("1.3.6.1.2.1.1.2.0", "6", "1.3.6.1.4.1.318.1.3.2.3"),
                 (APC + "1.1.1.0", "4", "APC Smart-UPS 600"),
                 (APC + "4.1.1.0", "2", str(status)), (APC + "2.1.1.0", "2", "2"),
                 (APC + "2.2.1.0", "66", str(charge)), (APC + "2.2.3.0", "67", str(ticks)),
                 (APC + "2.2.2.0", "66", str(temp)), (APC + "3.2.1.0", "66", str(vin)),
                 (APC + "4.2.1.0", "66", "230"), (APC + "4.2.4.0", "66", "2"), (APC + "4.2.3.0", "66", str(load))]
        rs = [reading("power.source", "", {2: 0, 3: 1}[status]), reading("battery.status", "", 0),
              reading("battery.charge", "", charge), reading("battery.runtime", "", ticks * 0.01),
              reading("voltage", "input", vin), reading("voltage", "output", 230), reading("current", "output", 2),
              reading("load", "", load)]
        if temp != 255:
            rs.append(reading("temperature.sensor", "battery", temp))
        write(case, lines, {"comment": comment, "profile": "apc/smart-ups", "health": "ONLINE", "reason": "",
                            "identity": {"model": "APC Smart-UPS 600", "firmware": "v6.7.2"}, "readings": rs},
              source(mib, "upsBasicIdentModel is the MIB's own example ('APC Smart-UPS 600'), 255 is the MIB's 'not "
                          "present' battery temperature; sysDescr is modelled on the real AP8641 card's (this folder's "
                          "neighbours, AOS 6.7.2) with an invented Smart-UPS application name (AN1) and card model; "
                          "sysObjectID is the MIB's smartUPS600 (1.3.6.1.4.1.318.1.3.2.3)."))


if __name__ == "__main__":
    raritan_cases()
    sentry4_cases()
    smart_ups_cases()
