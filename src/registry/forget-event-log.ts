/**
 * @module registry/forget-event-log
 * Removes a person from the server's event log files beside the database (`<db>.events.wal`, its
 * sealed segments `<db>.events.wal.<n>` and torn tails `...torn-<time>`), for a forget run while no
 * server holds the database (a running server commits its log first, then forgets in the warehouse).
 * A segment is rewritten without the person's events (a new file renamed over the old one); a torn
 * tail (bytes never acknowledged, kept for inspection) that names the person is deleted.
 */
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { decodeRecords, encodeRecord } from '../core/framed-records.js';

/** The file names of the event log beside a database. */
export function eventLogFiles(dbPath: string): string[] {
  const dir = dirname(dbPath);
  const base = `${basename(dbPath)}.events.wal`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n === base || n.startsWith(`${base}.`)).map((n) => join(dir, n));
}

type LoggedEvent = Record<string, unknown>;

/**
 * Rewrites the event log without events naming the person (a personal field equal to one of `keys`,
 * or any text holding one as a whole token). Returns the events removed.
 */
export function forgetInEventLog(
  dbPath: string,
  keys: ReadonlySet<string>,
  names: (text: string) => boolean,
): number {
  let removed = 0;
  for (const file of eventLogFiles(dbPath)) {
    const bytes = readFileSync(file);
    if (/\.torn-\d+$/.test(file)) {
      if (names(bytes.toString('utf8'))) rmSync(file);
      continue;
    }
    const { records, validBytes } = decodeRecords<LoggedEvent[]>(bytes);
    const kept: Buffer[] = [];
    let changed = false;
    for (const batch of records) {
      const left = batch.filter(
        (e) =>
          !(
            keys.has(String(e['customer_id'])) ||
            keys.has(String(e['anonymous_id'])) ||
            keys.has(String(e['email'])) ||
            names(JSON.stringify(e))
          ),
      );
      removed += batch.length - left.length;
      if (left.length !== batch.length) changed = true;
      if (left.length) kept.push(encodeRecord(left));
    }
    // Bytes after the last whole record were never acknowledged: a tail naming the person goes too.
    if (validBytes < bytes.length && names(bytes.subarray(validBytes).toString('utf8'))) changed = true;
    if (!changed) continue;
    const next = `${file}.forget-tmp`;
    writeFileSync(next, Buffer.concat(kept), { flush: true });
    renameSync(next, file);
  }
  return removed;
}
