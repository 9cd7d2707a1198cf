"""Writes plant.csv of examples/mm-wte: generated daily data of a 60 t/day
waste-to-energy plant (not a registered project's data). Deterministic: the
same file every run."""
import datetime

rows = ["date,plant,waste_t,export_kWh,import_kWh"]
day = datetime.date(2018, 4, 7)
n = 0
while day <= datetime.date(2020, 4, 6):
    # A week's cycle of deliveries, and one maintenance day a month without
    # generation (the plant then takes electricity from the grid).
    waste = 52 + (n * 7) % 17
    maintenance = day.day == 15
    export_kwh = 0 if maintenance else 6200 + (n * 13) % 900
    import_kwh = 900 if maintenance else 0
    rows.append(f"{day},WTE1,{waste},{export_kwh},{import_kwh}")
    day += datetime.timedelta(days=1)
    n += 1
with open(__file__.replace("generate_data.py", "plant.csv"), "w") as out:
    out.write("\n".join(rows) + "\n")
