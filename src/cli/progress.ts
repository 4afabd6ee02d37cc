/**
 * @module cli/progress
 * A progress bar on stderr for work that takes more than a second, only when stderr is a
 * terminal (never in pipes, CI logs or --json consumers). It shows the current step and, while a
 * statement runs, DuckDB's own estimate of how far it is.
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
  if (!process.stderr.isTTY) return { step: () => undefined, stop: () => undefined };
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
