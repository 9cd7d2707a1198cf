// The benchmark's aggregation with DuckDB on one thread (bench/run.sh):
// UNIT,MONTH,tCO2 = sum of kWh x EF / 1000 per unit and month. Uses the npm
// package `duckdb`, or else `@duckdb/node-api`, from NODE_PATH.
const file = process.argv[2];
const sql = `SELECT unit, substr(timestamp, 1, 7) AS month,
       sum(energy_kWh * CASE WHEN unit <= 'PV05' THEN 0.797 ELSE 0.533 END) / 1000 AS t
  FROM read_csv('${file.replace(/'/g, "''")}', header = true,
       columns = {'timestamp': 'VARCHAR', 'unit': 'VARCHAR', 'status': 'VARCHAR', 'energy_kWh': 'DOUBLE'})
  GROUP BY ALL`;
const print = (rows) => {
  const out = rows.map((r) => `${r[0]},${r[1]},${Number(r[2])}`);
  process.stdout.write(out.join("\n") + "\n");
};
let legacy = null;
try { legacy = require("duckdb"); } catch (e) { legacy = null; }
if (legacy) {
  const db = new legacy.Database(":memory:");
  db.all("SET threads = 1", (e) => {
    if (e) throw e;
    db.all(sql, (err, rows) => {
      if (err) throw err;
      print(rows.map((r) => [r.unit, r.month, r.t]));
    });
  });
} else {
  const { DuckDBInstance } = require("@duckdb/node-api");
  (async () => {
    const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    const connection = await instance.connect();
    const result = await connection.runAndReadAll(sql);
    print(result.getRows());
  })();
}
