#!/usr/bin/env python3
"""Deterministic monitoring data for the production-normalised and wastewater
examples (the other families have generate_pv_data.py, generate_family_data.py
and generate_more_family_data.py):

    python3 examples/generate_process_data.py id-looms > examples/id-looms/looms.csv

Each series is a simple physical shape (a weaving mill's three sheds and its
holiday shutdown) times factors from the fixed linear congruential generator
of lcg.py, written with a fixed number of decimals so that sums are exact and
can be checked with awk.
"""
import sys
from datetime import date

from generate_family_data import days
from lcg import Lcg


def id_looms(out):
    """Three sheds of air-saving air jet looms (81 in all, as in JCM project ID015) in a West
    Java weaving mill, the production system's daily fabric (m) and the metered electricity of
    each shed's looms and their share of the compressed air (kWh), January to June 2018. The
    looms run around the clock at 86 to 94 % efficiency; the mill shuts for Lebaran from 13 to
    20 June (compressors off, a little standby load); SHED-C changes style from 5 to 9 March
    (40 % output)."""
    out.write("date,shed,fabric_m,kWh\n")
    # shed, looms, metres per loom and day at full speed, kWh per metre, seed
    sheds = [("SHED-A", 28, 440.0, 0.240, 81), ("SHED-B", 27, 480.0, 0.220, 82),
             ("SHED-C", 26, 330.0, 0.310, 83)]
    rngs = {name: Lcg(seed) for name, _, _, _, seed in sheds}
    for day in days(date(2018, 1, 1), date(2018, 6, 30)):
        for name, looms, full, sec, _ in sheds:
            rng = rngs[name]
            efficiency = 0.86 + 0.08 * rng.uniform()
            spread = 0.97 + 0.06 * rng.uniform()
            if date(2018, 6, 13) <= day <= date(2018, 6, 20):
                efficiency = 0.0
            elif name == "SHED-C" and date(2018, 3, 5) <= day <= date(2018, 3, 9):
                efficiency *= 0.4
            fabric = round(looms * full * efficiency, 1)
            kwh = fabric * sec * spread + 20.0  # lighting and controls of the shed
            out.write(f"{day:%Y-%m-%d},{name},{fabric:.1f},{kwh:.1f}\n")


SERIES = {"id-looms": id_looms}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SERIES:
        sys.exit(f"usage: generate_process_data.py {{{'|'.join(SERIES)}}}")
    SERIES[sys.argv[1]](sys.stdout)


if __name__ == "__main__":
    main()
