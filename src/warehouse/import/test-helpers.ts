/**
 * Shared by the import tests: a scratch folder per test and an in-memory warehouse.
 * Fixtures are written by the tests themselves, so every expected number can be read off them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach } from 'vitest';
import { DuckDBWarehouse } from '../duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse.js';
import { DATA_TABLES } from '../../schema/tables.js';

export interface Scratch {
  readonly dir: string;
  write(name: string, content: string | Buffer): string;
  writeGz(name: string, content: string): string;
  cleanup(): void;
}

export function scratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'shopsight-import-'));
  return {
    dir,
    write(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    writeGz(name, content) {
      const path = join(dir, name);
      writeFileSync(path, gzipSync(Buffer.from(content, 'utf8')));
      return path;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function memoryWarehouse(): Promise<Warehouse> {
  return DuckDBWarehouse.open(':memory:');
}

/** Row counts of every data table plus the quarantine: a snapshot to compare before/after. */
export async function snapshot(wh: Warehouse): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [...DATA_TABLES, 'quarantine', 'imports']) {
    const [row] = await wh.rows<{ n: number }>(`SELECT count(*) AS n FROM ${t}`);
    out[t] = row?.n ?? 0;
  }
  return out;
}

/**
 * A fresh scratch folder and in-memory warehouse for every test of the calling suite (read the
 * fields inside the tests, not at definition time).
 */
export function freshImportFixture(): { readonly s: Scratch; readonly wh: Warehouse } {
  const fixture = {} as { s: Scratch; wh: Warehouse };
  beforeEach(async () => {
    fixture.s = scratch();
    fixture.wh = await memoryWarehouse();
  });
  afterEach(async () => {
    await fixture.wh.close();
    fixture.s.cleanup();
  });
  return fixture;
}
