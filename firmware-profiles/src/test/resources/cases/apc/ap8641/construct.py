#!/usr/bin/env python3
"""Writes the AP8641 golden cases: walks constructed from PowerNet-MIB OIDs and the figures that
reference/TELEMETRY.md §6 states for the AP8641 recording (24 metered outlets summing to 1117 W, device
power 121 = 1.21 kW, phase current 65 = 6.5 A at 201 V). Not a capture. Run from this folder."""
import json, os

R = "1.3.6.1.4.1.318.1.1.26"
SYS_DESCR = ("APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.7.2 PN:apc_hw05_aos_672.bin AF1:v6.7.2 "
             "AN1:apc_hw05_rpdu2g_672.bin MN:AP8641 HR:02 SN: ZA0000000000 MD:01/01/2020) "
             "(Embedded PowerNET SNMP Agent SW v2.2 compatible)")
# Outlets 1-17 draw 51 W, 18-22 draw 50 W, 23-24 are switched off: 17*51 + 5*50 = 1117 W.
POWER = {n: (51 if n <= 17 else 50 if n <= 22 else 0) for n in range(1, 25)}
ENERGY = {n: 1000 + 37 * n for n in range(1, 25)}            # tenths of kWh, invented
STATE = {n: (2 if n <= 22 else 1) for n in range(1, 25)}      # on 2, off 1
METERED_ROW = {n: 25 - n for n in range(1, 25)}               # row index != outlet number, on purpose


def oid_key(line):
    return [int(p) for p in line.split("|")[0].split(".")]


def walk(device_power=121, drop_column=None):
    rows = [
        f"1.3.6.1.2.1.1.1.0|4|{SYS_DESCR}",
        "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.318.1.3.4.6",
        "1.3.6.1.2.1.1.5.0|4|rack-a1-pdu1",
        f"{R}.2.1.8.1|4|AP8641",
        f"{R}.4.3.1.4.1|2|2",
        f"{R}.4.3.1.5.1|2|{device_power}",
        f"{R}.4.3.1.9.1|2|45678",
        f"{R}.6.3.1.4.1|2|2",
        f"{R}.6.3.1.5.1|66|65",
        f"{R}.6.3.1.6.1|2|201",
        f"{R}.6.3.1.7.1|2|121",
    ]
    for n in range(1, 25):
        row = METERED_ROW[n]
        cols = {1: f"2|{row}", 2: "2|1", 3: f"4|Outlet {n}", 4: f"2|{n}", 7: f"66|{POWER[n]}", 11: f"66|{ENERGY[n]}"}
        for col, value in cols.items():
            if col != drop_column:
                rows.append(f"{R}.9.4.3.1.{col}.{row}|{value}")
        rows += [f"{R}.9.2.3.1.1.{n}|2|{n}", f"{R}.9.2.3.1.2.{n}|2|1", f"{R}.9.2.3.1.3.{n}|4|Outlet {n}",
                 f"{R}.9.2.3.1.4.{n}|2|{n}", f"{R}.9.2.3.1.5.{n}|2|{STATE[n]}",
                 f"{R}.9.2.4.1.1.{n}|2|{n}", f"{R}.9.2.4.1.4.{n}|2|{n}", f"{R}.9.2.4.1.5.{n}|2|{STATE[n]}"]
    return sorted(rows, key=oid_key)


def reading(metric, instance, value):
    return {"metric": metric, "instance": instance, "value": value, "quality": "GOOD"}


def expected(comment, health, reason, device_power=True, outlet_energy=True):
    out = []
    if device_power:
        out.append(reading("power", "", 1210))
    out += [reading("energy", "", 4567.8), reading("current", "phase1", 6.5), reading("voltage", "phase1", 201)]
    for n in range(1, 25):
        out.append(reading("power", str(n), POWER[n]))
        if outlet_energy:
            out.append(reading("energy", str(n), round(ENERGY[n] * 0.1, 1)))
        out.append(reading("outlet.state", str(n), 1 if STATE[n] == 2 else 0))
    return {"comment": comment, "profile": "apc/rpdu2", "health": health, "reason": reason,
            "identity": {"model": "AP8641", "firmware": "v6.7.2"}, "readings": out}


def write(case, lines, exp):
    os.makedirs(case, exist_ok=True)
    with open(os.path.join(case, "walk.snmprec"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(case, "expected-readings.json"), "w") as f:
        json.dump(exp, f, indent=2, ensure_ascii=False)
        f.write("\n")


write("aos-6.7.2", walk(), expected(
    "AP8641 at the published figures: 24 outlets summing to 1117 W, device 1.21 kW, 6.5 A at 201 V; "
    "metered rows in reverse outlet order, so a driver that took the row index would swap outlets 1 and 24.",
    "ONLINE", ""))
write("quirk-power-unsupported", walk(device_power=-1), expected(
    "rPDU2DeviceStatusPower -1 means unsupported: no device power reading, the rest ONLINE.",
    "ONLINE", "", device_power=False))
write("quirk-missing-outlet-energy", walk(drop_column=11), expected(
    "rPDU2OutletMeteredStatusEnergy absent (older AOS): DEGRADED no-such-object, every other reading kept.",
    "DEGRADED", "no-such-object", outlet_energy=False))
