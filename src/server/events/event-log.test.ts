import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeRecords, encodeRecord, EventLog } from './event-log.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shopsight-wal-'));
  path = join(dir, 'shop.duckdb.events.wal');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Rec = { n: number; text: string };
const rec = (n: number): Rec => ({ n, text: `record ${n} é` });

describe('record encoding', () => {
  it('round-trips records and stops at the first damaged one', () => {
    const bytes = Buffer.concat([encodeRecord(rec(1)), encodeRecord(rec(2)), encodeRecord(rec(3))]);
    expect(decodeRecords<Rec>(bytes)).toEqual({
      records: [rec(1), rec(2), rec(3)],
      texts: [rec(1), rec(2), rec(3)].map((r) => JSON.stringify(r)),
      validBytes: bytes.length,
    });
    const first = encodeRecord(rec(1)).length;
    // A flipped bit in record 2's payload: its checksum fails, records 2 and 3 are not read.
    const flipped = Buffer.from(bytes);
    flipped[first + 8 + 3]! ^= 0x01;
    expect(decodeRecords<Rec>(flipped)).toEqual({
      records: [rec(1)],
      texts: [JSON.stringify(rec(1))],
      validBytes: first,
    });
    // A header cut short, and a length pointing past the end.
    expect(decodeRecords<Rec>(bytes.subarray(0, first + 5)).records).toEqual([rec(1)]);
    expect(decodeRecords<Rec>(bytes.subarray(0, bytes.length - 1)).records).toEqual([rec(1), rec(2)]);
  });
});

describe('EventLog', () => {
  it('hands appended records to seal, and a removed segment is gone', async () => {
    const { log, recovered } = await EventLog.open<Rec>(path);
    expect(recovered).toEqual([]);
    await log.append(rec(1));
    await log.append(rec(2));
    const sealed = await log.seal();
    expect(sealed?.records).toEqual([rec(1), rec(2)]);
    expect(sealed?.path).toBe(`${path}.1`);
    expect(await log.seal()).toBeNull();
    await log.append(rec(3));
    await log.remove(sealed!);
    expect(existsSync(`${path}.1`)).toBe(false);
    await log.close();
    // The unsealed record 3 is still on disk: the next open recovers it.
    const again = await EventLog.open<Rec>(path);
    expect(again.recovered.map((s) => s.records)).toEqual([[rec(3)]]);
    await again.log.close();
  });

  it('recovers sealed and active segments of a run that did not finish, oldest first', async () => {
    const first = await EventLog.open<Rec>(path);
    await first.log.append(rec(1));
    await first.log.seal(); // never removed: the warehouse commit did not happen
    await first.log.append(rec(2));
    await first.log.append(rec(3));
    // No close: as after a crash.
    const second = await EventLog.open<Rec>(path);
    expect(second.recovered.map((s) => s.records)).toEqual([[rec(1)], [rec(2), rec(3)]]);
    expect(second.tornBytes).toBe(0);
    for (const s of second.recovered) await second.log.remove(s);
    await second.log.append(rec(4));
    const sealed = await second.log.seal();
    // Numbering continues after the recovered segments, so no name is reused.
    expect(sealed?.path).toBe(`${path}.3`);
    await second.log.close();
    await first.log.close();
  });

  it('drops a torn tail, keeps it aside, and appends cleanly after it', async () => {
    const first = await EventLog.open<Rec>(path);
    for (let i = 1; i <= 3; i++) await first.log.append(rec(i));
    // A crash in the middle of writing record 4: half of it reached the disk.
    const partial = encodeRecord(rec(4));
    appendFileSync(path, partial.subarray(0, partial.length - 7));
    const second = await EventLog.open<Rec>(path);
    expect(second.recovered.map((s) => s.records)).toEqual([[rec(1), rec(2), rec(3)]]);
    expect(second.tornBytes).toBe(partial.length - 7);
    const aside = readdirSync(dir).filter((f) => f.includes('.torn-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!)).length).toBe(partial.length - 7);
    await second.log.append(rec(5));
    await second.log.close();
    const third = await EventLog.open<Rec>(path);
    expect(third.recovered.map((s) => s.records)).toEqual([[rec(1), rec(2), rec(3)], [rec(5)]]);
    await third.log.close();
    await first.log.close();
  });

  it('treats random bytes and a zero-filled tail as torn, not as records', async () => {
    writeFileSync(path, Buffer.concat([encodeRecord(rec(1)), Buffer.alloc(64)]));
    const a = await EventLog.open<Rec>(path);
    // 64 zero bytes decode as a record of length 0 with checksum 0, but crc32('') is 0 and ''
    // is not JSON: the tail is torn either way.
    expect(a.recovered.map((s) => s.records)).toEqual([[rec(1)]]);
    expect(a.tornBytes).toBe(64);
    await a.log.close();
  });

  it('writes concurrent appends in arrival order, every one durable when it resolves', async () => {
    const { log } = await EventLog.open<Rec>(path);
    await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(rec(i))));
    expect(log.pendingRecords).toBe(200);
    const again = await EventLog.open<Rec>(path);
    expect(again.recovered[0]?.records).toEqual(Array.from({ length: 200 }, (_, i) => rec(i)));
    await again.log.close();
    await log.close();
  });

  it('refuses appends after close', async () => {
    const { log } = await EventLog.open<Rec>(path);
    await log.close();
    await expect(log.append(rec(1))).rejects.toThrow(/closed/);
    expect(existsSync(path)).toBe(false);
  });
});
