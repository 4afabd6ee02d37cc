/**
 * The import's floor: what writing Online Retail's canonical tables costs with none of the import's
 * checks. A node process that does the import's work in its fastest shape and nothing else: the .gz
 * is inflated by Node to a plain copy while the database opens and its four canonical tables are
 * created (as `shopsight import` does, so DuckDB can read the copy on every core), DuckDB reads the
 * copy with the columns typed by its own reader, and one transaction writes customers, products,
 * orders and numbered order lines, committed by checkpoint; then the database is closed.
 *
 * Left out, and so measured by the difference from the import (bench/suites/import.ts): the gzip
 * check's line count, every field read as text so a bad value quarantines its row instead of
 * refusing the file, exact file lines, required fields, allowed values and ranges, duplicate rows
 * and keys, the whole-file checks, the quarantine, upserts that keep earlier imports, order status
 * history, the import log and the schema's other tables. It reads the Online Retail layout only.
 *
 *   node bench/reference/duckdb-canonical-floor.mjs ../shared/datasets/online-retail/online_retail.csv.gz /tmp/floor.duckdb
 *
 * Plain JavaScript run by node, DuckDB loaded by require, as bench/reference/duckdb-raw-read.mjs
 * and for the same reasons. Prints {"rows": n, "orderItems": m}.
 */
import { existsSync, mkdtempSync, rmSync, createReadStream, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api');

const [file, db] = process.argv.slice(2);
if (!file || !db)
  throw new Error('usage: node bench/reference/duckdb-canonical-floor.mjs <file.csv.gz> <new.duckdb>');
if (existsSync(db)) throw new Error(`${db} exists: the floor writes into a new database file`);

const CHUNK = 1 << 20; // the import's piece size (src/ingest/sources.ts)
const dir = mkdtempSync(join(tmpdir(), 'shopsight-floor-'));
const copy = join(dir, 'source.csv');
const inflated = pipeline(
  createReadStream(file, { highWaterMark: CHUNK }),
  createGunzip({ chunkSize: CHUNK }),
  createWriteStream(copy),
);
try {
  const instance = await DuckDBInstance.create(db);
  const conn = await instance.connect();
  // The canonical tables' columns this file fills, with the schema's keys (src/warehouse/duckdb/migrations.ts).
  await conn.run(`
    CREATE TABLE customers (customer_id VARCHAR NOT NULL PRIMARY KEY, first_seen_at TIMESTAMP, country VARCHAR);
    CREATE TABLE products (product_id VARCHAR NOT NULL PRIMARY KEY, title VARCHAR, price DECIMAL(18,4),
      is_merchandise BOOLEAN NOT NULL);
    CREATE TABLE orders (order_id VARCHAR NOT NULL PRIMARY KEY, customer_id VARCHAR, ordered_at TIMESTAMP NOT NULL,
      status VARCHAR NOT NULL, country VARCHAR);
    CREATE TABLE order_items (order_id VARCHAR NOT NULL, line_no BIGINT NOT NULL, product_id VARCHAR NOT NULL,
      quantity DOUBLE NOT NULL, unit_price DECIMAL(18,4) NOT NULL);`);
  await inflated;
  const path = copy.replaceAll("'", "''");
  await conn.run(`CREATE TEMP TABLE src AS SELECT * FROM read_csv('${path}', header = true,
    types = {'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'DOUBLE',
             'InvoiceDate': 'TIMESTAMP', 'UnitPrice': 'DECIMAL(18,4)', 'CustomerID': 'VARCHAR', 'Country': 'VARCHAR'})`);
  await conn.run("SET checkpoint_threshold = '1MB'");
  await conn.run('BEGIN TRANSACTION');
  await conn.run(`INSERT INTO customers SELECT CustomerID, min(InvoiceDate), arg_min(Country, InvoiceDate)
    FROM src WHERE CustomerID IS NOT NULL GROUP BY CustomerID`);
  await conn.run(`INSERT INTO products SELECT StockCode, arg_max(Description, InvoiceDate), arg_max(UnitPrice, InvoiceDate), true
    FROM src GROUP BY StockCode`);
  await conn.run(`INSERT INTO orders SELECT InvoiceNo, arg_min(CustomerID, InvoiceDate), min(InvoiceDate),
    CASE WHEN starts_with(InvoiceNo, 'C') THEN 'cancelled' ELSE 'placed' END, arg_min(Country, InvoiceDate)
    FROM src GROUP BY InvoiceNo`);
  await conn.run(`INSERT INTO order_items SELECT InvoiceNo, row_number() OVER (PARTITION BY InvoiceNo ORDER BY rowid),
    StockCode, Quantity, UnitPrice FROM src`);
  await conn.run('COMMIT');
  const counts = await conn.runAndReadAll(
    'SELECT (SELECT count(*) FROM src) AS rows, (SELECT count(*) FROM order_items) AS items',
  );
  const [rows, items] = counts.getRows()[0].map(Number);
  conn.closeSync();
  instance.closeSync();
  process.stdout.write(JSON.stringify({ rows, orderItems: items }) + '\n');
} finally {
  await inflated.catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
