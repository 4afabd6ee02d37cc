import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TABLES } from '../../schema/tables.js';
import { DuckDBWarehouse, SchemaVersionError } from './duckdb-warehouse.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations.js';
import { DUCKDB_TYPES } from './sql-types.js';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsight-mig-'));
  dirs.push(dir);
  return join(dir, 'store.duckdb');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('schema migrations', () => {
  it('creates every canonical table with the columns and types of schema/tables.ts', async () => {
    const wh = await DuckDBWarehouse.open(':memory:');
    expect(wh.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    for (const table of Object.values(TABLES)) {
      const cols = await wh.rows<{ column_name: string; data_type: string; is_nullable: string }>(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
         WHERE table_name = ? ORDER BY ordinal_position`,
        [table.name],
      );
      expect(cols.map((c) => c.column_name)).toEqual(table.columns.map((c) => c.name));
      expect(cols.map((c) => c.data_type)).toEqual(table.columns.map((c) => DUCKDB_TYPES[c.type]));
      expect(cols.map((c) => c.is_nullable === 'NO')).toEqual(table.columns.map((c) => Boolean(c.required)));
    }
    await wh.close();
  });

  // Versions may have gaps while parallel branches hold reserved numbers: the next one is latest + 1.
  it('brings a database written by an older version forward and keeps its data', async () => {
    const path = tempDb();
    const v2: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      description: 'test-only: add a loyalty tier column',
      statements: ['ALTER TABLE customers ADD COLUMN tier VARCHAR'],
    };
    const old = await DuckDBWarehouse.open(path);
    await old.exec("INSERT INTO customers (customer_id, country) VALUES ('c1', 'France')");
    await old.close();

    const upgraded = await DuckDBWarehouse.open(path, { migrations: [...MIGRATIONS, v2] });
    expect(upgraded.schemaVersion).toBe(v2.version);
    expect(await upgraded.rows('SELECT customer_id, country, tier FROM customers')).toEqual([
      { customer_id: 'c1', country: 'France', tier: null },
    ]);
    await upgraded.close();
  });

  it('refuses a database from a newer version with a clear message', async () => {
    const path = tempDb();
    const wh = await DuckDBWarehouse.open(path);
    await wh.exec("UPDATE shopsight_meta SET value = '999' WHERE key = 'schema_version'");
    await wh.close();
    await expect(DuckDBWarehouse.open(path)).rejects.toThrow(SchemaVersionError);
    await expect(DuckDBWarehouse.open(path)).rejects.toThrow(/newer Shopsight \(schema version 999\)/);
  });

  it('rolls a failing migration back and names it', async () => {
    const path = tempDb();
    const bad: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      description: 'test-only: broken',
      statements: ['ALTER TABLE customers ADD COLUMN tier VARCHAR', 'SELECT * FROM no_such_table'],
    };
    await expect(DuckDBWarehouse.open(path, { migrations: [...MIGRATIONS, bad] })).rejects.toThrow(
      new RegExp(`cannot migrate .* to ${LATEST_SCHEMA_VERSION + 1} \\(test-only: broken\\)`),
    );
    const wh = await DuckDBWarehouse.open(path);
    const cols = await wh.rows(
      "SELECT column_name FROM information_schema.columns WHERE table_name='customers'",
    );
    expect(cols.map((c) => c['column_name'])).not.toContain('tier');
    await wh.close();
  });
});
