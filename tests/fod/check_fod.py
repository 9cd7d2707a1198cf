"""Recomputes the first-order-decay example (examples/mm-wte) without mrv:
reads the project's values and history and the daily data, applies the
equations of methodologies/JCM_MM_WTE_ver00.1.yaml as written there, and
checks that `mrv calc --format json` agrees to 1e-9 (relative) for every
period's BE_CH4_p, PE_COM_p, RE, PE and ER.

Usage: check_fod.py MRV"""
import csv
import json
import math
import os
import subprocess
import sys

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLE = os.path.join(ROOT, "examples", "mm-wte")

# The example's values (examples/mm-wte/project.yaml), written out here so
# that this check does not share mrv's YAML reading.
P = {"food": 0.68, "paper": 0.1, "wood": 0.03, "textiles": 0.04, "garden": 0.1, "plastics": 0.05}
DOC = {"food": 0.15, "paper": 0.4, "wood": 0.43, "textiles": 0.24, "garden": 0.2, "plastics": 0}
K = {"food": 0.4, "paper": 0.07, "wood": 0.035, "textiles": 0.07, "garden": 0.17, "plastics": 0}
DM = {"food": 0.4, "paper": 0.9, "wood": 0.85, "textiles": 0.8, "garden": 0.4, "plastics": 1}
CC = {"food": 0.38, "paper": 0.46, "wood": 0.5, "textiles": 0.5, "garden": 0.49, "plastics": 0.75}
FCF = {"food": 0, "paper": 0.01, "wood": 0, "textiles": 0.2, "garden": 0, "plastics": 1}
PHI, F_CH4, OX, F, DOC_F, MCF, GWP, EFF, EF_GRID = 0.85, 0, 0.1, 0.5, 0.5, 0.8, 21, 1, 0.6
# Earlier year Y0 (history) and the monitoring periods, each a year apart.
HISTORY = {"food": 13600, "paper": 2000, "wood": 600, "textiles": 800, "garden": 2000,
           "plastics": 1000}
PERIODS = [("MP1", "2018-04-07", "2019-04-06"), ("MP2", "2019-04-07", "2020-04-06")]


def period_sums(rows, first, last):
    chosen = [r for r in rows if first <= r["date"] <= last]
    return (sum(float(r["waste_t"]) for r in chosen),
            sum(float(r["export_kWh"]) for r in chosen) / 1000,
            sum(float(r["import_kWh"]) for r in chosen) / 1000)


def expected():
    with open(os.path.join(EXAMPLE, "plant.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    years = [HISTORY]  # the waste of each year x by type, oldest first
    out = {}
    for pid, first, last in PERIODS:
        q, eg, ec = period_sums(rows, first, last)
        w = {j: q * P[j] for j in P}
        years.append(w)
        y = len(years) - 1
        decay = sum(wx[j] * DOC[j] * math.exp(-K[j] * (y - x)) * (1 - math.exp(-K[j]))
                    for x, wx in enumerate(years) for j in P)
        be = PHI * (1 - F_CH4) * GWP * (1 - OX) * 16 / 12 * F * DOC_F * MCF * decay
        pe_com = sum(w[j] * DM[j] * CC[j] * FCF[j] for j in P) * EFF * 44 / 12
        re, pe = be + eg * EF_GRID, pe_com + ec * EF_GRID
        out[pid] = {"BE_CH4_p": be, "PE_COM_p": pe_com, "RE": re, "PE": pe, "ER": re - pe}
    return out


def main():
    mrv = sys.argv[1]
    got = json.loads(subprocess.run(
        [mrv, "calc", os.path.join(EXAMPLE, "project.yaml"), "--format", "json"],
        check=True, capture_output=True, text=True).stdout)
    failures = 0
    for pid, want in expected().items():
        period = next(p for p in got["periods"] if p["id"] == pid)
        for name, value in want.items():
            have = period[name] if name in ("RE", "PE", "ER") else period["values"][name]["value"]
            ok = abs(have - value) <= 1e-9 * max(1.0, abs(value))
            failures += not ok
            print(f"{'ok' if ok else 'FAIL'} {pid} {name}: mrv {have!r}, independent {value!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
