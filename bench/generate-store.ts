/**
 * A generated store for a bench: `shopsight generate --events N --seed 1 --out DIR --json` run with
 * the built CLI (dist/), which streams sessions to CSV; returns its JSON summary and the event count.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface GeneratedStore {
  readonly seconds: number;
  readonly rows: number;
  readonly bytes: number;
  readonly files: Record<string, { rows: number }>;
  /** Rows of events.csv. */
  readonly events: number;
}

export function generateStore(root: string, events: number, out: string): GeneratedStore {
  const cli = join(root, 'dist', 'cli', 'main.js');
  const gen = JSON.parse(
    execFileSync(
      'node',
      [cli, 'generate', '--events', String(events), '--seed', '1', '--out', out, '--json'],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      },
    ),
  ) as Omit<GeneratedStore, 'events'>;
  return { ...gen, events: gen.files['events']?.rows ?? 0 };
}
