"""The benchmark's aggregation with Python's csv module (bench/run.sh):
UNIT,MONTH,tCO2 = sum of kWh x EF / 1000 per unit and month."""
import csv
import sys

EF = {f"PV{i:02d}": 0.797 if i <= 5 else 0.533 for i in range(1, 11)}
sums = {}
with open(sys.argv[1], newline="") as f:
    rows = csv.reader(f)
    next(rows)
    for timestamp, unit, _status, kwh in rows:
        if kwh:
            key = (unit, timestamp[:7])
            sums[key] = sums.get(key, 0.0) + float(kwh) * EF[unit]
for (unit, month), total in sums.items():
    print(f"{unit},{month},{total / 1000!r}")
