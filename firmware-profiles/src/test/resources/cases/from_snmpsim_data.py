#!/usr/bin/env python3
"""Writes the golden cases taken from real recordings of etingof/snmpsim-data (BSD-2-Clause, copyright
(c) 2019 Ilya Etingof; the licence text is LICENSE-snmpsim-data.txt next to this script).

Usage: from_snmpsim_data.py <snmpsim-data checkout>   (run from this folder)

For each case it copies, unchanged, the lines of one recording under the OID subtrees the profile
reads (plus the system group), with exactly two kinds of conversion, both listed in the case's
SOURCE.md: an snmpsim variation value such as `2:numeric|min=1,max=2,wrap=1,initial=2` becomes its
initial value `2|2` (the golden-case reader serves static values only), and a case named quirk-* may
apply the one edit its SOURCE.md states. expected-readings.json is computed here from the raw values
with the scales the MIBs state (written out in each profile's comments), not by the code under test.
"""
import bz2
import json
import os
import sys

SYS = "1.3.6.1.2.1.1."
RPDU2 = "1.3.6.1.4.1.318.1.1.26."
UPS = "1.3.6.1.2.1.33.1."
ENT = "1.3.6.1.2.1.99.1.1.1."
LICENCE = "BSD-2-Clause, copyright (c) 2019 Ilya Etingof (../../../LICENSE-snmpsim-data.txt)"


def read(root, rel):
    path = os.path.join(root, rel)
    data = bz2.open(path, "rb").read() if rel.endswith(".bz2") else open(path, "rb").read()
    out = []
    for raw in data.decode("utf-8", "replace").splitlines():
        parts = raw.split("|", 2)
        if len(parts) == 3 and parts[0][:1].isdigit():
            out.append(parts)
    return out


def static(tag, value):
    """A variation value 'T:module|k=v,…,initial=N' becomes 'T|N'; plain values are kept."""
    if ":" not in tag:
        return tag, value, None
    base = tag.split(":", 1)[0]
    params = dict(p.split("=", 1) for p in value.split(",") if "=" in p)
    return base, params["initial"], f"{tag}|{value}"


def key(oid):
    return [int(p) for p in oid.split(".")]


def subset(lines, prefixes):
    kept, converted = [], []
    for oid, tag, value in lines:
        if oid.startswith(SYS) or any(oid.startswith(p) for p in prefixes):
            tag2, value2, was = static(tag, value)
            if was:
                converted.append(oid)
            kept.append((oid, tag2, value2))
    kept.sort(key=lambda r: key(r[0]))
    return kept, converted


def values(walk):
    return {oid: value for oid, tag, value in walk}


def text(walk, oid):
    for o, tag, value in walk:
        if o == oid:
            return bytes.fromhex(value).decode("latin-1") if tag == "4x" else value
    return None


# Plausible ranges of protocol's MetricDictionary: a value outside is read but UNCERTAIN.
RANGES = {"power": (0, 20_000), "energy": (0, 1e9), "current": (0, 1_000), "voltage": (0, 1_000),
          "outlet.state": (0, 1), "temperature.sensor": (-40, 150), "humidity": (0, 100), "load": (0, 200),
          "battery.charge": (0, 100), "battery.runtime": (0, 1e6), "battery.status": (0, 2), "power.source": (0, 3)}


def reading(metric, instance, value):
    low, high = RANGES[metric]
    quality = "GOOD" if low <= value <= high else "UNCERTAIN"
    return {"metric": metric, "instance": instance, "value": round(value, 9), "quality": quality}


def write(case, walk, expected, source):
    os.makedirs(case, exist_ok=True)
    with open(os.path.join(case, "walk.snmprec"), "w", encoding="utf-8") as f:
        f.writelines(f"{o}|{t}|{v}\n" for o, t, v in walk)
    with open(os.path.join(case, "expected-readings.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(case, "SOURCE.md"), "w", encoding="utf-8") as f:
        f.write(source)


def source_md(rel, prefixes, converted, extra=""):
    conv = ("\n\nConverted snmpsim variations (value replaced by the variation's `initial`): "
            + ", ".join(f"`{o}`" for o in converted) + ".") if converted else ""
    return (f"# Source of this case\n\n**Real recording**: etingof/snmpsim-data `{rel}` (commit 1e91429999af5044daac63a2c892f36c0b356554), licence {LICENCE}.\n\n"
            f"`walk.snmprec` holds the recording's lines under the system group and under "
            + ", ".join(f"`{p}`" for p in prefixes)
            + ", unchanged but for the conversions below; written by `from_snmpsim_data.py`. The expected"
            " readings are computed by that script from the raw values with the MIB's scales."
            + conv + ("\n\n" + extra if extra else "") + "\n")


def expected(profile, comment, health, reason, identity, readings, **more):
    out = {"comment": comment, "profile": profile, "health": health, "reason": reason,
           "identity": identity, "readings": readings}
    out.update(more)
    return out


# ---- APC rPDU2 --------------------------------------------------------------------------------------
APC_TABLES = [RPDU2 + "2.1.", RPDU2 + "4.3.", RPDU2 + "6.3.", RPDU2 + "9.2.3.", RPDU2 + "9.2.4.", RPDU2 + "9.4.3."]


def apc_readings(walk, metered):
    v = values(walk)
    out = []

    def add(metric, instance, oid, scale=1.0):
        raw = int(v[oid])
        if raw != -1:
            out.append(reading(metric, instance, raw * scale))

    add("power", "", RPDU2 + "4.3.1.5.1", 10)          # hundredths of kW -> W
    add("energy", "", RPDU2 + "4.3.1.9.1", 0.1)        # tenths of kWh
    add("current", "phase1", RPDU2 + "6.3.1.5.1", 0.1)  # tenths of A
    add("voltage", "phase1", RPDU2 + "6.3.1.6.1")
    for oid, number in v.items():
        if oid.startswith(RPDU2 + "9.2.3.1.4."):
            row = oid.rsplit(".", 1)[1]
            state = int(v[RPDU2 + "9.2.3.1.5." + row])
            out.append(reading("outlet.state", number, {1: 0, 2: 1}[state]))
    if metered:
        for oid, number in v.items():
            if oid.startswith(RPDU2 + "9.4.3.1.4."):
                row = oid.rsplit(".", 1)[1]
                add("power", number, RPDU2 + "9.4.3.1.7." + row)
                if RPDU2 + "9.4.3.1.11." + row in v:
                    add("energy", number, RPDU2 + "9.4.3.1.11." + row, 0.1)
    return out


def apc(root):
    rel = "data/UPS/apc-8641.snmprec"
    walk, conv = subset(read(root, rel), APC_TABLES)
    ident = {"model": "AP8641", "firmware": "v6.7.2"}
    rs = apc_readings(walk, metered=True)
    outlets = sum(r["value"] for r in rs if r["metric"] == "power" and r["instance"])
    total = next(r["value"] for r in rs if r["metric"] == "power" and not r["instance"])
    write("apc/ap8641/aos-6.7.2", walk, expected(
        "apc/rpdu2", f"Real AP8641 (AOS 6.7.2): 24 metered and switched outlets, {outlets:.0f} W over the "
        f"outlets against {total:.0f} W device power, 6.5 A at 201 V.", "ONLINE", "", ident, rs,
        **{"sum-check": {"metric": "power", "parts": "^[0-9]+$", "total": "", "within-percent": 10,
                         "why": "rPDU2DeviceStatusPower is metered at the inlet in steps of 10 W and includes "
                                "the PDU's own draw and the outlet meters' error; the recording's outlets "
                                "sum to 1117 W against 1210 W (7.7 % less). The MIB promises no closer "
                                "agreement."}}),
        source_md(rel, APC_TABLES, conv))

    # Quirk: rows not in outlet order. The recording's rows equal the outlet numbers, which would not
    # catch a driver that took the row index for the outlet; here the metered rows are renumbered.
    moved = []
    for oid, tag, value in walk:
        if oid.startswith(RPDU2 + "9.4.3.1."):
            head, row = oid.rsplit(".", 1)
            oid = f"{head}.{25 - int(row)}"
        moved.append((oid, tag, value))
    moved.sort(key=lambda r: key(r[0]))
    rs = apc_readings(moved, metered=True)
    write("apc/ap8641/quirk-rows-not-outlet-numbers", moved, expected(
        "apc/rpdu2", "The AP8641 recording with the metered rows renumbered 25-n: the outlet numbers "
        "(rPDU2OutletMeteredStatusNumber) still name the outlets, so every reading is unchanged.",
        "ONLINE", "", ident, rs),
        source_md(rel, APC_TABLES, conv, "**Edit (quirk)**: every row index `r` of rPDU2OutletMeteredStatusTable "
                  "(`…26.9.4.3.1.*.r`) is renumbered `25 - r`; the values, the number column's included, "
                  "are unchanged. Real rPDU2 rows need not equal the outlet number (TELEMETRY.md §3.1)."))

    # Quirk: the outlet energy column is missing (older AOS, TELEMETRY.md §3.1 lists it from v4.5.2).
    cut = [r for r in walk if not r[0].startswith(RPDU2 + "9.4.3.1.11.")]
    rs = apc_readings(cut, metered=True)
    write("apc/ap8641/quirk-missing-outlet-energy", cut, expected(
        "apc/rpdu2", "rPDU2OutletMeteredStatusEnergy absent: DEGRADED no-such-object, every other reading kept.",
        "DEGRADED", "no-such-object", ident, rs),
        source_md(rel, APC_TABLES, conv, "**Edit (quirk)**: the column `1.3.6.1.4.1.318.1.1.26.9.4.3.1.11` "
                  "(rPDU2OutletMeteredStatusEnergy) is removed."))

    for rel, model, case in (("data/UPS/apc-7902b.snmprec", "AP7902B", "apc/ap7902b/aos-6.7.2"),
                             ("data/UPS/apc-8932.snmprec", "AP8932", "apc/ap8932/aos-6.7.2")):
        walk, conv = subset(read(root, rel), APC_TABLES)
        rs = apc_readings(walk, metered=False)
        n = sum(1 for r in rs if r["metric"] == "outlet.state")
        note = ("answers -1 (unsupported) for device power, energy and phase voltage, so those give no "
                "reading" if model == "AP7902B" else "reports device power, energy, current and voltage")
        write(case, walk, expected(
            "apc/rpdu2-switched", f"Real {model} (AOS 6.7.2), {n} switched outlets and no outlet meters: it "
            f"{note}. No outlet-sum check: the unit meters no outlet.", "ONLINE", "",
            {"model": model, "firmware": "v6.7.2"}, rs),
            source_md(rel, APC_TABLES, conv))


# ---- UPS-MIB (RFC 1628) -----------------------------------------------------------------------------
UPS_PARTS = [UPS + "1.", UPS + "2.", UPS + "3.", UPS + "4."]


def ups_readings(walk):
    v = values(walk)
    out = []

    def add(metric, instance, oid, scale=1.0, valid=None):
        if oid not in v:
            return
        raw = int(v[oid])
        if valid is None or valid(raw):
            out.append(reading(metric, instance, raw * scale))

    add("battery.status", "", UPS + "2.1.0", valid=lambda r: r in (2, 3, 4))
    if UPS + "2.1.0" in v and int(v[UPS + "2.1.0"]) in (2, 3, 4):
        out[-1]["value"] = {2: 0, 3: 1, 4: 2}[int(v[UPS + "2.1.0"])]
    add("battery.runtime", "", UPS + "2.3.0", 60, valid=lambda r: r != -1)   # minutes -> s
    add("battery.charge", "", UPS + "2.4.0", valid=lambda r: r != -1)
    add("temperature.sensor", "battery", UPS + "2.7.0", valid=lambda r: r != -1)
    src = int(v[UPS + "4.1.0"])
    states = {2: 3, 3: 0, 4: 2, 5: 1, 6: 0, 7: 0}
    if src in states:
        out.append(reading("power.source", "", states[src]))
    for oid in list(v):
        if oid.startswith(UPS + "3.3.1.3."):
            line = oid[len(UPS + "3.3.1.3."):]
            add("voltage", "input" + line, oid)
        if oid.startswith(UPS + "4.4.1.2."):
            line = oid[len(UPS + "4.4.1.2."):]
            add("voltage", "output" + line, oid)
            add("current", "output" + line, UPS + "4.4.1.3." + line, 0.1)
            add("power", "output" + line, UPS + "4.4.1.4." + line)
            add("load", "output" + line, UPS + "4.4.1.5." + line)
    return out


def ups(root):
    cases = [
        ("data/UPS/eaton-93e-80.snmprec.bz2", "eaton/93e-80/ups-mib", None,
         "Real Eaton 93E 80 kVA (three-phase): per-line input voltage, output voltage, current, power and load; "
         "battery normal, 1092 min, 100 %; output source normal (mains).", "ONLINE", "", ""),
        ("data/UPS/huawei-gse200m.snmprec.bz2", "huawei/ups5000/ups-mib", None,
         "Real Huawei UPS5000 behind a GSE200M card: -1 (outside the MIB's ranges) for minutes remaining, charge "
         "and battery temperature gives no reading, not a number. The card answers voltages in tenths of a volt "
         "against RFC 1628 (2369 for 236.9 V): read as the MIB says and flagged UNCERTAIN by the plausible range, "
         "not silently rescaled.",
         "ONLINE", "", ""),
        ("data/UPS/eastpower-istars-swv053.snmprec.bz2", "eastpower/istars/quirk-line-index-trailing-zero", None,
         "Real EAST iStars UPS whose line tables are indexed 1.0, 2.0, 3.0 instead of 1, 2, 3: those rows name "
         "no line, so the poll is DEGRADED bad-value and keeps the battery and source readings.",
         "DEGRADED", "bad-value",
         "Quirk of the recording itself (not an edit): the rows of upsInputTable and upsOutputTable carry a "
         "trailing `.0` (`1.3.6.1.2.1.33.1.3.3.1.3.1.0`), which RFC 1628's one-part index "
         "(upsInputLineIndex, upsOutputLineIndex) does not allow."),
    ]
    for rel, case, ident, comment, health, reason, extra in cases:
        walk, conv = subset(read(root, rel), UPS_PARTS)
        rs = ups_readings(walk)
        if reason:
            rs = [r for r in rs if not r["instance"].startswith(("input", "output"))]
        ident = {"model": (text(walk, UPS + "1.2.0") or "").strip() or text(walk, SYS + "1.0").strip(),
                 "firmware": text(walk, SYS + "1.0").strip()}
        write(case, walk, expected("ietf/ups-mib", comment, health, reason, ident, rs), source_md(rel, UPS_PARTS, conv, extra))


# ---- ENTITY-SENSOR-MIB (RFC 3433) -------------------------------------------------------------------
def ent_readings(walk):
    v = values(walk)
    out = []
    for oid in list(v):
        if oid.startswith(ENT + "1."):
            row = oid[len(ENT + "1."):]
            kind, scale = int(v[oid]), int(v.get(ENT + "2." + row, 0))
            prec, status = int(v.get(ENT + "3." + row, 0)), int(v.get(ENT + "5." + row, 0))
            metric = {8: "temperature.sensor", 9: "humidity"}.get(kind)
            if metric and scale == 9 and status == 1:
                out.append(reading(metric, row, int(v[ENT + "4." + row]) / 10 ** max(prec, 0)))
    return out


def entity(root):
    for rel, case, ident, comment in (
            ("data/cloud/arista-dcs-7150s-52-cl.snmprec.bz2", "arista/dcs-7150s-52-cl/eos-4.20.5f",
             None, "Real Arista DCS-7150S-52-CL: 17 celsius sensors with precision 1 (282 = 28.2 °C) among "
             "95 sensors of all types; the others (voltage, current, power, fan) give no reading."),
            ("data/network/firewall/paloalto-pa-5000.snmprec.bz2", "paloalto/pa-5000/panos",
             None, "Real Palo Alto PA-5000: 4 celsius sensors with precision 0 and 10 fan (rpm) sensors, "
             "which give no reading.")):
        walk, conv = subset(read(root, rel), [ENT])
        rs = ent_readings(walk)
        descr = text(walk, "1.3.6.1.2.1.1.1.0").strip()
        write(case, walk, expected("ietf/entity-sensor", comment, "ONLINE", "",
                                   {"model": descr, "firmware": descr}, rs), source_md(rel, [ENT], conv))
    rel = "data/cloud/arista-dcs-7150s-52-cl.snmprec.bz2"
    walk, conv = subset(read(root, rel), [ENT])
    edited = [(o, t, "2" if o == ENT + "5.100006001" else v) for o, t, v in walk]
    rs = ent_readings(edited)
    descr = text(walk, "1.3.6.1.2.1.1.1.0").strip()
    write("arista/dcs-7150s-52-cl/quirk-sensor-unavailable", edited, expected(
        "ietf/entity-sensor", "Sensor 100006001 reports entPhySensorOperStatus unavailable(2): its stale value "
        "(28.2) gives no reading; the other 16 sensors are read.", "ONLINE", "", {"model": descr, "firmware": descr}, rs),
        source_md(rel, [ENT], conv, "**Edit (quirk)**: `1.3.6.1.2.1.99.1.1.1.5.100006001` "
                  "(entPhySensorOperStatus of sensor 100006001) changed from ok(1) to unavailable(2)."))


if __name__ == "__main__":
    root = sys.argv[1]
    apc(root)
    ups(root)
    entity(root)
