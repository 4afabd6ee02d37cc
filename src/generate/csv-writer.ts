/**
 * @module generate/csv-writer
 * A streaming CSV writer that encodes rows straight into a byte buffer and hands full chunks to a file
 * stream. Writing bytes (not building a string per row) is what lets the generator emit millions of rows
 * per second without per-row allocation; memory stays bounded because the caller awaits `drain()` whenever
 * the file stream signals backpressure.
 *
 * Format: RFC 4180 through core/csv's csvField (fields with comma, quote, CR or LF are quoted and inner
 * quotes doubled), UTF-8, LF line ends, empty field = null.
 *
 * @example
 *   const w = CsvWriter.open('/tmp/x.csv');
 *   w.text('P1'); w.comma(); w.money(1299); w.endRow();
 *   if (w.needsDrain) await w.drain();
 *   const { rows, bytes } = await w.close();
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { csvField } from '../core/csv.js';

const COMMA = 44;
const NEWLINE = 10;
const ZERO = 48;
const HEX = '0123456789abcdef';

/** A field pre-encoded as UTF-8 bytes (already quoted when needed), for the hot path. */
export function encodeField(value: string | null): Uint8Array {
  return Buffer.from(csvField(value), 'utf8');
}

export interface CsvFileStats {
  path: string;
  rows: number;
  bytes: number;
}

export class CsvWriter {
  /** True once the underlying stream has more buffered than its high-water mark. */
  needsDrain = false;
  private buf: Buffer;
  private pos = 0;
  private rows = 0;
  private bytes = 0;

  /**
   * @param stream where chunks go; each chunk is a fresh buffer handed over, never reused while queued.
   * @param chunkSize bytes per chunk; the buffer has slack so one row never straddles a flush.
   */
  constructor(
    private readonly stream: Writable,
    readonly path: string,
    private readonly chunkSize = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(chunkSize + MAX_ROW_BYTES);
  }

  static open(path: string, chunkSize = 1 << 20): CsvWriter {
    return new CsvWriter(createWriteStream(path, { highWaterMark: 4 * chunkSize }), path, chunkSize);
  }

  /** Writes the header row: the canonical column names, comma-separated. */
  header(columns: readonly string[]): void {
    this.text(columns.map((c) => csvField(c)).join(','));
    this.newline();
  }

  /** Pre-encoded bytes (a quoted field, an id). Short arrays copy faster by loop than by set(). */
  raw(b: Uint8Array): void {
    const n = b.length;
    const buf = this.buf;
    let p = this.pos;
    if (n < 32) for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    else {
      buf.set(b, p);
      p += n;
    }
    this.pos = p;
  }

  /** Any string, UTF-8 encoded as is (the caller quotes via csvField when the value may need it). */
  text(s: string): void {
    if (this.pos + s.length * 3 > this.buf.length) this.grow(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** An ASCII-only string without quoting needs (enum values, ids) byte by byte: no encoder call. */
  ascii(s: string): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  comma(): void {
    this.buf[this.pos++] = COMMA;
  }

  /** A non-negative integer in decimal. */
  uint(n: number): void {
    if (n < 10) {
      this.buf[this.pos++] = ZERO + n;
      return;
    }
    this.padded(n, 1);
  }

  /**
   * A non-negative integer left-padded with zeros to `width` digits (more if it needs more). Two digits per
   * step from a pair table, in small-integer arithmetic below 2^31: ids are the hottest fields we write.
   */
  padded(n: number, width: number): void {
    const len = n < POW10[width]! ? width : Math.max(width, digitCount(n));
    const buf = this.buf;
    let p = this.pos + len;
    const start = this.pos;
    this.pos = p;
    if (n >= 2147483648) {
      // Beyond small integers (ids past two billion): plain float arithmetic, one digit at a time.
      while (p > start) {
        const q = Math.floor(n / 10);
        buf[--p] = ZERO + (n - q * 10);
        n = q;
      }
      return;
    }
    while (p - start >= 2) {
      const q = (n / 100) | 0;
      const r = (n - q * 100) << 1;
      buf[--p] = DIGIT_PAIRS[r + 1]!;
      buf[--p] = DIGIT_PAIRS[r]!;
      n = q;
    }
    if (p > start) buf[start] = ZERO + (n % 10);
  }

  /** An amount in minor units (pence) as a decimal with exactly two places: 1299 -> 12.99. */
  money(pence: number): void {
    const units = Math.floor(pence / 100);
    this.uint(units);
    const cents = pence - units * 100;
    const buf = this.buf;
    buf[this.pos++] = 46; // '.'
    buf[this.pos++] = ZERO + Math.floor(cents / 10);
    buf[this.pos++] = ZERO + (cents % 10);
  }

  /** A 32-bit unsigned integer as 8 lowercase hex digits. */
  hex32(x: number): void {
    const buf = this.buf;
    const p = this.pos;
    for (let i = 7; i >= 0; i--) {
      buf[p + i] = HEX.charCodeAt(x & 15);
      x >>>= 4;
    }
    this.pos = p + 8;
  }

  /** Ends the row; hands the chunk to the stream once it is full. */
  endRow(): void {
    this.buf[this.pos++] = NEWLINE;
    this.rows++;
    if (this.pos >= this.chunkSize) this.flush();
  }

  /** Resolves once the stream has room again (call when needsDrain is true). */
  async drain(): Promise<void> {
    if (!this.needsDrain) return;
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
    this.needsDrain = false;
  }

  /** Flushes, ends the stream and waits until the file is complete. Rows count data rows, not the header. */
  async close(): Promise<CsvFileStats> {
    this.flush();
    const finished = once(this.stream, 'finish');
    this.stream.end();
    await finished;
    return { path: this.path, rows: this.rows, bytes: this.bytes };
  }

  /** A writer that counts but discards everything (calibration runs). */
  static discard(chunkSize = 1 << 20): CsvWriter {
    return new CsvWriter(new Writable({ write: (_chunk, _enc, done) => done() }), '', chunkSize);
  }

  /** Destroys the stream without waiting (error paths). */
  abort(): void {
    this.stream.destroy();
  }

  /** The header's line end: not a data row. */
  private newline(): void {
    this.buf[this.pos++] = NEWLINE;
  }

  private flush(): void {
    if (this.pos === 0) return;
    // The stream keeps the chunk until it is written, so it gets this buffer and we start a new one.
    const chunk = this.buf.subarray(0, this.pos);
    this.bytes += this.pos;
    this.buf = Buffer.allocUnsafe(this.chunkSize + MAX_ROW_BYTES);
    this.pos = 0;
    if (!this.stream.write(chunk)) this.needsDrain = true;
  }

  private grow(extra: number): void {
    const bigger = Buffer.allocUnsafe(this.buf.length + extra + MAX_ROW_BYTES);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}

/** Upper bound of one hot-path row (events, orders, order lines); cold rows grow the buffer as needed. */
const MAX_ROW_BYTES = 64 * 1024;

/** "00" "01" ... "99" as bytes: digit pair k is at 2k, 2k + 1. */
const DIGIT_PAIRS = new Uint8Array(200);
for (let k = 0; k < 100; k++) {
  DIGIT_PAIRS[2 * k] = ZERO + Math.floor(k / 10);
  DIGIT_PAIRS[2 * k + 1] = ZERO + (k % 10);
}
const POW10 = Array.from({ length: 22 }, (_, k) => 10 ** k);

function digitCount(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}
