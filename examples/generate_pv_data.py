#!/usr/bin/env python3
"""Deterministic hourly PV generation data for the bundled examples.

A clear-sky bell between sunrise and sunset (day length follows the season at
the site's latitude), times a daily weather factor from a fixed linear
congruential generator, so the same command always writes the same bytes:

    python3 examples/generate_pv_data.py mn > examples/mn-pv/generation.csv
    python3 examples/generate_pv_data.py id > examples/id-pv/generation.csv
"""
import math
import sys
from datetime import datetime, timedelta

from lcg import Lcg


def day_length_hours(latitude, day_of_year):
    declination = 23.44 * math.sin(math.radians(360 / 365 * (day_of_year - 81)))
    x = -math.tan(math.radians(latitude)) * math.tan(math.radians(declination))
    return 24 / math.pi * math.acos(max(-1.0, min(1.0, x)))


def generation_kwh(capacity_kw, latitude, moment, weather):
    length = day_length_hours(latitude, moment.timetuple().tm_yday)
    sunrise, sunset = 12 - length / 2, 12 + length / 2
    hour = moment.hour + 0.5
    if hour <= sunrise or hour >= sunset:
        return 0.0
    bell = math.sin(math.pi * (hour - sunrise) / (sunset - sunrise)) ** 1.5
    return capacity_kw * 0.82 * bell * weather


SITES = {
    # Mongolia, near Ulaanbaatar: two plants, one column naming the unit, offset in each timestamp.
    "mn": dict(latitude=47.9, year=2017, offset="+08:00", units=[("PV-A", 10000.0, 11), ("PV-B", 2100.0, 23)],
               header="timestamp,unit,energy_kWh", unit_column=True, iso_t=True, stamp_at_end=False),
    # Indonesia, West Java: one rooftop plant, local times without offset (the project declares +07:00),
    # each row stamped at the end of its hour (the project declares marks: end).
    "id": dict(latitude=-6.3, year=2019, offset=None, units=[("ROOF-1", 1600.0, 7)],
               header="time,kWh", unit_column=False, iso_t=False, stamp_at_end=True),
}


def main():
    site = SITES[sys.argv[1]]
    out = sys.stdout
    out.write(site["header"] + "\n")
    start = datetime(site["year"], 1, 1)
    weather = {}
    for unit, capacity, seed in site["units"]:
        rng = Lcg(seed)
        weather[unit] = [0.35 + 0.65 * rng.uniform() for _ in range(366)]
    for hour in range(365 * 24):
        moment = start + timedelta(hours=hour)
        day = moment.timetuple().tm_yday - 1
        for unit, capacity, _ in site["units"]:
            kwh = generation_kwh(capacity, site["latitude"], moment, weather[unit][day])
            stamped = moment + timedelta(hours=1) if site["stamp_at_end"] else moment
            stamp = stamped.strftime("%Y-%m-%dT%H:%M:%S" if site["iso_t"] else "%Y-%m-%d %H:%M")
            if site["offset"]:
                stamp += site["offset"]
            fields = [stamp] + ([unit] if site["unit_column"] else []) + [f"{kwh:.3f}"]
            out.write(",".join(fields) + "\n")


if __name__ == "__main__":
    main()
