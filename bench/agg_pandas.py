"""The benchmark's aggregation with pandas (bench/run.sh):
UNIT,MONTH,tCO2 = sum of kWh x EF / 1000 per unit and month."""
import sys

import pandas as pd

EF = {f"PV{i:02d}": 0.797 if i <= 5 else 0.533 for i in range(1, 11)}
data = pd.read_csv(sys.argv[1], usecols=["timestamp", "unit", "energy_kWh"],
                   dtype={"timestamp": str, "unit": str, "energy_kWh": float})
data = data.dropna(subset=["energy_kWh"])
data["month"] = data["timestamp"].str.slice(0, 7)
data["t"] = data["energy_kWh"] * data["unit"].map(EF)
sums = data.groupby(["unit", "month"])["t"].sum() / 1000
for (unit, month), total in sums.items():
    print(f"{unit},{month},{total!r}")
