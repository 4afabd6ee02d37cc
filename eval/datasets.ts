/**
 * Where the shared public datasets are: $SHOPSIGHT_DATASETS, else ../shared/datasets beside the
 * checkout. Evaluations need them; `npm test` never does (tests that read them use datasetPath and
 * skip when the file is absent). The one resolver for eval, bench and tests: docs and code never
 * name a machine's absolute path.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingInput } from './check.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The datasets folder, whether or not it exists. */
export function datasetsRoot(): string {
  return process.env['SHOPSIGHT_DATASETS'] ?? join(ROOT, '..', 'shared', 'datasets');
}

/** A file under the datasets folder, whether or not it exists (tests: `describe.skipIf(!existsSync(p))`). */
export function datasetPath(...parts: string[]): string {
  return join(datasetsRoot(), ...parts);
}

export function datasetsDir(): string {
  const dir = datasetsRoot();
  if (!existsSync(dir)) {
    throw new MissingInput(
      `datasets not found at ${dir}: set SHOPSIGHT_DATASETS or place shared/datasets beside the checkout`,
    );
  }
  return dir;
}

/** A dataset file that must exist: a missing one throws MissingInput (the suite's check fails). */
export function dataset(...parts: string[]): string {
  const path = join(datasetsDir(), ...parts);
  if (!existsSync(path)) throw new MissingInput(`missing dataset file ${path}`);
  return path;
}

export const PROJECT_ROOT = ROOT;
