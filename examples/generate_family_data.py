#!/usr/bin/env python3
"""Deterministic monitoring data for the bundled chiller, boiler, transformer
and F-gas examples (the PV examples have generate_pv_data.py).

Every series is a simple physical shape (a working-hours load, a heating
season, outages) times factors from a fixed linear congruential generator,
so the same command always writes the same bytes:

    python3 examples/generate_family_data.py id-chiller > examples/id-chiller/chiller.csv
    python3 examples/generate_family_data.py th-chiller > examples/th-chiller/chillers.csv
    python3 examples/generate_family_data.py mn-hob > examples/mn-hob/boilers.csv
    python3 examples/generate_family_data.py id-otb > examples/id-otb/boilers.csv
    python3 examples/generate_family_data.py vn-transformer > examples/vn-transformer/hours.csv
    python3 examples/generate_family_data.py fgas-batches > examples/fgas/batches.csv
    python3 examples/generate_family_data.py fgas-site > examples/fgas/site.csv

Values are written as decimals with a fixed number of places, so their sums
are exact and can be checked with awk.
"""
import math
import sys
from datetime import date, datetime, timedelta

from lcg import Lcg


def days(first, last):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def id_chiller(out):
    """One centrifugal chiller in a West Java factory, hourly kWh for 2017
    (local time, rows stamped at the start of their hour). The year sums to
    exactly 347,200.000 kWh, the 347.2 MWh that the ID009 monitoring report
    lists for its project chiller in 2017."""
    rng = Lcg(9)
    start = datetime(2017, 1, 1)
    raw = []
    for hour in range(365 * 24):
        moment = start + timedelta(hours=hour)
        working = moment.weekday() < 6 and 6 <= moment.hour < 22  # two shifts, Mon-Sat
        base = 1.0 if working else 0.35
        # Warmer afternoons load the chiller more.
        base *= 1.0 + 0.15 * math.sin(math.pi * (moment.hour - 6) / 16) if working else 1.0
        raw.append(base * (0.85 + 0.3 * rng.uniform()))
    target = 347_200_000  # Wh
    total = sum(raw)
    wh = [round(v / total * target) for v in raw]
    wh[wh.index(max(wh))] += target - sum(wh)  # the rounding remainder goes to the largest hour
    out.write("time,kWh\n")
    for hour, value in enumerate(wh):
        moment = start + timedelta(hours=hour)
        out.write(f"{moment:%Y-%m-%d %H:%M},{value // 1000}.{value % 1000:03d}\n")


def th_chiller(out):
    """Two chillers in a Thai factory, daily kWh for 2024, one column naming the unit."""
    out.write("date,unit,energy_kWh\n")
    chillers = [("CH-A", 9800.0, 21), ("CH-B", 4300.0, 22)]
    rngs = {name: Lcg(seed) for name, _, seed in chillers}
    for day in days(date(2024, 1, 1), date(2024, 12, 31)):
        season = 1.0 + 0.12 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 30) / 366)
        for name, daily, _ in chillers:
            factor = 0.55 if day.weekday() == 6 else 1.0
            value = daily * season * factor * (0.9 + 0.2 * rngs[name].uniform())
            out.write(f"{day:%Y-%m-%d},{name},{value:.1f}\n")


def mn_hob(out):
    """Two coal-fired heat-only boilers in a Mongolian soum centre, one heating season,
    daily coal (t) and auxiliary electricity (kWh)."""
    out.write("date,boiler,coal_t,aux_kWh\n")
    boilers = [("HOB-A", 9.0, 310.0, 31), ("HOB-B", 4.2, 150.0, 32)]
    rngs = {name: Lcg(seed) for name, _, _, seed in boilers}
    for day in days(date(2021, 10, 1), date(2022, 4, 30)):
        # Coldest in mid-January: a cosine over the season.
        offset = (day - date(2022, 1, 15)).days
        cold = 0.35 + 0.65 * math.cos(math.pi * offset / 230) ** 2
        for name, coal, aux, _ in boilers:
            r = 0.92 + 0.16 * rngs[name].uniform()
            out.write(f"{day:%Y-%m-%d},{name},{coal * cold * r:.3f},{aux * (0.6 + 0.4 * cold):.1f}\n")


def id_otb(out):
    """Two once-through boilers in an Indonesian factory, daily net steam heat (GJ),
    fuel (kg) and auxiliary electricity (kWh) for 2023."""
    out.write("date,boiler,heat_GJ,fuel_kg,aux_kWh\n")
    # name, steam heat per working day (GJ), efficiency (heat / fuel energy), NCV (GJ/t), seed
    boilers = [("OTB-GAS", 95.0, 0.95, 48.0, 41), ("OTB-OIL", 40.0, 0.92, 43.0, 42)]
    rngs = {b[0]: Lcg(b[4]) for b in boilers}
    for day in days(date(2023, 1, 1), date(2023, 12, 31)):
        for name, heat, efficiency, ncv, _ in boilers:
            rng = rngs[name]
            if day.weekday() == 6:  # Sundays: standby
                q = heat * 0.1 * (0.8 + 0.4 * rng.uniform())
            else:
                q = heat * (0.85 + 0.3 * rng.uniform())
            q = round(q, 2)
            fuel_kg = q / (efficiency * (0.98 + 0.04 * rng.uniform())) / ncv * 1000
            aux = q * 1.9
            out.write(f"{day:%Y-%m-%d},{name},{q:.2f},{fuel_kg:.1f},{aux:.1f}\n")


TRANSFORMERS = [f"TR-{n:02d}" for n in range(1, 17)]


def vn_transformer(out):
    """Sixteen distribution transformers, daily hours energised in 2019: 24 h,
    less the occasional outage."""
    out.write("date,transformer,hours\n")
    rngs = {name: Lcg(100 + n) for n, name in enumerate(TRANSFORMERS)}
    for day in days(date(2019, 1, 1), date(2019, 12, 31)):
        for name in TRANSFORMERS:
            r = rngs[name].uniform()
            hours = 24.0
            if r < 0.03:  # a planned or forced outage
                hours = 24.0 - round(1 + 22 * rngs[name].uniform(), 1)
            out.write(f"{day:%Y-%m-%d},{name},{hours:.1f}\n")


def fgas_batches(out):
    """Cylinders of recovered refrigerant fed to a destruction facility in 2022:
    one row per cylinder, net mass fed (kg)."""
    out.write("fed_at,gas,net_kg\n")
    gases = [("CFC-12", 18.0), ("HCFC-22", 35.0), ("HFC-134a", 22.0), ("R410A", 15.0), ("R404A", 12.0)]
    rng = Lcg(77)
    moment = datetime(2022, 1, 4, 9, 0)
    while moment.year == 2022:
        name, mean = gases[int(rng.uniform() * len(gases))]
        mass = mean * (0.5 + rng.uniform())
        out.write(f"{moment:%Y-%m-%dT%H:%M:%S}+07:00,{name},{mass:.2f}\n")
        moment += timedelta(hours=int(20 + 100 * rng.uniform()))


def fgas_site(out):
    """The destruction site's fuel (LPG, kg) and electricity (kWh), one row per week."""
    out.write("week_start,lpg_kg,kWh\n")
    rng = Lcg(78)
    for day in days(date(2022, 1, 3), date(2022, 12, 26)):
        if day.weekday() != 0:
            continue
        out.write(f"{day:%Y-%m-%d},{60 + 40 * rng.uniform():.1f},{450 + 200 * rng.uniform():.1f}\n")


SERIES = {
    "id-chiller": id_chiller,
    "th-chiller": th_chiller,
    "mn-hob": mn_hob,
    "id-otb": id_otb,
    "vn-transformer": vn_transformer,
    "fgas-batches": fgas_batches,
    "fgas-site": fgas_site,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SERIES:
        sys.exit("usage: generate_family_data.py " + "|".join(SERIES))
    SERIES[sys.argv[1]](sys.stdout)


if __name__ == "__main__":
    main()
