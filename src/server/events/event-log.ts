/**
 * @module server/events/event-log
 * The write-ahead log of accepted events: an acknowledged event is on disk before the client hears
 * "accepted", and it stays there until the warehouse has committed it.
 *
 * Files, beside the database: `<db>.events.wal` is the segment being appended to; a flush seals it
 * (renamed to `<db>.events.wal.<n>`), writes its records to the warehouse and deletes the sealed
 * file only after the commit. On start every segment found is read back (replay) before new events
 * are taken, so a crash at any point loses nothing that was acknowledged.
 *
 * A record: 4-byte little-endian payload length, 4-byte CRC-32 of the payload, the payload (UTF-8
 * JSON). A crash mid-write leaves a torn tail: a short header, a length past the end, or a checksum
 * that does not match. Reading stops at the first such record and the rest of the file is set aside
 * as `<segment>.torn-<time>` (it was never acknowledged: the fsync had not returned), so it is
 * dropped, never misread and never silently destroyed.
 *
 * Appends are group-committed: the records that arrive while a write is in progress are written
 * together by the next write and share one fsync.
 *
 * @example
 *   const { log, recovered } = await EventLog.open<Batch>('/data/shop.duckdb.events.wal');
 *   await log.append(batch);               // resolves after fsync
 *   const sealed = await log.seal();       // the records appended so far, now in their own file
 *   // ... commit sealed.records to the warehouse, then:
 *   await log.remove(sealed);
 */
import { open, readdir, readFile, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { decodeRecords, encodeRecord, recordHeader } from '../../core/framed-records.js';

export { decodeRecords, encodeRecord };

/** A sealed segment: a file of records that the warehouse has not committed yet. */
export interface Segment<T> {
  readonly path: string;
  /** What the appender kept in memory of each record; for records read back at start, `revive(parsed JSON)`. */
  readonly records: readonly T[];
  /**
   * Each record's JSON as written: UTF-8 bytes for records appended by this process (the payload
   * as given, no copy), text for records read back at start. The warehouse insert reads it instead
   * of serialising the records again.
   */
  readonly json: readonly (string | Uint8Array)[];
}

/** What reading a segment found. */
export interface SegmentRead<T> {
  readonly records: T[];
  readonly texts: string[];
  /** Bytes after the last whole record (a torn tail), set aside, not read. */
  readonly tornBytes: number;
}

type Op<T> =
  | {
      kind: 'append';
      /** Header and payload. */
      bytes: readonly Uint8Array[];
      payload: T;
      json: Uint8Array;
      resolve: () => void;
      reject: (e: Error) => void;
    }
  | { kind: 'seal'; resolve: (s: Segment<T> | null) => void; reject: (e: Error) => void };

export class EventLog<T> {
  private readonly queue: Op<T>[] = [];
  private running = false;
  private draining: Promise<void> = Promise.resolve();
  /** Records of the active segment, in file order (what the next seal hands over). */
  private active: T[] = [];
  private activeJson: Uint8Array[] = [];
  /** Bytes of the active segment known to be whole and synced. */
  private size = 0;
  private broken: Error | null = null;
  private closed = false;

  private constructor(
    readonly path: string,
    private fh: FileHandle,
    private nextSeq: number,
  ) {}

  /**
   * Opens the log at `path` (the active segment's name). Segments left by an earlier run, the
   * active one included, come back sealed in `recovered`, oldest first, each record as
   * `revive(its parsed JSON)`: write them to the warehouse (idempotently), then `remove` them.
   */
  static async open<T>(
    path: string,
    revive: (parsed: unknown) => T = (parsed) => parsed as T,
  ): Promise<{ log: EventLog<T>; recovered: Segment<T>[]; tornBytes: number }> {
    const dir = dirname(path);
    const base = basename(path);
    const sealedNames = (await readdir(dir))
      .map((name) => ({ name, seq: sealedSeq(base, name) }))
      .filter((f): f is { name: string; seq: number } => f.seq !== null)
      .sort((a, b) => a.seq - b.seq);
    let nextSeq = (sealedNames[sealedNames.length - 1]?.seq ?? 0) + 1;
    const paths = sealedNames.map((f) => join(dir, f.name));
    // The active segment of the last run is sealed like any other, so replay has one path.
    const activeSize = await open(path, 'r')
      .then(async (fh) => {
        const { size } = await fh.stat();
        await fh.close();
        return size;
      })
      .catch(() => -1);
    if (activeSize > 0) {
      const sealed = `${path}.${nextSeq++}`;
      await rename(path, sealed);
      paths.push(sealed);
    } else if (activeSize === 0) await unlink(path);
    const recovered: Segment<T>[] = [];
    let tornBytes = 0;
    for (const p of paths) {
      const read = await readSegment<unknown>(p);
      tornBytes += read.tornBytes;
      recovered.push({ path: p, records: read.records.map(revive), json: read.texts });
    }
    const fh = await open(path, 'wx');
    await syncDir(dir);
    return { log: new EventLog<T>(path, fh, nextSeq), recovered, tornBytes };
  }

  /** Records appended to the active segment and not sealed yet. */
  get pendingRecords(): number {
    return this.active.length;
  }

  /**
   * Writes one record and resolves once it is on disk (fsync'd). The record's JSON is `json` when
   * the caller has it (UTF-8 bytes of what `payload` stands for, kept without a copy for the
   * warehouse insert), else `payload` serialised.
   */
  append(payload: T, json: Uint8Array = Buffer.from(JSON.stringify(payload))): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closed) return Promise.reject(new Error('the event log is closed'));
    const bytes = [recordHeader(json), json];
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ kind: 'append', bytes, payload, json, resolve, reject });
      this.run();
    });
  }

  /**
   * Closes the active segment under its sealed name and starts a new one; the sealed segment holds
   * every record whose append has resolved before this call. Null when there was nothing to seal.
   */
  seal(): Promise<Segment<T> | null> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'seal', resolve, reject });
      this.run();
    });
  }

  /** Deletes a sealed segment (after the warehouse committed its records). */
  async remove(segment: Segment<T>): Promise<void> {
    await unlink(segment.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** Stops taking appends once the queued ones are written; the active segment stays for replay. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running) await this.draining;
    await this.fh.close().catch(() => undefined);
    // An empty active segment is not worth leaving behind.
    if (this.size === 0) await unlink(this.path).catch(() => undefined);
  }

  private run(): void {
    if (this.running) return;
    this.running = true;
    this.draining = this.drain().finally(() => {
      this.running = false;
      if (this.queue.length) this.run();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const first = this.queue[0]!;
      if (first.kind === 'seal') {
        this.queue.shift();
        await this.sealNow().then(first.resolve, first.reject);
        continue;
      }
      // Every append queued up to the next seal goes in one write and one fsync.
      const stop = this.queue.findIndex((op) => op.kind === 'seal');
      const group = this.queue.splice(0, stop < 0 ? this.queue.length : stop) as Extract<
        Op<T>,
        { kind: 'append' }
      >[];
      if (this.broken) {
        for (const op of group) op.reject(this.broken);
        continue;
      }
      try {
        const buffers = group.flatMap((op) => op.bytes);
        const total = buffers.reduce((s, b) => s + b.byteLength, 0);
        const { bytesWritten } = await this.fh.writev(buffers, this.size);
        if (bytesWritten !== total)
          throw new Error(`short write to ${this.path}: ${bytesWritten} of ${total} bytes`);
        await this.fh.datasync();
        this.size += total;
        for (const op of group) {
          this.active.push(op.payload);
          this.activeJson.push(op.json);
        }
        for (const op of group) op.resolve();
      } catch (err) {
        // Cut the file back to its last whole record, so later records never follow garbage.
        const cause = err as Error;
        await this.fh.truncate(this.size).catch((e: Error) => {
          this.broken = new Error(`the event log ${this.path} cannot be written: ${e.message}`, { cause: e });
        });
        for (const op of group) op.reject(new Error(`event log write failed: ${cause.message}`, { cause }));
      }
    }
  }

  private async sealNow(): Promise<Segment<T> | null> {
    if (this.size === 0) return null;
    const sealed = `${this.path}.${this.nextSeq++}`;
    await this.fh.close();
    await rename(this.path, sealed);
    this.fh = await open(this.path, 'wx');
    await syncDir(dirname(this.path));
    const segment = { path: sealed, records: this.active, json: this.activeJson };
    this.active = [];
    this.activeJson = [];
    this.size = 0;
    return segment;
  }
}

/** Reads a segment file; a torn tail is moved to `<path>.torn-<epoch ms>` and the file cut to its whole records. */
export async function readSegment<T>(path: string): Promise<SegmentRead<T>> {
  const bytes = await readFile(path);
  const { records, texts, validBytes } = decodeRecords<T>(bytes);
  const tornBytes = bytes.length - validBytes;
  if (tornBytes > 0) {
    await writeFile(`${path}.torn-${Date.now()}`, bytes.subarray(validBytes));
    const fh = await open(path, 'r+');
    await fh.truncate(validBytes);
    await fh.sync();
    await fh.close();
  }
  return { records, texts, tornBytes };
}

/** `<base>.<n>` -> n; anything else (the active segment, a torn tail) -> null. */
function sealedSeq(base: string, name: string): number | null {
  if (!name.startsWith(base + '.')) return null;
  const rest = name.slice(base.length + 1);
  return /^\d+$/.test(rest) ? Number(rest) : null;
}

/** A rename or a new file is durable once its directory entry is synced. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
