#!/usr/bin/env python3
"""Writes the golden cases of the modbus profiles: register images built from the register maps the
profiles cite (reference/TELEMETRY.md §3.5, reference/DEVICES.md §4.10, volkszaehler/mbmd meters/rs485/)
with plausible example values of our own. Not captures. Run from this folder: python3 modbus_construct.py

registers.json: {"unit": N, "<table>": {"<first wire address>": "<words or bits>", ...}} where table is
coil, discrete-input, holding or input; a run of registers is written as 4-hex-digit words, a run of bits
as 0/1 digits. A read touching an address outside every run is refused with exception 02, as a real
device refuses an address it does not map."""
import json, math, os, struct

RANGES = {"power": (0, 20000), "energy": (0, 1e9), "voltage": (0, 1000), "current": (0, 1000),
          "temperature.inlet": (-40, 100), "outlet.state": (0, 1)}


def f32(value):
    return struct.unpack(">f", struct.pack(">f", value))[0]


def words_f32(value):
    b = struct.pack(">f", value) if not isinstance(value, bytes) else value
    return ["%04x" % struct.unpack(">H", b[i:i + 2])[0] for i in (0, 2)]


def words_int(value, n, signed=False):
    if signed and value < 0:
        value += 1 << (16 * n)
    return ["%04x" % ((value >> (16 * (n - 1 - i))) & 0xFFFF) for i in range(n)]


class Image:
    def __init__(self):
        self.tables = {}

    def put(self, table, address, words):
        self.tables.setdefault(table, {}).update({address + i: w for i, w in enumerate(words)})

    def fill(self, table, start, end):
        t = self.tables.setdefault(table, {})
        for a in range(start, end):
            t.setdefault(a, "0000")

    def runs(self):
        out = {}
        for table, cells in self.tables.items():
            runs, start, prev = {}, None, None
            for a in sorted(cells):
                if start is None or a != prev + 1:
                    start = a
                    runs[start] = []
                runs[start].append(cells[a])
                prev = a
            sep = "" if table in ("coil", "discrete-input") else " "
            out[table] = {"0x%04X" % s: sep.join(ws) for s, ws in runs.items()}
        return out


def reading(metric, instance, value):
    lo, hi = RANGES[metric]
    return {"metric": metric, "instance": instance, "value": value,
            "quality": "GOOD" if lo <= value <= hi else "UNCERTAIN"}


def write(folder, profile, comment, source, image, readings, health="ONLINE", reason=""):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "registers.json"), "w") as f:
        json.dump(dict({"unit": 1}, **image.runs()), f, indent=2)
        f.write("\n")
    with open(os.path.join(folder, "expected-readings.json"), "w") as f:
        json.dump({"comment": comment, "profile": profile, "health": health, "reason": reason,
                   "identity": None, "readings": readings}, f, indent=2)
        f.write("\n")
    with open(os.path.join(folder, "SOURCE.md"), "w") as f:
        f.write("# Source of this case\n\n**Constructed, not a capture.** `registers.json` was written by\n"
                "`cases/modbus_construct.py` from " + source + " The values are our own plausible examples,"
                " not a claim about a real device.\n\n" + comment + "\n")


def sdm630(folder, import_kwh_words=None):
    v, i, p = [230.1, 229.8, 231.0], [5.2, 4.9, 5.0], [1150.0, 1080.0, 1120.0]
    img = Image()
    for n in range(3):
        img.put("input", 0x0000 + 2 * n, words_f32(v[n]))
        img.put("input", 0x0006 + 2 * n, words_f32(i[n]))
        img.put("input", 0x000C + 2 * n, words_f32(p[n]))
    img.put("input", 0x0034, words_f32(3350.0))
    img.put("input", 0x0046, words_f32(50.02))
    img.put("input", 0x0048, import_kwh_words or words_f32(12345.6))
    img.fill("input", 0x0000, 0x0012)
    img.fill("input", 0x0034, 0x004A)
    out = []
    for n in range(3):
        out += [reading("voltage", "phase%d" % (n + 1), f32(v[n])), reading("current", "phase%d" % (n + 1), f32(i[n])),
                reading("power", "phase%d" % (n + 1), f32(p[n]))]
    out.append(reading("power", "", 3350.0))
    if import_kwh_words is None:
        out.append(reading("energy", "", f32(12345.6)))
    return img, out


SDM_SOURCE = ("the SDM630 input-register map of reference/TELEMETRY.md §3.5 (FC 04, float32 ABCD: V 0x0000…, "
              "I 0x0006…, P 0x000C…, P total 0x0034, frequency 0x0046, import kWh 0x0048).")
img, out = sdm630(None)
write("eastron/sdm630/nominal", "eastron/sdm630",
      "SDM630 on a balanced 3350 W load: 230 V phases, about 5 A each.", SDM_SOURCE, img, out)
img, out = sdm630(["7fc0", "0000"])
write("eastron/sdm630/quirk-nan-energy", "eastron/sdm630",
      "Import energy reads as a quiet NaN (0x7FC00000), as some firmware answers before the first "
      "energy save: a gap, no energy reading, the device stays ONLINE.", SDM_SOURCE, img, out)

# Schneider iEM3155
img = Image()
v, i, pk = [231.2, 230.4, 229.9], [8.1, 7.9, 8.3], [1.85, 1.80, 1.90]
for n in range(3):
    img.put("holding", 0x5002 + 2 * n, words_f32(v[n]))
    img.put("holding", 0x500C + 2 * n, words_f32(i[n]))
    img.put("holding", 0x5014 + 2 * n, words_f32(pk[n]))
img.put("holding", 0x5000, words_f32(230.5))
img.put("holding", 0x5008, words_f32(49.98))
img.put("holding", 0x500A, words_f32(8.1))
img.put("holding", 0x5012, words_f32(5.55))
img.put("holding", 0x600C, words_f32(87654.25))
img.fill("holding", 0x5000, 0x5032)
out = []
for n in range(3):
    out += [reading("voltage", "phase%d" % (n + 1), f32(v[n])), reading("current", "phase%d" % (n + 1), f32(i[n])),
            reading("power", "phase%d" % (n + 1), f32(pk[n]) * 1000)]
out += [reading("power", "", f32(5.55) * 1000), reading("energy", "", f32(87654.25))]
write("schneider/iem3155/nominal", "schneider/iem3000",
      "iEM3155 at 5.55 kW (power registers in kW, read as W).",
      "the iEM3000 holding-register map of reference/TELEMETRY.md §3.5 and mbmd meters/rs485/iem3000.go "
      "(float32 ABCD: V 0x5000…, frequency 0x5008, I 0x500A…, P 0x5012… in kW, import kWh 0x600C).", img, out)


# ABB B23
def b23(folder, phase3_missing):
    img = Image()
    v, i, p = [2305, 2298, 2311], [512, 498, 505], [117890, 114420, 116710]
    for n in range(3):
        missing = phase3_missing and n == 2
        img.put("holding", 0x5B00 + 2 * n, ["ffff", "ffff"] if missing else words_int(v[n], 2))
        img.put("holding", 0x5B0C + 2 * n, ["ffff", "ffff"] if missing else words_int(i[n], 2))
        img.put("holding", 0x5B16 + 2 * n, ["7fff", "ffff"] if missing else words_int(p[n], 2, True))
    total = sum(p[:2]) if phase3_missing else sum(p)
    img.put("holding", 0x5B14, words_int(total, 2, True))
    img.put("holding", 0x5000, words_int(123456789, 4))
    img.fill("holding", 0x5B00, 0x5B1C)
    img.fill("holding", 0x5000, 0x5008)
    out = []
    for n in range(3):
        if phase3_missing and n == 2:
            continue
        out += [reading("voltage", "phase%d" % (n + 1), v[n] * 0.1), reading("current", "phase%d" % (n + 1), i[n] * 0.01),
                reading("power", "phase%d" % (n + 1), p[n] * 0.01)]
    out += [reading("power", "", total * 0.01), reading("energy", "", 123456789 * 0.01)]
    return img, out


ABB_SOURCE = ("the B23/B24 holding-register map of mbmd meters/rs485/abb.go and reference/DEVICES.md §4.10 "
              "(V 0x5B00… uint32 0.1 V, I 0x5B0C… uint32 0.01 A, P 0x5B14… int32 0.01 W, import 0x5000 uint64 "
              "0.01 kWh; all-ones / 0x7FFF… for not available).")
img, out = b23("abb/b23/nominal", False)
write("abb/b23/nominal", "abb/b2x", "B23 on a 3490 W three-phase load.", ABB_SOURCE, img, out)
img, out = b23("abb/b23/quirk-phase3-not-available", True)
write("abb/b23/quirk-phase3-not-available", "abb/b2x",
      "Phase 3 unconnected: its voltage and current read 0xFFFFFFFF and its power 0x7FFFFFFF, the meter's "
      "'not available'. They are gaps, not zeros; the device stays ONLINE.", ABB_SOURCE, img, out)

# Generic temperature sensor
SENSOR_SOURCE = ("the generic sensor layout of the profile (reference/DEVICES.md §4.10: one holding register, "
                 "value/10 °C; humidity at address 1).")
for name, raw, comment in [("nominal", 234, "23.4 °C, 45.6 %RH."),
                           ("quirk-negative", -55, "-5.5 °C: the register is signed (0xFFC9)."),
                           ("quirk-sensor-fault", -32768, "0x8000: the probe is disconnected; a gap, not -3276.8 °C.")]:
    img = Image()
    img.put("holding", 0, words_int(raw, 1, True) + words_int(456, 1))
    out = [] if raw == -32768 else [reading("temperature.inlet", "", raw * 0.1)]
    write("generic/modbus-temperature-sensor/" + name, "generic/modbus-temperature-sensor", comment,
          SENSOR_SOURCE, img, out)

# Fan contactor
img = Image()
img.put("coil", 0, ["1"])
write("generic/modbus-fan-contactor/on", "generic/modbus-fan-contactor", "The contactor's coil 0 is on.",
      "the coil layout of Proto Fleet's fan integration (reference/DEVICES.md §4.10: coil at wire address 0).",
      img, [reading("outlet.state", "fan1", 1)])
