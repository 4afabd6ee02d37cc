import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-trainrec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A database that does not exist: a refused option must fail before it is created (no work done).
const db = join(dir, 'never-created.duckdb');
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args, '--db', db]);

describe('train recommend refuses bad options before any work', () => {
  it('names unknown candidates and models with a did-you-mean', async () => {
    await expect(cli('train', 'recommend', '--candidates', 'popularity,itemknn')).rejects.toThrow(
      /unknown recommender 'itemknn' \(did you mean 'item-knn'\?\)/,
    );
    await expect(cli('train', 'recommend', '--model', 'sasrec-transitions')).rejects.toThrow(
      /unknown recommender 'sasrec-transitions' \(did you mean 'sasrec-transition'\?\)/,
    );
    await expect(cli('evaluate', 'recommend', '--models', 'popularty')).rejects.toThrow(
      /did you mean 'popularity'\?/,
    );
    expect(existsSync(db)).toBe(false);
  }, 60_000);

  it('refuses a seed that is not an integer and a budget that is not a duration', async () => {
    await expect(cli('train', 'recommend', '--seed', '1.5')).rejects.toThrow(
      /seed must be an integer, got '1.5'/,
    );
    await expect(cli('train', 'recommend', '--seed', 'abc')).rejects.toThrow(
      /seed must be an integer, got 'abc'/,
    );
    await expect(cli('train', 'recommend', '--budget', '0')).rejects.toThrow(
      /--budget must be a positive duration such as 600, 90s, 10m or 1.5h, or none \(got '0'\)/,
    );
    expect(existsSync(db)).toBe(false);
  }, 60_000);
});
