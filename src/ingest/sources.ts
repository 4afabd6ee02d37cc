/**
 * @module ingest/sources
 * Turns what the user named (a file or a folder) into a checked list of files, each paired with the
 * mapping that reads it and the format it is in. Problems a file shows before any row is read
 * (missing, empty, not gzip although named .gz) are reported here with the file's name.
 */
import {
  closeSync,
  createReadStream,
  createWriteStream,
  openSync,
  readSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform, Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { basename, extname, join, resolve } from 'node:path';
import { ImportError } from './errors.js';
import { FRAME_LOAD_ORDER } from './frames.js';
import type { Mapping, Preset, SourceFormat } from './mapping.js';

export interface SourceFile {
  /** Absolute path. */
  readonly path: string;
  readonly bytes: number;
  readonly compressed: boolean;
  readonly mapping: Mapping;
  readonly format: SourceFormat;
}

export interface ResolvedSources {
  readonly files: readonly SourceFile[];
  /** Files in a folder that no mapping claims (listed in the summary, not read). */
  readonly skipped: readonly string[];
}

/** The files in the order an import reads them: the tables others refer to first (FRAME_LOAD_ORDER). */
export function inLoadOrder(files: readonly SourceFile[]): SourceFile[] {
  return [...files].sort(
    (a, b) => FRAME_LOAD_ORDER.indexOf(a.mapping.frame) - FRAME_LOAD_ORDER.indexOf(b.mapping.frame),
  );
}

const DATA_EXTENSIONS = /\.(csv|tsv|txt|json|jsonl|ndjson|parquet)(\.gz)?$/i;

export function resolveSources(target: string, preset: Preset): ResolvedSources {
  const abs = resolve(target);
  let stat;
  try {
    stat = statSync(abs);
  } catch {
    throw new ImportError({ file: abs }, 'no such file or folder');
  }
  const candidates = stat.isDirectory()
    ? readdirSync(abs)
        .filter((n) => !n.startsWith('.') && DATA_EXTENSIONS.test(n))
        .sort()
        .map((n) => join(abs, n))
    : [abs];
  if (stat.isDirectory() && candidates.length === 0) {
    throw new ImportError(
      { file: abs },
      'the folder holds no data files (.csv, .jsonl, .parquet, .txt, optionally .gz)',
    );
  }
  const files: SourceFile[] = [];
  const skipped: string[] = [];
  for (const path of candidates) {
    const name = basename(path).replace(/\.gz$/i, '');
    const entry =
      preset.files.find((f) => f.match?.test(name)) ??
      (preset.files.length === 1 && !preset.files[0]!.match ? preset.files[0] : undefined);
    if (!entry) {
      if (!stat.isDirectory()) {
        const names = preset.files.map((f) => f.match?.source).join(', ');
        throw new ImportError(
          { file: path },
          `preset ${preset.name} has no mapping for this file name (expects ${names})`,
        );
      }
      skipped.push(path);
      continue;
    }
    files.push(checkFile(path, entry.mapping));
  }
  return { files, skipped };
}

function checkFile(path: string, mapping: Mapping): SourceFile {
  const { size } = statSync(path);
  if (size === 0) throw new ImportError({ file: path }, 'the file is empty (0 bytes)');
  const compressed = /\.gz$/i.test(path);
  if (compressed && !hasGzipMagic(path)) {
    throw new ImportError({ file: path }, 'the file is named .gz but is not gzip-compressed');
  }
  const format =
    mapping.format.kind === 'csv' && !compressed ? formatFromExtension(path, mapping.format) : mapping.format;
  return { path, bytes: size, compressed, mapping, format };
}

/** A mapping that says csv still reads .parquet or .jsonl files by what they are. */
function formatFromExtension(path: string, declared: SourceFormat): SourceFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet') return { kind: 'parquet' };
  if (ext === '.jsonl' || ext === '.ndjson') return { kind: 'ndjson' };
  return declared;
}

function hasGzipMagic(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Read and inflate in 1 MiB pieces: with Node's defaults (64 KiB reads, 16 KiB inflate chunks) the
 * per-chunk overhead costs about three times the inflation itself (measured on Online Retail's
 * 7 MB .gz: about 450 ms of CPU against 140 ms).
 */
const CHUNK = 1 << 20;

/**
 * Decompress a .gz source to its end and fail if the stream is cut short or corrupt. Needed because
 * a gzip reader may stop quietly at the damage and hand over the rows before it as if they were
 * the whole file. With `copyTo`, the decompressed bytes are also written there, so the database
 * reads exactly the bytes checked here (and reads a plain file in parallel, which it cannot do
 * with a .gz). Resolves with the file's count of non-blank lines (see countLines).
 */
export async function verifyGzip(path: string, copyTo?: string): Promise<number> {
  let out = 0;
  const lines = lineCounter();
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      out += chunk.length;
      lines.add(chunk);
      done(null, copyTo ? chunk : undefined);
    },
  });
  let writeError: Error | undefined;
  const sink = copyTo
    ? createWriteStream(copyTo).on('error', (err) => (writeError = err))
    : new Writable({ write: (_chunk, _encoding, done) => done() });
  try {
    await pipeline(
      createReadStream(path, { highWaterMark: CHUNK }),
      createGunzip({ chunkSize: CHUNK }),
      counter,
      sink,
    );
  } catch (err) {
    if (writeError) {
      throw new ImportError(
        { file: path },
        `cannot write its decompressed copy to ${copyTo}: ${writeError.message}`,
      );
    }
    throw new ImportError(
      { file: path },
      `the gzip stream is damaged or truncated after ${out.toLocaleString('en-US')} decompressed bytes (${(err as Error).message})`,
    );
  }
  return lines.total();
}

/**
 * Lines holding anything but a carriage return, split at line feeds: what a reader that keeps
 * every line would see. Comparing it with the records a CSV reader returned shows lines that
 * went missing inside a quoted field.
 */
export function countLines(path: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const lines = lineCounter();
    createReadStream(path, { highWaterMark: CHUNK })
      .on('error', (err) => reject(new ImportError({ file: path }, `cannot read the file: ${err.message}`)))
      .on('data', (chunk: Buffer | string) => lines.add(Buffer.from(chunk)))
      .on('end', () => resolvePromise(lines.total()));
  });
}

function lineCounter(): { add(chunk: Buffer): void; total(): number } {
  let count = 0;
  let filled = false; // the current line holds something besides CR
  return {
    add(chunk) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        if (filled || hasContent(chunk, start, nl)) count++;
        filled = false;
        start = nl + 1;
      }
      filled ||= hasContent(chunk, start, chunk.length);
    },
    total: () => count + (filled ? 1 : 0),
  };
}

function hasContent(b: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 13) return true;
  return false;
}

/**
 * The field names on a delimited file's first line, for reading it with a fixed dialect (the
 * database then needs the columns up front). Quoted names may hold the delimiter; a repeated name
 * gets `_1`, `_2` (as DuckDB's own reader names them) and an empty one `column<i>`.
 */
export async function readCsvHeader(file: SourceFile): Promise<string[]> {
  const fmt = file.format;
  if (fmt.kind !== 'csv' || !fmt.delimiter)
    throw new Error('readCsvHeader needs a csv format with a delimiter');
  const line = await readFirstLine(file.path, file.compressed, fmt.encoding);
  const names = splitDelimited(
    line.replace(/^\uFEFF/, '').replace(/\r$/, ''),
    fmt.delimiter,
    fmt.quote ?? '"',
  );
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    const name = raw === '' ? `column${i}` : raw;
    const k = seen.get(name) ?? 0;
    seen.set(name, k + 1);
    return k === 0 ? name : `${name}_${k}`;
  });
}

function splitDelimited(line: string, delimiter: string, quote: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === quote && line[i + 1] === quote) {
        field += quote;
        i++;
      } else if (ch === quote) quoted = false;
      else field += ch;
    } else if (ch === quote && field === '') quoted = true;
    else if (ch === delimiter) {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(field.trim());
  return out;
}

const NODE_ENCODING = { 'utf-8': 'utf8', 'latin-1': 'latin1', 'utf-16': 'utf16le' } as const;

/** The text up to the first line break, read (and decompressed) only as far as needed. */
function readFirstLine(
  path: string,
  compressed: boolean,
  encoding: keyof typeof NODE_ENCODING = 'utf-8',
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    const raw = createReadStream(path);
    const stream = compressed ? raw.pipe(createGunzip()) : raw;
    const finish = (): void => {
      raw.destroy();
      const all = Buffer.concat(chunks);
      const text = all.toString(NODE_ENCODING[encoding]);
      const end = text.indexOf('\n');
      resolvePromise(end < 0 ? text : text.slice(0, end));
    };
    const fail = (err: Error): void =>
      reject(new ImportError({ file: path, line: 1 }, `cannot read the header line: ${err.message}`));
    raw.on('error', fail);
    stream.on('error', fail);
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (chunk.includes(0x0a)) {
        stream.removeAllListeners('data');
        finish();
      }
    });
    stream.on('end', finish);
  });
}
