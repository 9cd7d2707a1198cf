#!/usr/bin/env python3
"""`mrv calc -j N` gives what `-j 1` gives, byte for byte.

One file read in parts on several threads (libmrv/src/engine/series_parts.cpp)
must give the same output, warnings, notes, errors and exit status as one
pass. This runs every bundled example and a set of generated files with the
events that cross a cut (repeats, gaps, empty cells, values out of range,
rows outside the periods, a cadence that changes, a late error...) at
several part sizes and thread counts, and checks that the files meant to be
split were split (so that the comparison is not of one pass with itself).

Usage: check_parts.py MRV
"""
import difflib
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
MRV = sys.argv[1]

PROJECT = """mrv: project/1
id: PARTS-TEST
methodology: JCM_MN_AM003_ver02.0
utc_offset: "+08:00"
units:
{units}
periods:
  - {{id: "A", from: 2017-01-01, to: 2017-01-02}}
  - {{id: "B", from: 2017-01-03, to: 2017-01-31}}
data:
  - id: meters
    file: data.csv
    timestamp: timestamp
    unit: {{column: unit}}
{interval}    columns:
      EG_i_p: {{column: energy_kWh, unit: kWh}}
"""

MINUTES = 2000  # 20,000 rows: a part of a quarter of them still infers the interval
UNITS = [f"PV{u:02}" for u in range(1, 11)]


def project_text(interval=""):
    rating = ', rating: "1 MW"' if interval else ""
    units = "\n".join(
        f"  - {{id: {u}, values: {{connection_i: national_grid}}{rating}}}" for u in UNITS)
    return PROJECT.format(units=units, interval=f"    interval: {interval}\n" if interval else "")


def stamp(minute):
    day, rest = divmod(minute, 24 * 60)
    return f"2017-01-{1 + day:02}T{rest // 60:02}:{rest % 60:02}:00+08:00"


def value(minute, unit):
    return f"{(minute * 7 + unit * 13) % 97 / 10:.1f}"


def rows(minutes, step=1, units=UNITS, first=0):
    out = []
    for m in range(first, first + minutes * step, step):
        for k, u in enumerate(units):
            out.append([stamp(m), u, "ok", value(m, k)])
    return out


def csv(rows_, newline="\n", bom=False):
    text = newline.join(["timestamp,unit,status,energy_kWh"] + [",".join(r) for r in rows_]) + newline
    return ("\ufeff" if bom else "") + text


def events():
    out = rows(MINUTES)
    for i in range(0, len(out), 97):
        out[i][3] = ""
    before = [["2016-12-31T23:59:00+08:00", u, "ok", "1.0"] for u in UNITS]
    return before + out


def late_error():
    out = rows(MINUTES)
    out[18000][0] = "2017-01-0X"
    return out


def late_unit():
    return [r for r in rows(MINUTES) if r[1] != "PV10" or r[0] >= stamp(MINUTES - 300)]


def rising():
    out = rows(MINUTES)
    for i, r in enumerate(out):
        if r[1] == "PV09":
            r[3] = f"{1000 + i / 10:.1f}"  # a register written as values: refused at the end
    return out


def cadence_change():
    return rows(1000) + rows(400, step=5, first=1000)


def conflicting_repeat():
    out = rows(MINUTES)
    out.append([stamp(3), "PV01", "ok", "9.9"])
    return out


def conflicting_repeat_late():
    out = rows(MINUTES)
    out.insert(15000, list(out[14990]))  # identical: kept once
    out.insert(18500, [out[100][0], out[100][1], "ok", "5.5"])  # conflicting, far from its twin
    return out


def exponents():
    out = rows(MINUTES)
    for i in range(0, len(out), 50):
        out[i][3] = f"{float(out[i][3]):.1e}"
    return out


# name: (csv text, project's interval, whether it must be read in parts)
CASES = {
    "plain": (csv(rows(MINUTES)), "", True),
    "declared": (csv(rows(MINUTES)), "1 min", True),
    "events": (csv(events()), "", True),
    "doubled-rows": (csv([r for r in rows(MINUTES) for _ in (0, 1)]), "", False),
    "late-error": (csv(late_error()), "", False),
    "late-unit": (csv(late_unit()), "", True),
    "rising": (csv(rising()), "", False),  # refused after the parts are merged
    "quarter-hour": (csv(rows(2000, step=15)), "", True),
    "crlf-bom": (csv(rows(MINUTES), "\r\n", bom=True), "", True),
    "by-unit": (csv(sorted(rows(MINUTES), key=lambda r: r[1])), "", True),
    "cadence-change": (csv(cadence_change()), "", False),
    "conflicting-repeat": (csv(conflicting_repeat()), "", False),
    "repeats-late": (csv(conflicting_repeat_late()), "1 min", False),
    "exponents": (csv(exponents()), "", False),
}


def run(args, part_bytes=None, verbose=False):
    env = dict(os.environ)
    if part_bytes:
        env["MRV_PART_BYTES"] = str(part_bytes)
    command = [MRV] + (["-v"] if verbose else []) + args
    done = subprocess.run(command, capture_output=True, env=env, cwd=ROOT)
    return done.returncode, done.stdout, done.stderr


failures = []
split = {}


def compare(name, args, part_bytes, jobs):
    one = run(args + ["-j", "1"])
    many = run(args + ["-j", str(jobs)], part_bytes)
    if one != many:
        lines = lambda result: [f"exit {result[0]}"] + (result[2] + result[1]).decode().splitlines()
        diff = difflib.unified_diff(lines(one), lines(many), "-j 1", f"-j {jobs}", lineterm="", n=0)
        failures.append(f"{name} (-j {jobs}, parts of {part_bytes} bytes): differs from -j 1\n" +
                        "\n".join(list(diff)[:12]))
    verbose = run(args + ["-j", str(jobs)], part_bytes, verbose=True)
    if b"read in " in verbose[2]:
        split[name] = True


with tempfile.TemporaryDirectory() as folder:
    for name, (text, interval, must_split) in CASES.items():
        case = pathlib.Path(folder) / name
        case.mkdir()
        (case / "project.yaml").write_text(project_text(interval))
        (case / "data.csv").write_text(text, newline="")
        for part_bytes, jobs in [(4096, 2), (100000, 3), (200000, 4)]:
            for form in ["json", "csv"]:
                compare(name, ["calc", str(case / "project.yaml"), "--by", "unit", "--by",
                               "month", "--format", form], part_bytes, jobs)
        if must_split and not split.get(name):
            failures.append(f"{name}: was never read in parts")

for example in sorted((ROOT / "examples").glob("*/project.yaml")):
    compare(example.parent.name, ["calc", str(example.relative_to(ROOT)), "--by", "unit",
                                  "--format", "json"], 64, 3)

examples_split = [n for n in split if n not in CASES]
print(f"{len(CASES)} generated files and every example: -j N as -j 1; "
      f"read in parts: {', '.join(sorted(split))}")
if not examples_split:
    failures.append("no bundled example was read in parts")
for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
