/**
 * @module ingest/inflate-ahead
 * Starts decompressing (and checking) the first .gz source an import will read before the database
 * is even open. Inflating runs on Node's thread pool, so it overlaps the opening of the database and
 * its migrations on the main thread (a fresh file: about 0.15 s of wall time on the quiet machine)
 * instead of following them. The import takes the copy when it reaches that file
 * (warehouse/import/import-source.ts); a damaged stream fails there, exactly as if it had been
 * inflated then.
 *
 * `shopsight import x.csv.gz` starts even earlier: cli/main.ts calls `inflateFileEarly` before it
 * loads commander, the import command's modules and DuckDB (about 0.3 s of start-up), so the
 * inflate (about 0.5 s on Online Retail) overlaps the start-up too; `inflateAhead` then takes that
 * copy instead of starting its own.
 *
 * @example
 *   const ahead = inflateAhead('online_retail.csv.gz', getPreset('online-retail'));
 *   try { await withWarehouse(db, (wh) => importSource(wh, { target, preset, inflated: ahead })); }
 *   finally { await ahead.dispose(); }
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Preset } from './mapping.js';
import { inLoadOrder, resolveSources, verifyGzip } from './sources.js';

/** A decompressed copy of one .gz source, and its count of non-blank lines once checked to the end. */
export interface InflatedCopy {
  readonly copy: string;
  /** Rejects with the ImportError of a damaged or truncated stream. */
  readonly lines: Promise<number>;
}

export interface InflateAhead {
  /** The copy of `source` (an absolute path, as resolveSources gives it) when it was started ahead; once. */
  take(source: string): InflatedCopy | undefined;
  /** Waits for the decompression to end and removes the copy (whether or not it was taken). */
  dispose(): Promise<void>;
}

const NOTHING: InflateAhead = { take: () => undefined, dispose: async () => undefined };

/** One decompression under way: the source, the temporary folder of its copy, and the check. */
interface Started extends InflatedCopy {
  readonly source: string;
  readonly dir: string;
  readonly abort: AbortController;
}

function start(source: string): Started {
  const dir = mkdtempSync(join(tmpdir(), 'shopsight-import-'));
  const copy = join(dir, basename(source).replace(/\.gz$/i, ''));
  const abort = new AbortController();
  const lines = verifyGzip(source, copy, abort.signal);
  lines.catch(() => undefined); // seen by whoever takes it; never an unhandled rejection
  return { source, dir, copy, lines, abort };
}

/** The decompression `inflateFileEarly` started, until `inflateAhead` takes it or it is abandoned. */
let early: Started | undefined;

/**
 * Starts decompressing `target` when it is one `.gz` file, before anything else is loaded (the
 * CLI's first statement for `shopsight import`). Knows no preset: `inflateAhead` takes the copy
 * only when the preset reads that file as the first compressed one; otherwise
 * `abandonEarlyInflate` stops it. The copy is removed at exit whatever happens (a usage error ends
 * the process through process.exit). Returns the copy's path when it started.
 */
export function inflateFileEarly(target: string): string | undefined {
  const source = resolve(target);
  if (early || !/\.gz$/i.test(source)) return undefined;
  try {
    if (!statSync(source).isFile()) return undefined;
  } catch {
    return undefined; // the import reports a missing file in its words
  }
  const started = start(source);
  early = started;
  process.once('exit', () => rmSync(started.dir, { recursive: true, force: true }));
  return started.copy;
}

/** Stops and removes an early decompression no import took (the CLI calls it once a command ends). */
export function abandonEarlyInflate(): void {
  if (!early) return;
  early.abort.abort();
  rmSync(early.dir, { recursive: true, force: true });
  early = undefined;
}

export function inflateAhead(target: string, preset: Preset): InflateAhead {
  let first;
  try {
    first = inLoadOrder(resolveSources(target, preset).files).find((f) => f.compressed);
  } catch {
    return NOTHING; // the import itself reports what is wrong with the target, in its words
  }
  if (!first) return NOTHING;
  const source = first.path;
  let started: Started;
  if (early?.source === source) {
    started = early;
    early = undefined;
  } else started = start(source);
  const { dir, copy, lines } = started;
  const settled = lines.then(
    () => undefined,
    () => undefined, // the taker sees the error; dispose only waits
  );
  let taken = false;
  return {
    take(path) {
      if (taken || path !== source) return undefined;
      taken = true;
      return { copy, lines };
    },
    async dispose() {
      await settled;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
