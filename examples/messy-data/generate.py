#!/usr/bin/env python3
"""The messy example's data, as real exports come (deterministic):

  logger-pv1.csv  a Japanese logger export of PV-1: CP932 text, Japanese
                  header, ';' separated, decimal commas, "2017/03/01 0:00"
                  times, a cumulative register (kWh) that rolls over at
                  100,000 and is replaced on 15 March at 12:00.
  portal-pv2.csv  a utility portal export of PV-2: hourly interval kWh, with
                  a gap (10 March 10:00-13:00), a repeated row, an empty cell
                  and an impossible reading (treated as a gap).

    python3 examples/messy-data/generate.py   (writes into examples/messy-data/)
"""
import math
import os
from datetime import datetime, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))


def kwh(hour, day, capacity):
    if hour < 7 or hour > 18:
        return 0.0
    weather = 0.55 + 0.45 * math.sin(day * 1.7) ** 2
    return round(capacity * math.sin(math.pi * (hour - 6.5) / 12.5) * weather, 1)


def logger_pv1():
    rows = ["日時;積算電力量(kWh);状態"]
    register = 96500.0
    start = datetime(2017, 3, 1)
    for h in range(31 * 24 + 1):
        t = start + timedelta(hours=h)
        if h > 0:
            register += kwh((t - timedelta(hours=1)).hour, t.day, 450.0)
        if t == datetime(2017, 3, 15, 12):
            # Old meter read 1234.5 kWh more after the last logged value, then was
            # replaced by a new one starting at 0.
            register = register - 0.0
        shown = register % 100000.0
        if t >= datetime(2017, 3, 15, 12):
            shown = register - REPLACED_AT + 0.0
        text = f"{shown:.1f}".replace(".", ",")
        rows.append(f"{t.year}/{t.month:02d}/{t.day:02d} {t.hour}:{t.minute:02d};{text};正常")
    return "\r\n".join(rows) + "\r\n"


REPLACED_AT = 0.0


def compute_replacement():
    """The register value (unwrapped) at the replacement time."""
    global REPLACED_AT
    register = 96500.0
    start = datetime(2017, 3, 1)
    for h in range(1, 31 * 24 + 1):
        t = start + timedelta(hours=h)
        register += kwh((t - timedelta(hours=1)).hour, t.day, 450.0)
        if t == datetime(2017, 3, 15, 11):
            REPLACED_AT = register
            return


def portal_pv2():
    rows = ["time,energy_kwh"]
    start = datetime(2017, 3, 1)
    for h in range(31 * 24):
        t = start + timedelta(hours=h)
        if t.day == 10 and 10 <= t.hour <= 13:
            continue  # the gap
        value = f"{kwh(t.hour, t.day, 300.0):.1f}"
        if t == datetime(2017, 3, 20, 12):
            value = ""  # an empty cell
        if t == datetime(2017, 3, 22, 11):
            value = "99999.0"  # a glitch above the column's maximum
        line = f"{t:%Y-%m-%d %H:%M},{value}"
        rows.append(line)
        if t == datetime(2017, 3, 5, 12):
            rows.append(line)  # exported twice
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    compute_replacement()
    with open(os.path.join(HERE, "logger-pv1.csv"), "wb") as f:
        f.write(logger_pv1().encode("cp932"))
    with open(os.path.join(HERE, "portal-pv2.csv"), "w") as f:
        f.write(portal_pv2())
