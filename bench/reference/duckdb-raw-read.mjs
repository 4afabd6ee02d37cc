/**
 * The import's reference: DuckDB alone reading a CSV (gzip or not) into a table of a new database
 * file, in a node process that does only that. The import bench times this whole process against
 * `shopsight import` of the same file (bench/suites/import.ts); anyone can re-measure it:
 *
 *   node bench/reference/duckdb-raw-read.mjs ../shared/datasets/online-retail/online_retail.csv.gz /tmp/raw.duckdb
 *
 * Plain JavaScript, run by node itself: a TypeScript loader would add its own start-up to the
 * reference's time. Prints {"rows": n} so the bench can check both read the same rows.
 * DuckDB is loaded by require, as Shopsight loads it (src/warehouse/duckdb/node-api.ts): an ESM import
 * of the CommonJS package costs about 0.2 s of CPU more, which the reference should not pay.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';

const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api');

const [file, db] = process.argv.slice(2);
if (!file || !db)
  throw new Error('usage: node bench/reference/duckdb-raw-read.mjs <file.csv[.gz]> <new.duckdb>');
if (existsSync(db)) throw new Error(`${db} exists: the reference writes into a new database file`);
const instance = await DuckDBInstance.create(db);
const conn = await instance.connect();
const path = file.replaceAll("'", "''");
await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv('${path}')`);
const reader = await conn.runAndReadAll('SELECT count(*) AS n FROM t');
const rows = Number(reader.getRowObjects()[0]?.['n'] ?? 0);
conn.closeSync();
instance.closeSync();
process.stdout.write(JSON.stringify({ rows }) + '\n');
