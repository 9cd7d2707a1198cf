# The benchmark's aggregation in awk (bench/run.sh runs it with mawk):
# UNIT,MONTH,tCO2 = sum of kWh × EF / 1000 per unit and month, EF as in
# bench/project.yaml (PV01-PV05 0.797 tCO2/MWh, PV06-PV10 0.533).
BEGIN { FS = ","; OFS = "," }
NR > 1 && $4 != "" {
  ef = $2 <= "PV05" ? 0.797 : 0.533
  sum[$2 "," substr($1, 1, 7)] += $4 * ef
}
END { for (key in sum) printf "%s,%.17g\n", key, sum[key] / 1000 }
