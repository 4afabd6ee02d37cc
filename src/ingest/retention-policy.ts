/**
 * @module ingest/retention-policy
 * How long the store keeps what it need not keep forever (`privacy.retention`): events older than
 * N days, quarantined raw rows N days after their import. Read from a config file (YAML or JSON,
 * `privacy: { retention: { events_days: 400, quarantine_days: 90 } }`) and/or flags; every age is
 * checked before anything is deleted: a whole number of days from 1 to 36,500 (100 years). Zero,
 * negative, fractional or larger ages are refused with the file and key path, never clamped.
 *
 * @example
 *   const policy = retentionPolicy({ file: 'shopsight.yaml', flags: { eventsDays: '400' } });
 *   policy; // { eventsDays: 400, quarantineDays: 90 }
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface RetentionPolicy {
  /** Events older than this many days are deleted; undefined: events are kept. */
  readonly eventsDays?: number;
  /** Quarantine rows of imports finished more than this many days ago are deleted. */
  readonly quarantineDays?: number;
}

export const MAX_RETENTION_DAYS = 36_500;

const require = createRequire(import.meta.url);
const parseYaml = (text: string): unknown =>
  (require('yaml') as { parse: (s: string) => unknown }).parse(text);

/** A checked age in days; `where` names the file and key path, or the flag. */
export function checkDays(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new Error(`${where}: a number of days is needed, got ${JSON.stringify(value)}`);
  }
  if (!Number.isInteger(n)) throw new Error(`${where}: a whole number of days is needed, got ${n}`);
  if (n < 1)
    throw new Error(`${where}: ${n} days would delete everything or nothing sensible; use 1 or more`);
  if (n > MAX_RETENTION_DAYS) {
    throw new Error(
      `${where}: ${n} days is over 100 years (${MAX_RETENTION_DAYS}); to keep everything, leave the setting out`,
    );
  }
  return n;
}

const KEYS = { events_days: 'eventsDays', quarantine_days: 'quarantineDays' } as const;

/** The `privacy.retention` section of a config document (unknown keys refused). */
export function parseRetention(doc: unknown, file: string): RetentionPolicy {
  const obj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!obj(doc)) throw new Error(`${file}: a config file must be an object`);
  const privacy = doc['privacy'];
  if (privacy === undefined) return {};
  if (!obj(privacy)) throw new Error(`${file}: privacy: must be an object`);
  const retention = privacy['retention'];
  if (retention === undefined) return {};
  if (!obj(retention)) throw new Error(`${file}: privacy.retention: must be an object`);
  const out: { eventsDays?: number; quarantineDays?: number } = {};
  for (const [key, value] of Object.entries(retention)) {
    const field = KEYS[key as keyof typeof KEYS];
    if (!field) {
      throw new Error(
        `${file}: privacy.retention.${key}: unknown setting (known: ${Object.keys(KEYS).join(', ')})`,
      );
    }
    out[field] = checkDays(value, `${file}: privacy.retention.${key}`);
  }
  return out;
}

/** The policy of a config file, with flags (text as typed) overriding it. */
export function retentionPolicy(source: {
  readonly file?: string;
  readonly flags?: { readonly eventsDays?: string; readonly quarantineDays?: string };
}): RetentionPolicy {
  let policy: RetentionPolicy = {};
  if (source.file) {
    const file = source.file;
    let doc: unknown;
    try {
      const text = readFileSync(file, 'utf8');
      doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    } catch (err) {
      throw new Error(`${file}: cannot read the config file: ${(err as Error).message}`, { cause: err });
    }
    policy = parseRetention(doc, file);
  }
  const f = source.flags ?? {};
  return {
    ...policy,
    ...(f.eventsDays !== undefined ? { eventsDays: checkDays(f.eventsDays, '--events-days') } : {}),
    ...(f.quarantineDays !== undefined
      ? { quarantineDays: checkDays(f.quarantineDays, '--quarantine-days') }
      : {}),
  };
}
