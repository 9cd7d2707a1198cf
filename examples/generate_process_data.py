#!/usr/bin/env python3
"""Deterministic monitoring data for the production-normalised and wastewater
examples (the other families have generate_pv_data.py, generate_family_data.py
and generate_more_family_data.py):

    python3 examples/generate_process_data.py id-looms > examples/id-looms/looms.csv
    python3 examples/generate_process_data.py th-wastewater > examples/th-wastewater/digester.csv

Each series is a simple physical shape (a weaving mill's three sheds and its
holiday shutdown; a starch factory's crushing season, its digester's biogas
and an engine overhaul) times factors from the fixed linear congruential generator
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


def th_wastewater(out):
    """The covered-lagoon digester of a cassava starch factory in Nakhon Ratchasima, daily
    wastewater (m3), COD in and out (g/L = kg/m3), biogas to the 1 MW gas engine and to the
    flare (Nm3), methane content (%), electricity generated and consumed by the digester's
    pumps and mixers (MWh), January to June 2023. The crushing season ends in April (60 % of
    the wastewater from May). The digester yields about 0.3 Nm3 of methane per kg of COD
    removed, of which 97 % reaches the meters; the engine takes what it can (about 264 Nm3 of
    methane per MWh) and the flare the rest. The engine is overhauled from 8 to 19 May (all
    biogas flared) and the flare fails from 10 to 19 May (the biogas is vented unmetered)."""
    out.write("date,wastewater_m3,COD_in_g_L,COD_out_g_L,biogas_engine_Nm3,biogas_flare_Nm3,"
              "CH4_pct,generated_MWh,auxiliary_MWh\n")
    rng = Lcg(91)
    for day in days(date(2023, 1, 1), date(2023, 6, 30)):
        season = 1.0 if day.month <= 4 else 0.6
        wastewater = round(1500 * season * (0.9 + 0.2 * rng.uniform()), 1)
        cod_in = round(18 + 4 * rng.uniform(), 2)
        cod_out = round(1.2 + 0.6 * rng.uniform(), 2)
        ch4_pct = round(58 + 4 * rng.uniform(), 1)
        methane = wastewater * (cod_in - cod_out) * 0.30 * (0.95 + 0.1 * rng.uniform()) * 0.97
        engine_ch4 = min(methane, 6020 * (0.97 + 0.03 * rng.uniform()))
        if date(2023, 5, 8) <= day <= date(2023, 5, 19):
            engine_ch4 = 0.0
        flare_ch4 = methane - engine_ch4
        if date(2023, 5, 10) <= day <= date(2023, 5, 19):
            flare_ch4 = 0.0
        generated = engine_ch4 / 264
        auxiliary = 0.9 + 0.2 * rng.uniform()
        out.write(f"{day:%Y-%m-%d},{wastewater:.1f},{cod_in:.2f},{cod_out:.2f},"
                  f"{engine_ch4 / ch4_pct * 100:.0f},{flare_ch4 / ch4_pct * 100:.0f},{ch4_pct:.1f},"
                  f"{generated:.3f},{auxiliary:.3f}\n")


SERIES = {"id-looms": id_looms, "th-wastewater": th_wastewater}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SERIES:
        sys.exit(f"usage: generate_process_data.py {{{'|'.join(SERIES)}}}")
    SERIES[sys.argv[1]](sys.stdout)


if __name__ == "__main__":
    main()
