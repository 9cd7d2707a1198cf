#!/usr/bin/env python3
"""check_xlsx.py MRV_BINARY: the xlsx report recalculated by a real spreadsheet engine.

For each case (every bundled example, one whose texts look like formulas, and
one under a test methodology using every construct the translator handles),
writes `mrv report ... -o report.xlsx`, removes every cached formula result
from the workbook (so that nothing can pass without a recalculation), has
LibreOffice load it headless with recalculation on load forced and export
every sheet to CSV, then checks:
  - the Summary sheet's recalculated RE, PE, ER, ER at 15 significant digits
    and credited amount of every period against `mrv calc --format json`
    (numbers to 1e-12 relative: LibreOffice's CSV shows 15 significant
    digits; credited amounts exactly);
  - every Calculation row's recalculated value against the value mrv
    computed for it (its "mrv's value" column);
  - no cell shows a spreadsheet error, and texts beginning with = + - @ are
    still texts.

Without LibreOffice it prints "skipped: ..." and exits 77, which ctest reports as
skipped; with MRV_REQUIRE_TOOLS=1 (CI sets it) a missing LibreOffice is a failure (CI installs
Debian's libreoffice-calc-nogui).
"""

import csv
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Every bundled example, then the test projects of this folder.
CASES = [
    (os.path.basename(os.path.dirname(path)), os.path.relpath(path, ROOT))
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "*", "project.yaml")))
] + [
    ("injection", "tests/spreadsheet/injection.yaml"),
    # Every construct the Excel translator handles, under a test methodology.
    ("chiller", "tests/spreadsheet/chiller/project.yaml"),
    # An index: sum_k, values per index value, look-ups by the index.
    ("indices", "tests/indices/project.yaml"),
    # Sums over earlier periods: sum_x over the history's rows and age_x.
    ("history", "tests/history/project.yaml"),
]
# Texts of tests/spreadsheet/injection.yaml that a spreadsheet would evaluate.
GUARDED = {"injection": ["'=1+1", "'@SUM(1,1)", "'-2+3", "'+P1"]}
# LibreOffice's setting "Recalculation on file load" for xlsx and ODF: 0 is always.
RECALCULATE_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
# CSV export: comma, double quote, UTF-8, from row 1, raw values (not as
# shown), every sheet to its own file (LibreOffice 7.2 and later).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
ERRORS = re.compile(r"^(#(NAME|VALUE|REF|DIV/0|NUM|N/A|NULL)[?!]?|Err:\d+)$")


def fail(message):
    print(f"check_xlsx: FAILED: {message}")
    sys.exit(1)


def mrv(binary, *args):
    result = subprocess.run([binary, "-q", *args], cwd=ROOT, capture_output=True, timeout=120,
                            env=dict(os.environ, LC_ALL="C", TZ="UTC"))
    if result.returncode != 0:
        fail(f"mrv {' '.join(args)}: exit {result.returncode}: {result.stderr.decode()}")
    return result.stdout


def strip_cached_results(source, target):
    """Copies the workbook without the <v> result of any formula cell."""
    formula_result = re.compile(rb"(</f>|<f/>)<v>[^<]*</v>")
    stripped = 0
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data, count = formula_result.subn(rb"\1", data)
                stripped += count
            zout.writestr(item, data)
    return stripped


def close(a, b):
    return abs(a - b) <= 1e-12 * max(1.0, abs(b))


def read_sheet(directory, name, sheet):
    path = os.path.join(directory, f"{name}-{sheet}.csv")
    if not os.path.exists(path):
        fail(f"LibreOffice wrote no {sheet} sheet for {name} (files: {os.listdir(directory)})")
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def check_case(directory, name, expected):
    sheets = {sheet: read_sheet(directory, name, sheet)
              for sheet in ("Summary", "Inputs", "Calculation", "Receipt")}
    for sheet, rows in sheets.items():
        for row in rows:
            for cell in row:
                if ERRORS.match(cell):
                    fail(f"{name}: {sheet} shows the error {cell} in {row}")

    summary = {}
    for row in sheets["Summary"][1:]:
        if not row or not row[0]:
            break
        summary[row[0]] = row
    for period in expected["periods"]:
        row = summary.get(period["id"]) or summary.get("'" + period["id"])
        if row is None:
            fail(f"{name}: no Summary row for period {period['id']}: {sheets['Summary']}")
        values = dict(RE=float(row[3]), PE=float(row[4]), ER=float(row[5]), ER_15=float(row[6]))
        for key, value in values.items():
            if not close(value, period[key]):
                fail(f"{name} {period['id']}: {key} recalculated {value}, mrv {period[key]}")
        if int(float(row[7])) != period["credited"]:
            fail(f"{name} {period['id']}: credited recalculated {row[7]}, mrv {period['credited']}")

    calculation = sheets["Calculation"][1:]
    if not calculation:
        fail(f"{name}: the Calculation sheet is empty")
    for row in calculation:
        if not close(float(row[4]), float(row[7])):
            fail(f"{name}: Calculation row {row}: recalculated {row[4]}, mrv {row[7]}")

    cells = {cell for rows in sheets.values() for row in rows for cell in row}
    for text in GUARDED.get(name, []):
        if text not in cells:
            fail(f"{name}: the guarded text {text!r} is not in the workbook as text")
    return len(calculation)


def main():
    if len(sys.argv) != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    binary = os.path.realpath(sys.argv[1])
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        print("skipped: no LibreOffice (Debian package: libreoffice-calc-nogui)")
        return 1 if os.environ.get("MRV_REQUIRE_TOOLS") == "1" else 77

    with tempfile.TemporaryDirectory() as work:
        workbooks, expected = [], {}
        for name, project in CASES:
            written = os.path.join(work, f"written-{name}.xlsx")
            mrv(binary, "report", project, "-o", written)
            workbook = os.path.join(work, f"{name}.xlsx")
            if strip_cached_results(written, workbook) == 0:
                fail(f"{name}: the workbook has no formula")
            workbooks.append(workbook)
            expected[name] = json.loads(mrv(binary, "calc", project, "--format", "json"))

        profile = os.path.join(work, "profile")
        os.makedirs(os.path.join(profile, "user"))
        with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
            f.write(RECALCULATE_ALWAYS)
        out = os.path.join(work, "csv")
        result = subprocess.run(
            [office, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", CSV_FILTER, "--outdir", out, *workbooks],
            cwd=work, capture_output=True, timeout=300)
        if result.returncode != 0 or not glob.glob(os.path.join(out, "*.csv")):
            fail(f"LibreOffice: exit {result.returncode}: {result.stdout.decode()} "
                 f"{result.stderr.decode()}")

        for name, _ in CASES:
            rows = check_case(out, name, expected[name])
            print(f"ok {name}: {len(expected[name]['periods'])} periods' RE, PE, ER and credits, "
                  f"{rows} calculation rows recalculated by LibreOffice")
    print(f"{len(CASES)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
