import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError } from './errors.js';
import { verifyGzip } from './sources.js';

describe('verifyGzip', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shopsight-sources-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // 3 MB of text: more than one 1 MiB piece, so the copy is written in several chunks.
  const text = Array.from({ length: 60_000 }, (_, i) => `line ${i},${'x'.repeat(40)}`).join('\n') + '\n\n';

  it('counts the non-blank lines and writes a byte-identical decompressed copy', async () => {
    const gz = join(dir, 'a.csv.gz');
    writeFileSync(gz, gzipSync(Buffer.from(text)));
    const copy = join(dir, 'a.csv');
    expect(await verifyGzip(gz, copy)).toBe(60_000);
    expect(readFileSync(copy).equals(Buffer.from(text))).toBe(true);
    expect(await verifyGzip(gz)).toBe(60_000);
  });

  it('fails on a truncated stream, naming the file', async () => {
    const whole = gzipSync(Buffer.from(text));
    const gz = join(dir, 'cut.csv.gz');
    writeFileSync(gz, whole.subarray(0, Math.floor(whole.length / 2)));
    const err = await verifyGzip(gz, join(dir, 'cut.csv')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(
      /cut\.csv\.gz: the gzip stream is damaged or truncated after [\d,]+ decompressed bytes/,
    );
  });

  it('says so when the copy cannot be written', async () => {
    const gz = join(dir, 'a.csv.gz');
    writeFileSync(gz, gzipSync(Buffer.from(text)));
    const nowhere = join(dir, 'no-such-folder', 'a.csv');
    await expect(verifyGzip(gz, nowhere)).rejects.toThrow(
      /cannot write its decompressed copy to .*no-such-folder/,
    );
    expect(existsSync(nowhere)).toBe(false);
  });
});
