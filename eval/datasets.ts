/**
 * Where the shared public datasets are: $SHOPSIGHT_DATASETS, else ../shared/datasets beside the
 * checkout. Evaluations need them; `npm test` never does.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export function datasetsDir(): string {
  const dir = process.env['SHOPSIGHT_DATASETS'] ?? join(ROOT, '..', 'shared', 'datasets');
  if (!existsSync(dir)) {
    throw new Error(
      `datasets not found at ${dir}: set SHOPSIGHT_DATASETS or place shared/datasets beside the checkout`,
    );
  }
  return dir;
}

export function dataset(...parts: string[]): string {
  const path = join(datasetsDir(), ...parts);
  if (!existsSync(path)) throw new Error(`missing dataset file ${path}`);
  return path;
}

export const PROJECT_ROOT = ROOT;
