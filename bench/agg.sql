-- The benchmark's aggregation in SQLite (bench/run.sh imports the CSV into
-- table `data` first): UNIT,MONTH,tCO2 = sum of kWh × EF / 1000.
.mode list
.separator ,
SELECT unit, substr(timestamp, 1, 7),
       printf('%!.17g', sum(energy_kWh * CASE WHEN unit <= 'PV05' THEN 0.797 ELSE 0.533 END) / 1000)
FROM data WHERE energy_kWh != '' GROUP BY 1, 2;
