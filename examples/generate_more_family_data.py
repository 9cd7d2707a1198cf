#!/usr/bin/env python3
"""Deterministic monitoring data for the waste-heat recovery, hydro, street
lighting and cogeneration examples (the other families have
generate_pv_data.py and generate_family_data.py):

    python3 examples/generate_more_family_data.py id-whr > examples/id-whr/whr.csv
    python3 examples/generate_more_family_data.py ph-hydro > examples/ph-hydro/hydro.csv
    python3 examples/generate_more_family_data.py kh-led > examples/kh-led/lights.csv
    python3 examples/generate_more_family_data.py th-cgs > examples/th-cgs/cgs.csv

Each series is a simple physical shape (a kiln campaign, a wet and a dry
season, nights and dimming, a factory's working days) times factors from the
fixed linear congruential generator of lcg.py, written with a fixed number of
decimals so that sums are exact and can be checked with awk.
"""
import math
import sys
from datetime import date

from generate_family_data import days
from lcg import Lcg


def id_whr(out):
    """Four WHR systems of a cement plant in East Java, daily net MWh supplied to the plant,
    January to June 2019 (30.6 MW in all). Kiln 2 (PH-2, CC-2) stops 11-24 March for its
    refractory relining: those systems supply nothing."""
    out.write("date,system,net_MWh\n")
    systems = [("PH-1", 7600, 41), ("PH-2", 7600, 42), ("CC-1", 7700, 43), ("CC-2", 7700, 44)]
    rngs = {name: Lcg(seed) for name, _, seed in systems}
    for day in days(date(2019, 1, 1), date(2019, 6, 30)):
        for name, kw, _ in systems:
            factor = 0.70 + 0.12 * rngs[name].uniform()
            if name in ("PH-2", "CC-2") and date(2019, 3, 11) <= day <= date(2019, 3, 24):
                factor = 0.0
            out.write(f"{day:%Y-%m-%d},{name},{kw * 24 * factor / 1000:.3f}\n")


def ph_hydro(out):
    """One 2 MW run-of-river plant in Mindanao, daily generation and station service (MWh),
    2021. The wet season (June to November) runs near the rating; the dry season (February to
    May) drops to a fifth of it; the station service is about 0.25 MWh a day plus 1 % of the
    generation."""
    out.write("date,generation_MWh,station_MWh\n")
    rng = Lcg(51)
    for day in days(date(2021, 1, 1), date(2021, 12, 31)):
        doy = day.timetuple().tm_yday
        flow = 0.55 + 0.40 * math.sin(2 * math.pi * (doy - 196) / 365)  # low in April, high in October
        generation = 2.0 * 24 * max(0.18, min(0.95, flow)) * (0.92 + 0.16 * rng.uniform())
        station = 0.25 + 0.01 * generation
        out.write(f"{day:%Y-%m-%d},{generation:.3f},{station:.3f}\n")


def kh_led(out):
    """Two groups of LED street lights in Phnom Penh, the controller's daily log (hours on,
    kWh) for January to March 2022. Lights run from dusk to dawn (about 11.5 to 12 h); after
    midnight they are dimmed to half output. The side streets lose power on 14-16 February."""
    out.write("date,group,hours_on,kWh\n")
    groups = [("MAIN", 400, 180.0, 61), ("SIDE", 250, 70.0, 62)]
    rngs = {name: Lcg(seed) for name, _, _, seed in groups}
    for day in days(date(2022, 1, 1), date(2022, 3, 31)):
        doy = day.timetuple().tm_yday
        night = 11.9 - 0.5 * doy / 90  # nights shorten towards March
        for name, lamps, watts, _ in groups:
            hours = round(night + 0.1 * rngs[name].uniform(), 2)
            if name == "SIDE" and date(2022, 2, 14) <= day <= date(2022, 2, 16):
                hours = 0.0
            before_midnight = min(hours, 5.5)
            kwh = lamps * watts * (before_midnight + 0.5 * (hours - before_midnight)) / 1000
            out.write(f"{day:%Y-%m-%d},{name},{hours:.2f},{kwh:.2f}\n")


def th_cgs(out):
    """One 1.5 MW gas engine CGS in a factory near Bangkok, daily electricity (MWh) and heat
    (GJ) taken by the factory and gas burnt (Nm3), January to June 2023. The factory works six
    days a week; on Sundays the engine runs at half load."""
    out.write("date,electricity_MWh,heat_GJ,gas_Nm3\n")
    rng = Lcg(71)
    for day in days(date(2023, 1, 1), date(2023, 6, 30)):
        load = 0.5 if day.weekday() == 6 else 0.86 + 0.08 * rng.uniform()
        electricity = 1.5 * 24 * load
        heat = electricity * 3.6 * (1.05 + 0.1 * rng.uniform())
        gas = electricity * 3.6 / (0.395 + 0.01 * rng.uniform()) / 0.038
        out.write(f"{day:%Y-%m-%d},{electricity:.3f},{heat:.2f},{gas:.1f}\n")


SERIES = {"id-whr": id_whr, "ph-hydro": ph_hydro, "kh-led": kh_led, "th-cgs": th_cgs}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SERIES:
        sys.exit(f"usage: generate_more_family_data.py {{{'|'.join(SERIES)}}}")
    SERIES[sys.argv[1]](sys.stdout)


if __name__ == "__main__":
    main()
