/**
 * @module cli/progress
 * Progress of long commands, always on stderr (stdout stays for results, so --json is one object).
 * On a terminal: a bar for work that takes more than a second, with the current step and, while a
 * statement runs, DuckDB's own estimate of how far it is. Elsewhere (pipes, CI logs, scripts) a
 * bar cannot redraw, so each step is one line with the time since the start, and a last line says
 * when the command ended: a long run in a log is never silent.
 */
import { SingleBar } from 'cli-progress';
import type { Warehouse } from '../warehouse/warehouse.js';

const SHOW_AFTER_MS = 1000;
const TICK_MS = 100;

export interface StepProgress {
  /** A step of file `index` of `count` begins; `ordinal` of `total` steps overall. */
  step(label: string, index: number, count: number, ordinal: number, total: number): void;
  stop(): void;
}

export function startProgress(wh: Warehouse, title: string): StepProgress {
  if (!process.stderr.isTTY) return lineProgress(title, (line) => process.stderr.write(line + '\n'));
  const started = Date.now();
  let label = 'starting';
  let done = 0; // steps finished
  let steps = 1;
  let bar: SingleBar | undefined;
  const timer = setInterval(() => {
    if (!bar && Date.now() - started < SHOW_AFTER_MS) return;
    if (!bar) {
      bar = new SingleBar({
        format: `${title} [{bar}] {percentage}% | {label} | {elapsed}s`,
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
      });
      bar.start(100, 0, { label, elapsed: '0' });
    }
    // Overall = finished steps plus DuckDB's estimate for the statement running now.
    const current = Math.max(0, Math.min(100, wh.progress().percentage)) / 100;
    const pct = Math.round((100 * (done + current)) / steps);
    bar.update(Math.min(100, pct), { label, elapsed: ((Date.now() - started) / 1000).toFixed(0) });
  }, TICK_MS);
  return {
    step(l, index, count, ordinal, total) {
      label = count > 1 ? `${l} (file ${index + 1}/${count})` : l;
      done = ordinal;
      steps = Math.max(1, total);
    },
    stop() {
      clearInterval(timer);
      bar?.stop();
    },
  };
}

/** One line per step: `import [2/15] read orders.csv (file 2/5), 1.2 s`, then `import: ended after 3.4 s`. */
export function lineProgress(title: string, write: (line: string) => void): StepProgress {
  const started = Date.now();
  const seconds = (): string => ((Date.now() - started) / 1000).toFixed(1);
  let last = '';
  return {
    step(l, index, count, ordinal, total) {
      const label = count > 1 ? `${l} (file ${index + 1}/${count})` : l;
      const line = `${title} [${ordinal + 1}/${Math.max(total, ordinal + 1)}] ${label}`;
      if (line === last) return;
      last = line;
      write(`${line}, ${seconds()} s`);
    },
    stop() {
      write(`${title}: ended after ${seconds()} s`);
    },
  };
}
