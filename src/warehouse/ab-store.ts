/**
 * @module warehouse/ab-store
 * The SQL behind A/B splits of model versions (the `ab_splits` table): the split in force per task,
 * kept in the warehouse so it survives a restart. Its variants are stored as JSON as given
 * (name, version, share); the shapes are checked in tasks/recommend/ab-split.ts before they get here.
 *
 * @example
 *   await writeSplit(wh, 'recommend', [{ name: 'A', version: 3, share: 0.5 }, ...]);
 *   await readSplit(wh, 'recommend'); // { task, variants, startedAt } or undefined
 */
import type { Warehouse } from './warehouse.js';

export interface StoredVariant {
  readonly name: string;
  readonly version: number;
  readonly share: number;
}

export interface StoredSplit {
  readonly task: string;
  readonly variants: StoredVariant[];
  readonly startedAt: Date;
}

/** Starts (or replaces) the task's split. */
export async function writeSplit(
  wh: Warehouse,
  task: string,
  variants: readonly StoredVariant[],
  startedAt = new Date(),
): Promise<StoredSplit> {
  const json = JSON.stringify(variants.map((v) => ({ name: v.name, version: v.version, share: v.share })));
  await wh.exec(
    `INSERT INTO ab_splits (task, variants, started_at) VALUES (?, ?::JSON, ?)
     ON CONFLICT (task) DO UPDATE SET variants = excluded.variants, started_at = excluded.started_at`,
    [task, json, startedAt],
  );
  return { task, variants: variants.map((v) => ({ ...v })), startedAt };
}

export async function readSplit(wh: Warehouse, task: string): Promise<StoredSplit | undefined> {
  const rows = await wh.rows<{ variants: string; started_at: Date }>(
    'SELECT CAST(variants AS VARCHAR) AS variants, started_at FROM ab_splits WHERE task = ?',
    [task],
  );
  const r = rows[0];
  if (!r) return undefined;
  return { task, variants: JSON.parse(r.variants) as StoredVariant[], startedAt: r.started_at };
}

/** Ends the task's split; false when none was in force. */
export async function deleteSplit(wh: Warehouse, task: string): Promise<boolean> {
  const rows = await wh.rows<{ n: number }>('DELETE FROM ab_splits WHERE task = ? RETURNING 1 AS n', [task]);
  return rows.length > 0;
}
