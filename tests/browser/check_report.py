#!/usr/bin/env python3
"""check_report.py MRV_BINARY [--screenshot-out FILE]: the HTML report in a real browser.

For each case (every bundled example, and one with a Japanese title), writes
`mrv report ... -o report.html`, then with headless Chromium (an empty
profile, no network, no background services):
  - dumps the rendered DOM and checks that it holds every period's credited
    amount (as `mrv calc --format json` computes it) in its marked element,
    the charts, the project's title (Japanese included), and the evidence
    sections (equipment, data sources with their SHA-256, and the evidence,
    co-benefits and uses the project declares);
  - takes a screenshot and checks that it is not blank (decoded here with
    zlib: no module beyond the standard library).
--screenshot-out also saves the screenshot of the first case (the README's
docs/report-screenshot.png is made this way).

Without Chromium it prints "skipped: ..." and exits 77, which ctest reports as
skipped; with MRV_REQUIRE_TOOLS=1 (CI sets it) a missing Chromium is a failure (CI installs Debian's
chromium). Run from anywhere; paths are resolved from the repository root.
"""

import glob
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Every bundled example (mn-pv first: its screenshot is the README's), and
# one with a Japanese title.
CASES = sorted(
    ((os.path.basename(os.path.dirname(path)), os.path.relpath(path, ROOT))
     for path in glob.glob(os.path.join(ROOT, "examples", "*", "project.yaml"))),
    key=lambda case: (case[0] != "mn-pv", case[0])) + [("ja", "tests/browser/mn-pv-ja.yaml")]
BROWSERS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
SCREEN = (1100, 1500)


def fail(message):
    print(f"check_report: FAILED: {message}")
    sys.exit(1)


def run(command, timeout=180):
    result = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=timeout,
                            env=dict(os.environ, LC_ALL="C", TZ="UTC", NO_COLOR="1"))
    return result


def mrv(binary, *args):
    result = run([binary, "-q", *args])
    if result.returncode != 0:
        fail(f"mrv {' '.join(args)}: exit {result.returncode}: {result.stderr.decode()}")
    return result.stdout


def browser(executable, profile, *args):
    # An empty profile and every background service off: the report must
    # render from the file alone.
    command = [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-extensions", "--hide-scrollbars",
               f"--user-data-dir={profile}", *args]
    result = run(command, timeout=120)
    if result.returncode != 0:
        fail(f"{' '.join(command)}: exit {result.returncode}: {result.stderr.decode()[-2000:]}")
    return result.stdout


def png_pixels(data):
    """(width, height, channels, rows of bytes) of an 8-bit PNG without interlace."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("the screenshot is not a PNG")
    position, idat = 8, b""
    width = height = color_type = 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace != 0:
                fail(f"unexpected PNG format (depth {depth}, interlace {interlace})")
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + predictor) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def check_not_blank(path):
    with open(path, "rb") as f:
        width, height, channels, rows = png_pixels(f.read())
    background = rows[0][:channels]
    differing, colours = 0, set()
    for row in rows[::4]:  # every fourth row is plenty to tell a page from a blank
        for x in range(0, width * channels, channels * 2):
            pixel = row[x:x + channels]
            colours.add(pixel)
            differing += pixel != background
    sampled = len(rows[::4]) * len(range(0, width * channels, channels * 2))
    share = differing / sampled
    if share < 0.01 or len(colours) < 8:
        fail(f"{path}: the screenshot looks blank ({share:.2%} of pixels differ, "
             f"{len(colours)} colours)")
    return share, len(colours)


def check_dom(dom, name, expected, title, report):
    for period in expected["periods"]:
        pattern = (r'data-period="' + re.escape(period["id"]) + r'"[^>]*>' +
                   str(period["credited"]) + "<")
        if not re.search(pattern, dom):
            fail(f"{name}: the DOM has no credited amount {period['credited']} for period "
                 f"{period['id']}")
    if dom.count("<svg") < 1 + 2 * len(expected["periods"]):
        fail(f"{name}: the DOM has {dom.count('<svg')} charts")
    if html.escape(title, quote=False) not in dom:
        fail(f"{name}: the DOM does not hold the title {title!r}")
    check_evidence(dom, name, report)


def check_evidence(dom, name, report):
    """The evidence sections: always equipment and data sources; the others
    when the project declares what they show (docs/report.md)."""
    wanted = ["equipment", "sources"]
    wanted += ["value-evidence"] if report["value_evidence"] else []
    wanted += ["co-benefits"] if report["co_benefits"] else []
    wanted += ["uses"] if report["credits"] else []
    for section in wanted:
        if not re.search(r'<h2 id="' + section + r'"', dom):
            fail(f"{name}: the DOM has no section '{section}'")
    for meter in report["meters"]:
        if html.escape(meter["serial"], quote=False) not in dom:
            fail(f"{name}: the DOM does not list meter {meter['serial']}")
    for source in report["data_sources"]:
        for file in source["files"]:
            if file["sha256"] and file["sha256"] not in dom:
                fail(f"{name}: the DOM has no SHA-256 of {file['path']}")


def main():
    if len(sys.argv) not in (2, 4) or (len(sys.argv) == 4 and sys.argv[2] != "--screenshot-out"):
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    binary = os.path.realpath(sys.argv[1])
    keep = os.path.realpath(sys.argv[3]) if len(sys.argv) == 4 else None
    executable = next((b for b in map(shutil.which, BROWSERS) if b), None)
    if not executable:
        print("skipped: no chromium (Debian package: chromium)")
        return 1 if os.environ.get("MRV_REQUIRE_TOOLS") == "1" else 77

    with tempfile.TemporaryDirectory() as work:
        for index, (name, project) in enumerate(CASES):
            page = os.path.join(work, f"{name}.html")
            mrv(binary, "report", project, "-o", page)
            expected = json.loads(mrv(binary, "calc", project, "--format", "json"))
            report = json.loads(subprocess.run(
                [binary, "report", project, "--format", "json", "-q"], cwd=ROOT,
                capture_output=True, check=True).stdout)
            title = report["project"]["title"]

            profile = os.path.join(work, f"profile-{name}")
            dom = browser(executable, profile, "--dump-dom", "file://" + page).decode("utf-8")
            check_dom(dom, name, expected, title, report)

            png = os.path.join(work, f"{name}.png")
            shutil.rmtree(profile, ignore_errors=True)
            browser(executable, profile, f"--window-size={SCREEN[0]},{SCREEN[1]}",
                    f"--screenshot={png}", "file://" + page)
            share, colours = check_not_blank(png)
            print(f"ok {name}: {len(expected['periods'])} periods' credits in the DOM; "
                  f"screenshot {os.path.getsize(png)} bytes, {share:.0%} drawn, {colours} colours")
            if keep and index == 0:
                shutil.copyfile(png, keep)
    print(f"{len(CASES)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
